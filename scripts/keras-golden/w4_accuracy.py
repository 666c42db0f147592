"""W4's held-out accuracy with real Keras 3 at bench/cnn.ts's sizes (keras-golden: torch).

Trains bench/cnn.ts's net with Keras's own layers on the data and initial weights that
w4_data_write.ts wrote (the same arrays keras-like trains on), `fit` unshuffled, batch 128,
Adam(0.001), categorical crossentropy; then measures the held-out accuracy and loss as
bench/cnn.ts does (argmax; -log p(label) with p clipped to [1e-7, 1 - 1e-7]). Each run seeds
`keras.utils.set_random_seed(run)`: only Dropout's masks differ between runs. Not a fixture:

    W4_DATA=/tmp/w4/8192 W4_EPOCHS=2 W4_RUNS=8 [W4_OUT=bench/results/<date>-W4-full-keras.json] \
      KERAS_SRC=/tmp/keras-src scripts/keras-golden/run.sh w4_accuracy
"""

import json
import os
import pathlib
import statistics
import time

import numpy as np
import torch

import keras
from keras import layers

import common

torch.set_num_threads(1)  # one core: the other is someone else's benchmark
data_dir = pathlib.Path(os.environ["W4_DATA"])
epochs = int(os.environ.get("W4_EPOCHS", "2"))
runs = int(os.environ.get("W4_RUNS", "5"))
meta = json.loads((data_dir / "meta.json").read_text())


def load(name):
    a = meta["arrays"][name]
    return np.fromfile(data_dir / a["file"], dtype="<f4").reshape(a["shape"])


x, y, x_held, y_held = load("x"), load("y"), load("x_held_out"), load("y_held_out")
weights = [load(f"weight_{i}") for i in range(meta["weights"])]


def build():
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="categorical_crossentropy", metrics=["accuracy"])
    model.set_weights(weights)
    return model


results = []
for run in range(runs):
    keras.utils.set_random_seed(run)
    model = build()
    start = time.perf_counter()
    history = model.fit(x, y, batch_size=128, epochs=epochs, shuffle=False, verbose=0)
    wall = time.perf_counter() - start
    p = np.asarray(model.predict(x_held, batch_size=128, verbose=0))
    label = y_held.argmax(1)
    accuracy = float((p.argmax(1) == label).mean())
    loss = float(-np.log(np.clip(p[np.arange(len(label)), label].astype(np.float64), 1e-7, 1 - 1e-7)).mean())
    r = {"seed": run, "wallMs": wall * 1000, "evalAccuracy": accuracy, "evalLoss": loss, "trainLoss": [float(v) for v in history.history["loss"]]}
    results.append(r)
    print(f"  keras run {run + 1} (seed {run}): {wall:.1f} s, held-out accuracy {accuracy:.4f} loss {loss:.4f}, training loss {' '.join(f'{v:.4f}' for v in r['trainLoss'])}", flush=True)


def stats(key):
    v = [r[key] for r in results]
    return {"mean": statistics.mean(v), "median": statistics.median(v), "min": min(v), "max": max(v), "stdev": statistics.stdev(v) if len(v) > 1 else 0.0}


summary = {"evalAccuracy": stats("evalAccuracy"), "evalLoss": stats("evalLoss")}
for k, s in summary.items():
    print(f"{k}: mean {s['mean']:.4f} median {s['median']:.4f} min {s['min']:.4f} max {s['max']:.4f} stdev {s['stdev']:.4f}")
out = os.environ.get("W4_OUT")
if out:
    doc = {"workload": "W4", "contender": "keras", "keras": common.keras_info("torch"), "samples": meta["samples"], "epochs": epochs,
           "batch": 128, "heldOut": meta["heldOut"], "torchThreads": 1, "summary": summary, "runs": results}
    path = common.REPO / out
    path.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"saved {path}")
