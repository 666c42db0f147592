"""Legacy `.h5` files written by keras-like, loaded by real Keras 3 and read by h5py (keras-golden: torch).

Keras's torch backend runs it because the CNN needs it (the NumPy backend cannot run
convolutions); the Dense, LSTM and functional files would load on either. `run.sh legacy_h5`,
after `pnpm exec tsx scripts/keras-golden/legacy_h5_write.ts`, which writes
test/fixtures/keras-files/keras_like_{dense,cnn,lstm,functional,stacked}_legacy.h5 with `model.save('x.h5')`.

Per file, test/fixtures/keras/legacy_h5.json records:
- what h5py (the library Keras reads it with) sees: the root attributes, `model_weights`'
  `layer_names`, each layer group's `weight_names` and its datasets' shapes and dtypes,
  `optimizer_weights`' `weight_names`;
- Keras's `keras.models.load_model(file)`: its predictions on a seeded input, its optimizer's
  variables after loading, its layers' names;
- the file Keras 3 itself writes for the model it loaded (`model.save('again.h5')`): its
  `model_config`, `training_config` keys and weight names, for the test to compare with keras-like's.
packages/keras-like/test/saving/legacy_h5_write.test.ts compares.
"""

import json
import tempfile

import h5py
import numpy as np

import keras
from common import REPO, random_normal, tensor, write

FILES = REPO / "test" / "fixtures" / "keras-files"
rng = np.random.default_rng(171)


def text(value):
    return value.decode("utf8") if hasattr(value, "decode") else value


def names(attrs, key):
    return [text(v) for v in attrs[key]] if key in attrs else None


def layout(path):
    """What h5py reads from the file: attributes, groups' name lists, datasets' shapes and dtypes."""
    with h5py.File(path, "r") as f:
        out = {
            "root_attrs": sorted(f.attrs.keys()),
            "keras_version": text(f.attrs["keras_version"]),
            "model_config": json.loads(text(f.attrs["model_config"])),
            "training_config": json.loads(text(f.attrs["training_config"])) if "training_config" in f.attrs else None,
            "layer_names": names(f["model_weights"].attrs, "layer_names"),
            "weights": {},
            "optimizer_weight_names": names(f["optimizer_weights"].attrs, "weight_names") if "optimizer_weights" in f else None,
        }
        for layer in out["layer_names"] + ["top_level_model_weights"]:
            group = f["model_weights"][layer]
            out["weights"][layer] = [
                {"name": name, "shape": list(group[name].shape), "dtype": str(group[name].dtype)} for name in names(group.attrs, "weight_names")
            ]
        return out


def stacked_cells():
    """legacy_h5_write.ts's stacked model, every name as it gives them."""
    L = keras.layers
    return keras.Sequential([
        keras.Input((5, 3), name="seq"),
        L.RNN(L.StackedRNNCells([L.LSTMCell(4, name="lstm_c"), L.GRUCell(3, name="gru_c")], name="stack"), return_sequences=True, name="encoder"),
        L.Bidirectional(L.RNN(L.StackedRNNCells([L.GRUCell(2, name="gru_b"), L.SimpleRNNCell(2, name="rnn_b")], name="stack_b"), name="inner"), name="bidi"),
        L.Dense(1, name="out"),
    ], name="stacked_cells")


CASES = [
    ("dense", (5, 4), {"rtol": 1e-6, "floor": 1e-3}),
    ("cnn", (4, 8, 8, 2), {"rtol": 1e-6, "floor": 1e-3}),
    # Five float32 steps of sigmoid / tanh round differently in torch and tfjs (saving.py's LSTM note).
    ("lstm", (5, 5, 3), {"rtol": 1e-6, "floor": 0.1}),
    ("functional", [(5, 4), (5, 4)], {"rtol": 1e-6, "floor": 0.1}),
    # RNN([LSTMCell, GRUCell]) then Bidirectional(RNN([GRUCell, SimpleRNNCell])): StackedRNNCells in the config.
    ("stacked", (5, 5, 3), {"rtol": 1e-6, "floor": 0.1}),
]

cases = []
for name, shape, tolerance in CASES:
    file = f"keras_like_{name}_legacy.h5"
    xs = [random_normal(rng, s) for s in shape] if isinstance(shape, list) else random_normal(rng, shape)
    seen = layout(FILES / file)
    model = keras.models.load_model(FILES / file)
    predictions = model.predict(xs, verbose=0)
    with tempfile.TemporaryDirectory() as folder:
        # Keras 3.16 builds a loaded model's stacked cells outside their name scopes (paths
        # 'gru_b/kernel', twice under Bidirectional), and its legacy writer then fails with
        # "Unable to create dataset (name already exists)": for that file, Keras writes the same
        # model built fresh, with the loaded weights.
        fresh = stacked_cells() if name == "stacked" else model
        if fresh is not model:
            fresh.set_weights(model.get_weights())
            fresh.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_squared_error")
        fresh.save(f"{folder}/again.h5")
        again = layout(f"{folder}/again.h5")
    cases.append({
        "name": f"written by keras-like, loaded by Keras: {file}",
        "file": file,
        "tolerance": tolerance,
        "x": [tensor(x) for x in xs] if isinstance(xs, list) else tensor(xs),
        "predictions": [tensor(p) for p in predictions] if isinstance(predictions, list) else tensor(predictions),
        "optimizer_variables": [tensor(v) for v in model.optimizer.variables],
        "optimizer_class": type(model.optimizer).__name__,
        "layers": [layer.name for layer in model.layers],
        "h5py": seen,
        "keras_writes": {k: again[k] for k in ("root_attrs", "model_config", "layer_names", "weights", "optimizer_weight_names")},
    })

write("legacy_h5", cases, {"rtol": 1e-6, "floor": 1e-3}, notes=[__doc__.strip().splitlines()[0]], backend="torch")
