"""Functional models: forward outputs and real `model.fit` trajectories (keras-golden: torch).

Real `fit` needs gradients, which the NumPy backend cannot take, so this module runs on Keras 3's
torch backend (Debian's python3-torch 1.13.1; run.sh sees the marker in the first line, see
README.md). The forward cases need no gradient but run here too, so one fixture has one backend.

- "predict" cases: a functional model (several inputs / outputs, a shared layer, fan-out, each
  merge layer, nested models) with seeded weights; the case records the layer names in
  `model.layers` order, the weights in `model.get_weights()` order (what keras-like's
  `set_weights` receives: the same order is part of the check), the inputs and
  `model.predict(...)`.
- "fit" cases: a functional model compiled with an optimizer, per-output losses, `loss_weights`
  (a dict or a list) and per-output metrics, trained by Keras's own `fit` for a few epochs on fixed
  data with `shuffle=False` (batches in order, a partial last one), with `validation_data` in some.
  The case records the initial weights, the data, the weights after each epoch (a callback's
  `get_weights()`) and `history.history`: every log name and value Keras reports.
"""

import numpy as np

import keras
from keras import layers

import common

rng = np.random.default_rng(17)
keras.utils.set_random_seed(17)


def normal(*shape, scale=1.0):
    return common.random_normal(rng, shape, scale)


def seeded_weights(model, scale=0.5):
    """Replaces Keras's initial draw with a fixed one (biases too, so no weight is trivially zero)."""
    model.set_weights([normal(*w.shape, scale=scale) for w in model.get_weights()])


def nested(value, convert):
    """A structure of arrays (dict, list or one array) as JSON, keeping its structure."""
    if isinstance(value, dict):
        return {k: nested(v, convert) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [nested(v, convert) for v in value]
    return convert(value)


cases = []


def add_predict(name, model, x, note=""):
    seeded_weights(model)
    y = model.predict(x, verbose=0)
    cases.append(
        {
            "name": name,
            "kind": "predict",
            "note": note,
            "layer_names": [layer.name for layer in model.layers],
            "weights": [common.tensor(w) for w in model.get_weights()],
            "x": nested(x, common.tensor),
            "y": nested(y, common.tensor),
        }
    )


class EpochWeights(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append([common.tensor(w) for w in self.model.get_weights()])


def add_fit(name, model, compile_args, x, y, epochs, batch_size, validation=None, compile_json=None):
    seeded_weights(model)
    initial = [common.tensor(w) for w in model.get_weights()]
    model.compile(**compile_args)
    recorder = EpochWeights()
    history = model.fit(
        x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0, callbacks=[recorder], validation_data=validation
    )
    cases.append(
        {
            "name": name,
            "kind": "fit",
            "compile": compile_json,
            "epochs": epochs,
            "batch_size": batch_size,
            "layer_names": [layer.name for layer in model.layers],
            "initial_weights": initial,
            "x": nested(x, common.tensor),
            "y": nested(y, common.tensor),
            "validation": None if validation is None else nested(list(validation), common.tensor),
            "weights_per_epoch": recorder.epochs,
            "history": {k: [common.scalar(v) for v in values] for k, values in history.history.items()},
        }
    )


# ---- the models (each builder is written again in the test, layer for layer) ----


def two_heads():
    """features -> Dense(8, relu) -> concat with aux -> price (linear) and buy (sigmoid)."""
    features = keras.Input((4,), name="features")
    aux = keras.Input((2,), name="aux")
    h = layers.Dense(8, activation="relu", name="hidden")(features)
    c = layers.Concatenate(name="concat")([h, aux])
    price = layers.Dense(1, name="price")(c)
    buy = layers.Dense(1, activation="sigmoid", name="buy")(c)
    return keras.Model([features, aux], [price, buy], name="two_heads")


def shared_fan_out():
    """One Dense called on two inputs (shared weights); its first output feeds three layers (fan-out)."""
    left = keras.Input((3,), name="left")
    right = keras.Input((3,), name="right")
    shared = layers.Dense(4, activation="tanh", name="shared")
    p = shared(left)
    q = shared(right)
    r = layers.Dense(4, activation="sigmoid", name="gate")(p)
    m = layers.Concatenate(name="concat")([layers.Add(name="add")([p, q]), layers.Multiply(name="mul")([p, r]), p])
    out = layers.Dense(2, name="head")(m)
    return keras.Model([left, right], out, name="shared_fan_out")


def nested_models():
    """A functional model called twice (shared), then a Sequential model on the sum."""
    inner_in = keras.Input((3,), name="inner_in")
    inner = keras.Model(inner_in, layers.Dense(5, activation="tanh", name="inner_dense")(inner_in), name="inner")
    tail = keras.Sequential([keras.Input((5,)), layers.Dense(4, activation="relu", name="tail_1"), layers.Dense(2, name="tail_2")], name="tail")
    a = keras.Input((3,), name="a")
    b = keras.Input((3,), name="b")
    s = layers.Add(name="sum")([inner(a), inner(b)])
    return keras.Model([a, b], [tail(s), s], name="nested")


def dict_model():
    """Inputs and outputs as dicts, keys not in sorted order: Keras flattens them by sorted key."""
    zeta = keras.Input((2,), name="zeta")
    alpha = keras.Input((3,), name="alpha")
    h = layers.Dense(4, activation="tanh", name="h")(layers.Concatenate(name="c")([alpha, zeta]))
    out_z = layers.Dense(1, activation="sigmoid", name="dense_z")(h)
    out_y = layers.Dense(2, name="dense_y")(h)
    return keras.Model(inputs={"zeta": zeta, "alpha": alpha}, outputs={"out_z": out_z, "out_y": out_y}, name="dicts")


def masked_tokens(head):
    """Embedding(mask_zero=True) -> `head` layers: the mask of the padded steps reaches the output
    when every head layer supports masking (Dense does), and the loss and metrics skip those steps."""
    tokens = keras.Input((5,), name="tokens")
    x = layers.Embedding(7, 3, mask_zero=True, name="embedding")(tokens)
    for layer in head():
        x = layer(x)
    return keras.Model(tokens, x, name="masked")


def merge_model(merge, shapes):
    inputs = [keras.Input(shape, name=f"in_{k}") for k, shape in enumerate(shapes)]
    return keras.Model(inputs, merge(inputs), name="merge")


# ---- predict ----

x_feat, x_aux = normal(5, 4), normal(5, 2)
add_predict("two inputs, two outputs (Concatenate, Dense heads)", two_heads(), [x_feat, x_aux])
add_predict("shared layer and fan-out", shared_fan_out(), [normal(5, 3), normal(5, 3)])
add_predict("nested functional (called twice) and Sequential models", nested_models(), [normal(4, 3), normal(4, 3)])
add_predict("dict inputs and outputs", dict_model(), {"alpha": normal(4, 3), "zeta": normal(4, 2)}, note="predict returns a dict")

flat2 = [(3,), (3,)]
for label, merge, shapes in [
    ("Add of three", layers.Add(), [(3,), (3,), (3,)]),
    ("Subtract", layers.Subtract(), flat2),
    ("Multiply of three", layers.Multiply(), [(3,), (3,), (3,)]),
    ("Average", layers.Average(), flat2),
    ("Maximum", layers.Maximum(), flat2),
    ("Minimum", layers.Minimum(), flat2),
    ("Concatenate axis -1", layers.Concatenate(), [(2, 3), (2, 4)]),
    ("Concatenate axis 1", layers.Concatenate(axis=1), [(2, 3), (4, 3)]),
    ("Dot axes 1", layers.Dot(axes=1), flat2),
    ("Dot axes 1 normalize", layers.Dot(axes=1, normalize=True), flat2),
    ("Dot axes [2, 2] on sequences", layers.Dot(axes=(2, 2)), [(2, 3), (4, 3)]),
    ("Dot axes [1, 1] on sequences", layers.Dot(axes=(1, 1)), [(2, 3), (2, 4)]),
    ("Dot axes [1, 2] on sequences", layers.Dot(axes=(1, 2)), [(2, 3), (4, 2)]),
    ("Dot axes -1 normalize on sequences", layers.Dot(axes=-1, normalize=True), [(2, 3), (4, 3)]),
]:
    add_predict(f"merge: {label}", merge_model(merge, shapes), [normal(3, *s) for s in shapes])

# ---- fit ----

y_price, y_buy = normal(5, 1), (rng.random((5, 1)) > 0.5).astype(np.float32)
v_feat, v_aux, v_price, v_buy = normal(3, 4), normal(3, 2), normal(3, 1), (rng.random((3, 1)) > 0.5).astype(np.float32)

add_fit(
    "two heads, SGD momentum, loss_weights dict, metrics dict, validation",
    two_heads(),
    dict(
        optimizer=keras.optimizers.SGD(learning_rate=0.02, momentum=0.9),
        loss={"price": "mse", "buy": "binary_crossentropy"},
        loss_weights={"price": 1.0, "buy": 0.5},
        metrics={"price": ["mae"], "buy": ["accuracy"]},
    ),
    [x_feat, x_aux],
    [y_price, y_buy],
    epochs=3,
    batch_size=2,
    validation=([v_feat, v_aux], [v_price, v_buy]),
    compile_json={
        "optimizer": ["SGD", {"learning_rate": 0.02, "momentum": 0.9}],
        "loss": {"price": "mse", "buy": "binary_crossentropy"},
        "loss_weights": {"price": 1.0, "buy": 0.5},
        "metrics": {"price": ["mae"], "buy": ["accuracy"]},
    },
)
add_fit(
    "two heads, Adam, loss_weights list, metrics list of lists, dict data",
    two_heads(),
    dict(
        optimizer=keras.optimizers.Adam(learning_rate=0.05),
        loss={"price": "mae", "buy": "binary_crossentropy"},
        loss_weights=[0.3, 2.0],
        metrics=[["mse"], ["accuracy", "AUC"]],
    ),
    {"features": x_feat, "aux": x_aux},
    {"price": y_price, "buy": y_buy},
    epochs=3,
    batch_size=2,
    compile_json={
        "optimizer": ["Adam", {"learning_rate": 0.05}],
        "loss": {"price": "mae", "buy": "binary_crossentropy"},
        "loss_weights": [0.3, 2.0],
        "metrics": [["mse"], ["accuracy", "AUC"]],
    },
)
add_fit(
    "shared layer and fan-out, Adam, mse with mae metric",
    shared_fan_out(),
    dict(optimizer=keras.optimizers.Adam(learning_rate=0.02), loss="mse", metrics=["mae"]),
    [normal(6, 3), normal(6, 3)],
    normal(6, 2),
    epochs=4,
    batch_size=4,
    compile_json={"optimizer": ["Adam", {"learning_rate": 0.02}], "loss": "mse", "metrics": ["mae"]},
)
add_fit(
    "nested models, SGD, two outputs with loss_weights list, validation",
    nested_models(),
    dict(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss=["mse", "mse"], loss_weights=[1.0, 0.25], metrics=[["mae"], []]),
    [normal(6, 3), normal(6, 3)],
    [normal(6, 2), normal(6, 5)],
    epochs=3,
    batch_size=4,
    validation=([normal(2, 3), normal(2, 3)], [normal(2, 2), normal(2, 5)]),
    compile_json={"optimizer": ["SGD", {"learning_rate": 0.05}], "loss": ["mse", "mse"], "loss_weights": [1.0, 0.25], "metrics": [["mae"], []]},
)
add_fit(
    "dict inputs and outputs, Adam, losses, loss_weights and metrics by output key",
    dict_model(),
    dict(
        optimizer=keras.optimizers.Adam(learning_rate=0.03),
        loss={"out_z": "binary_crossentropy", "out_y": "mse"},
        loss_weights={"out_z": 0.7, "out_y": 1.3},
        metrics={"out_z": ["accuracy"], "out_y": ["mae"]},
    ),
    {"alpha": normal(6, 3), "zeta": normal(6, 2)},
    {"out_z": (rng.random((6, 1)) > 0.5).astype(np.float32), "out_y": normal(6, 2)},
    epochs=3,
    batch_size=4,
    compile_json={
        "optimizer": ["Adam", {"learning_rate": 0.03}],
        "loss": {"out_z": "binary_crossentropy", "out_y": "mse"},
        "loss_weights": {"out_z": 0.7, "out_y": 1.3},
        "metrics": {"out_z": ["accuracy"], "out_y": ["mae"]},
    },
)
tokens = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0], [6, 1, 2, 3, 4], [2, 0, 0, 0, 0], [3, 3, 1, 0, 0], [5, 6, 2, 1, 0]], np.float32)
val_tokens = np.array([[2, 4, 0, 0, 0], [1, 1, 1, 1, 0]], np.float32)
add_fit(
    "mask in the loss: Embedding(mask_zero) -> Dense(tanh) -> Dense(softmax), sparse crossentropy and accuracy, Adam",
    masked_tokens(lambda: [layers.Dense(4, activation="tanh", name="hidden"), layers.Dense(3, activation="softmax", name="classes")]),
    dict(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"]),
    tokens,
    rng.integers(0, 3, (6, 5)).astype(np.float32),
    epochs=3,
    batch_size=4,
    compile_json={"optimizer": ["Adam", {"learning_rate": 0.05}], "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
)
add_fit(
    "mask in the loss: Embedding(mask_zero) -> Dense -> Dense, mse and mae, SGD, validation",
    masked_tokens(lambda: [layers.Dense(4, activation="relu", name="hidden"), layers.Dense(2, name="values")]),
    dict(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse", metrics=["mae"]),
    tokens,
    normal(6, 5, 2),
    epochs=3,
    batch_size=4,
    validation=(val_tokens, normal(2, 5, 2)),
    compile_json={"optimizer": ["SGD", {"learning_rate": 0.1}], "loss": "mse", "metrics": ["mae"]},
)
add_fit(
    "mask dropped by LSTM: Embedding(mask_zero) -> LSTM(return_sequences) -> TimeDistributed(Dense), mse, Adam",
    masked_tokens(lambda: [layers.LSTM(4, return_sequences=True, name="lstm"), layers.TimeDistributed(layers.Dense(2, name="dense"), name="per_step")]),
    dict(optimizer=keras.optimizers.Adam(learning_rate=0.02), loss="mse", metrics=["mae"]),
    tokens,
    normal(6, 5, 2),
    epochs=2,
    batch_size=3,
    compile_json={"optimizer": ["Adam", {"learning_rate": 0.02}], "loss": "mse", "metrics": ["mae"]},
)

add_fit(
    "mask dropped by TimeDistributed: Embedding(mask_zero) -> TimeDistributed(Dense), mse, SGD",
    masked_tokens(lambda: [layers.TimeDistributed(layers.Dense(2, name="dense"), name="per_step")]),
    dict(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse", metrics=["mae"]),
    tokens,
    normal(6, 5, 2),
    epochs=2,
    batch_size=3,
    compile_json={"optimizer": ["SGD", {"learning_rate": 0.1}], "loss": "mse", "metrics": ["mae"]},
)

common.write(
    "functional",
    cases,
    {"rtol": 1e-5, "floor": 0.01},
    notes=[
        "Keras 3's torch backend (torch 1.13.1, Debian python3-torch), CPU, float32: real model.fit needs gradients.",
        "Weights are a seeded normal draw (scale 0.5) written over Keras's initial ones, in model.get_weights() order.",
        "fit cases: shuffle=False, verbose=0; weights_per_epoch[e] is model.get_weights() at the end of epoch e; "
        "history is history.history as Keras returns it (every key and every epoch's value).",
        "Not recorded, a Keras quirk: a dict of loss_weights given with a LIST of losses is matched by sorted key, "
        "not by output name (CompileLoss.build flattens the dict: {'price': 1, 'buy': 0.5} weighs price 0.5); "
        "the cases give dict weights with dict losses, which Keras matches by name.",
        "Masks: Keras 3 turns an output's mask into sample weights of its loss (losses/loss.py apply_mask: mask * "
        "total / valid, so the mean runs over the unmasked steps) and of its mean metrics. In Keras 3.16 LSTM and "
        "TimeDistributed do not support masking (supports_masking is False), so after them no mask reaches the loss.",
    ],
    backend="torch",
)
