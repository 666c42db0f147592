"""The names of every optimizer's variables as Keras 3 writes them (issue 17).

For each optimizer (and Adam with use_ema, SGD with gradient accumulation), built on the
variables of Sequential([Input((3,)), Dense(2)]) (a rank-2 kernel and a vector bias): the
paths of `optimizer.variables` (`v.path`, what the legacy `.h5` file's `optimizer_weights`
names its datasets by) and what `model.save('m.h5')` writes there: its `weight_names`, or
Keras's error when two variables share a path (Adafactor names its factored moments after
the weight: `adafactor/kernel` twice), and the file's `backend` attribute.
packages/keras-like/test/optimizers/variable_paths.test.ts compares keras-like's.

Run: scripts/keras-golden/run.sh optimizer_variables (NumPy backend: nothing is computed).
"""

import os
import tempfile

import h5py

import keras

import common

os.chdir(common.REPO)

OPTIMIZERS = [
    ("SGD", {}),
    ("SGD", {"momentum": 0.9, "gradient_accumulation_steps": 2}),
    ("RMSprop", {}),
    ("RMSprop", {"momentum": 0.9, "centered": True}),
    ("Adam", {}),
    ("Adam", {"amsgrad": True, "use_ema": True}),
    ("AdamW", {}),
    ("Adadelta", {}),
    ("Adagrad", {}),
    ("Adamax", {}),
    ("Nadam", {}),
    ("Ftrl", {}),
    ("Lion", {}),
    ("Lamb", {}),
    ("Adafactor", {}),
]


def record(class_name, args):
    keras.utils.clear_session()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    optimizer = getattr(keras.optimizers, class_name)(**args)
    model.compile(optimizer=optimizer, loss="mse")
    optimizer.build(model.trainable_variables)
    case = {
        "name": " ".join([class_name, *(f"{k}={v}" for k, v in args.items())]),
        "class_name": class_name,
        "args": args,
        "paths": [v.path for v in optimizer.variables],
        "shapes": [list(v.shape) for v in optimizer.variables],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "m.h5")
        try:
            model.save(path)
        except ValueError as error:
            case["legacy_h5_error"] = str(error)
        else:
            with h5py.File(path, "r") as f:
                case["legacy_h5_backend"] = f.attrs["backend"]
                case["legacy_h5_weight_names"] = [n.decode() if isinstance(n, bytes) else n for n in f["optimizer_weights"].attrs["weight_names"]]
    return case


common.write(
    "optimizer_variables",
    [record(name, args) for name, args in OPTIMIZERS],
    {"rtol": 0, "floor": 0},
    notes=[
        "paths = [v.path for v in optimizer.variables] after optimizer.build(model.trainable_variables)",
        "legacy_h5_*: what model.save('m.h5') wrote (optimizer_weights' weight_names, the root's backend) or its ValueError",
    ],
)
