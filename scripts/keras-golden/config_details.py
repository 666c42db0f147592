"""Details of Keras 3's configs a .keras file and its errors carry (issue 17).

- "Could not locate class": the exception type and text of layers.deserialize,
  saving.deserialize_keras_object and models.model_from_json for an unknown class (a TypeError).
- config.json of .keras files Keras writes for small models, each built in a fresh session:
  Sequential with an Input, uncompiled and compiled (Adam, mse, mae), built by build(), and a
  functional model holding a Sequential. The whole dict is recorded (`config_json`) with the
  file's metadata.json keys; packages/keras-like/test/parity/config_details.test.ts saves the
  same models with keras-like and compares config.json key for key (compile_config is {} for an
  uncompiled model, build_config's batch dimension, the nested model's entries).
- Optimizer names: Keras's auto_name numbers them in the session (adam, adam_1, ...) with the
  layers' names; a given name is kept and not counted.

Run: scripts/keras-golden/run.sh config_details (NumPy backend: construction and saving only).
"""

import json
import sys
import os
import tempfile
import zipfile

import keras
from keras import layers

import common

os.chdir(common.REPO)
cases = []

UNKNOWN = {"class_name": "Nope", "config": {}}
for call, run in [
    ("keras.layers.deserialize", lambda: keras.layers.deserialize(dict(UNKNOWN))),
    ("keras.saving.deserialize_keras_object", lambda: keras.saving.deserialize_keras_object(dict(UNKNOWN))),
    ("keras.models.model_from_json", lambda: keras.models.model_from_json(json.dumps(UNKNOWN))),
]:
    try:
        run()
        sys.exit(f"{call} accepted an unknown class")
    except Exception as error:  # the type is what is recorded
        cases.append({"name": f"could not locate: {call}", "kind": "error", "call": call, "error": type(error).__name__, "message": str(error)})


def sequential():
    return keras.Sequential([keras.Input((3,)), layers.Dense(2, activation="relu"), layers.Dense(1)])


def compiled():
    model = sequential()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def built():
    model = keras.Sequential([layers.Dense(2)])
    model.build((None, 3))
    return model


def functional():
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    x = keras.Input((3,))
    return keras.Model(x, layers.Dense(1)(inner(x)))


def drop_object_ids(value):
    """Without `shared_object_id` (a Python id(), other on every run), so the fixture is deterministic."""
    if isinstance(value, dict):
        return {k: drop_object_ids(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(value, list):
        return [drop_object_ids(v) for v in value]
    return value


for name, make in [("sequential, uncompiled", sequential), ("sequential, compiled", compiled), ("sequential, built by build()", built), ("functional holding a sequential, uncompiled", functional)]:
    keras.utils.clear_session()
    model = make()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "m.keras")
        model.save(path)
        with zipfile.ZipFile(path) as archive:
            config = drop_object_ids(json.loads(archive.read("config.json")))
            metadata = json.loads(archive.read("metadata.json"))
    cases.append({"name": f"config.json: {name}", "kind": "file", "model": name, "config_json": config, "metadata_keys": sorted(metadata)})

keras.utils.clear_session()
first, second = keras.optimizers.Adam(), keras.optimizers.Adam()
given = keras.optimizers.SGD(name="sgd")
model = sequential()
model.compile(optimizer="adam", loss="mse")
names = [first.name, second.name, given.name, keras.optimizers.SGD().name, model.optimizer.name, [layer.name for layer in model.layers]]
keras.utils.clear_session()
names.append(keras.optimizers.Adam().name)
cases.append({
    "name": "optimizer names",
    "kind": "names",
    "steps": ["Adam()", "Adam()", "SGD(name='sgd')", "SGD()", "Sequential([Input, Dense, Dense]).compile(optimizer='adam'): its optimizer", "that model's layers", "after clear_session: Adam()"],
    "names": names,
})

common.write("config_details", cases, {"rtol": 0, "floor": 0})
