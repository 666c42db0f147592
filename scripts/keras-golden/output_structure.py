"""What a functional model's eager call and `predict` return for nested and dict outputs (issue 17).

One input x (3 features) feeds three Dense layers a (2 units), b (1), c (4) with the weights
recorded here; each case builds `keras.Model(x, outputs)` for one structure of `outputs`
(written with the layer names: "a", ["a", ["b", "c"]], {"b": "b", "a": "a"}, ...) and records
`model(x)` and `model.predict(x)`: a tensor, {"list": [...]} or {"dict": [[key, ...], ...]}
(keys in the order Keras returns them); and the model nested in another, `model(keras.Input((3,)))`
(KerasTensors written {"keras_tensor": shape}) and that outer model's `predict(x)`. packages/keras-like/test/parity/output_structure.test.ts
builds the same models and compares structure and values.

Run: scripts/keras-golden/run.sh output_structure (NumPy backend: Dense only).
"""

import os

import numpy as np

import keras

import common

os.chdir(common.REPO)

rng = np.random.default_rng(17)
x_data = common.random_normal(rng, (2, 3))
UNITS = {"a": 2, "b": 1, "c": 4}
WEIGHTS = {name: [common.random_normal(rng, (3, units)), common.random_normal(rng, (units,))] for name, units in UNITS.items()}

STRUCTURES = [
    ("dict", {"b": "b", "a": "a"}),
    ("nested list", ["a", ["b", "c"]]),
    ("list", ["a", "b"]),
    ("list of one", ["a"]),
    ("one", "a"),
    ("nested list of one", [["a"], "c"]),
]


def build(spec, tensors):
    if isinstance(spec, dict):
        return {k: build(v, tensors) for k, v in spec.items()}
    if isinstance(spec, list):
        return [build(v, tensors) for v in spec]
    return tensors[spec]


def encode(value):
    if isinstance(value, dict):
        return {"dict": [[k, encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return {"list": [encode(v) for v in value]}
    if isinstance(value, keras.KerasTensor):
        return {"keras_tensor": list(value.shape)}
    return common.tensor(value)


def record(name, spec):
    keras.utils.clear_session()
    x = keras.Input((3,), name="x")
    layers = {n: keras.layers.Dense(u, name=n) for n, u in UNITS.items()}
    tensors = {n: layer(x) for n, layer in layers.items()}
    for n, layer in layers.items():
        layer.set_weights(WEIGHTS[n])
    model = keras.Model(x, build(spec, tensors))
    # The model nested in another: called on a KerasTensor, then the outer model's predict.
    outer_input = keras.Input((3,), name="outer_x")
    symbolic = model(outer_input)
    outer = keras.Model(outer_input, symbolic)
    return {
        "name": name,
        "outputs": spec,
        "call": encode(model(x_data)),
        "predict": encode(model.predict(x_data, verbose=0)),
        "symbolic": encode(symbolic),
        "outer_predict": encode(outer.predict(x_data, verbose=0)),
    }


cases = [record(name, spec) for name, spec in STRUCTURES]
cases.insert(0, {"name": "inputs", "x": common.tensor(x_data), "weights": {n: [common.tensor(w) for w in ws] for n, ws in WEIGHTS.items()}})
common.write(
    "output_structure",
    cases,
    {"rtol": 1e-6, "floor": 1e-3},
    notes=[
        "case 'inputs' holds x and each Dense layer's [kernel, bias]",
        "a dict is {'dict': [[key, value], ...]} in the order Keras returns its keys; a list or tuple {'list': [...]}",
    ],
)
