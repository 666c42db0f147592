"""RNN over a list of cells (Keras's StackedRNNCells) saved and loaded, with real Keras 3 (keras-golden: torch).

Keras's torch backend runs it (the training steps need gradients): `run.sh stacked_cells`, after
`pnpm exec tsx scripts/keras-golden/stacked_cells_write.ts`.

1. keras_stacked_cells.keras: Input (5, 3) -> RNN([LSTMCell(4), GRUCell(2)]) -> Dense(1), seeded
   weights, SGD(0.1), mse: Keras's predictions, the RNN layer's config (the cell is
   {"class_name": "StackedRNNCells", "config": {..., "cells": [...]}}), the weights file's groups
   (layers/rnn/cell/cells/lstm_cell/vars, .../gru_cell/vars), then three `train_on_batch` steps:
   the losses and the weights after them. Keras also writes it as keras_stacked_cells_legacy.h5 (legacy HDF5).
2. keras_stacked_one_cell.keras: RNN([LSTMCell(4)]) (Keras keeps a StackedRNNCells of one cell):
   predictions, config and groups.
3. keras_stacked_bidirectional.keras: Input (5, 3) -> RNN([LSTMCell(4), GRUCell(3)],
   return_sequences) -> Bidirectional(RNN([GRUCell(2), SimpleRNNCell(2)])) -> Dense(1): predictions,
   groups, three SGD steps.
4. keras_like_stacked_cells.keras: keras-like wrote case 3's architecture, trained 2 epochs with
   Adam; Keras loads it and records its predictions and optimizer variables.

packages/keras-like/test/saving/stacked_cells.test.ts compares with test/fixtures/keras/stacked_cells.json.
"""

import zipfile
import io

import h5py
import numpy as np

import keras
from keras import layers
from common import REPO, random_normal, tensor, write

FILES = REPO / "test" / "fixtures" / "keras-files"
rng = np.random.default_rng(1716)


def stacked():
    return keras.Sequential([keras.Input((5, 3)), layers.RNN([layers.LSTMCell(4), layers.GRUCell(2)]), layers.Dense(1)], name="stacked")


def one_cell():
    return keras.Sequential([keras.Input((5, 3)), layers.RNN([layers.LSTMCell(4)]), layers.Dense(1)], name="one_cell")


def bidirectional():
    return keras.Sequential([
        keras.Input((5, 3)),
        layers.RNN([layers.LSTMCell(4), layers.GRUCell(3)], return_sequences=True),
        layers.Bidirectional(layers.RNN([layers.GRUCell(2), layers.SimpleRNNCell(2)])),
        layers.Dense(1),
    ], name="stacked_bidirectional")


def groups(path):
    """The weights file's datasets inside the .keras archive: {path: shape}."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read("model.weights.h5")
    found = {}
    with h5py.File(io.BytesIO(data), "r") as f:
        f.visititems(lambda name, obj: found.__setitem__(name, list(obj.shape)) if isinstance(obj, h5py.Dataset) else None)
    return found


def without_ids(value):
    """A config without Keras's `shared_object_id` (an object id, different at every run)."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


x = random_normal(rng, (4, 5, 3))
target = random_normal(rng, (4, 1))
cases = []
for file, build, train in [("keras_stacked_cells.keras", stacked, True), ("keras_stacked_one_cell.keras", one_cell, False),
                           ("keras_stacked_bidirectional.keras", bidirectional, True)]:
    keras.utils.set_random_seed(17)
    model = build()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.set_weights([random_normal(rng, w.shape, 0.5) for w in model.get_weights()])
    model.save(FILES / file)
    if file == "keras_stacked_cells.keras":
        # The same model in Keras 3's legacy HDF5 file (model_config + model_weights).
        model.save(FILES / "keras_stacked_cells_legacy.h5")
    loaded = keras.models.load_model(FILES / file)
    assert np.array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0)), file
    case = {"name": f"written by Keras: {file}", "file": file, "x": [tensor(x)], "predictions": tensor(model.predict(x, verbose=0)),
            "layers": [layer.name for layer in model.layers], "layer_configs": without_ids(model.get_config()["layers"]),
            "groups": groups(FILES / file), "weight_paths": [w.path for w in model.weights]}
    if file == "keras_stacked_cells.keras":
        case["legacy_file"] = "keras_stacked_cells_legacy.h5"
    if train:
        case["target"] = tensor(target)
        case["train_losses"] = [float(model.train_on_batch(x, target)) for _ in range(3)]
        case["trained_weights"] = [tensor(w) for w in model.get_weights()]
    cases.append(case)

loaded = keras.models.load_model(FILES / "keras_like_stacked_cells.keras")
cases.append({"name": "written by keras-like, loaded by Keras: keras_like_stacked_cells.keras", "file": "keras_like_stacked_cells.keras",
              "x": [tensor(x)], "predictions": tensor(loaded.predict(x, verbose=0)),
              "optimizer_variables": [tensor(v) for v in loaded.optimizer.variables],
              "layers": [layer.name for layer in loaded.layers], "groups": groups(FILES / "keras_like_stacked_cells.keras")})

# Weights load exactly; torch and tfjs round the float32 sigmoid/tanh steps apart by less than 1e-6 relative (worst 1.7e-7).
write("stacked_cells", cases, {"rtol": 1e-6, "floor": 0.1}, notes=[__doc__.strip().splitlines()[0]], backend="torch")
