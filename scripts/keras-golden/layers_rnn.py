"""Recurrent layers, embeddings and their wrappers: Keras 3's forward with fixed weights.

Each "layer" case names the layer and its keras-like options (the same keys Keras took), the
weights set with `set_weights` (Keras's order and shapes: LSTM's kernel [features, 4·units] with
gates i, f, c, o; GRU's bias [2, 3·units] with reset_after=True), the input, the mask when one is
passed (`layer(x, mask=m)`), and the output (the list of output and states with return_state).
"stateful" cases call the layer twice and record both outputs. "initial_weights" cases record
what `build` makes with fixed initializers (LSTM's unit_forget_bias).
"""

import numpy as np

import keras
from keras import layers

import common

rng = np.random.default_rng(16)


def weights_for(layer, scale=0.5):
    return [common.random_normal(rng, w.shape, scale) for w in layer.get_weights()]


def as_list(y):
    return [common.tensor(t) for t in y] if isinstance(y, (list, tuple)) else common.tensor(y)


def case(name, make, options, x, mask=None, wrapped=None):
    """`make(**options)` built on x, fixed random weights, one forward in inference mode."""
    layer = make(**options) if wrapped is None else make(wrapped(), **options)
    layer.build(x.shape)
    weights = weights_for(layer)
    layer.set_weights(weights)
    y = layer(x) if mask is None else layer(x, mask=mask)
    out = {"name": name, "options": options, "input": common.tensor(x), "weights": [common.tensor(w) for w in weights], "output": as_list(y)}
    if mask is not None:
        out["mask"] = common.tensor(mask.astype(np.float32))
    return out


def sequences(batch=2, steps=5, features=3):
    return common.random_normal(rng, (batch, steps, features))


MASK = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]], dtype=bool)

cases = []
for cls, extra in [(layers.SimpleRNN, {}), (layers.LSTM, {}), (layers.GRU, {}), (layers.GRU, {"reset_after": False})]:
    label = cls.__name__ + ("(reset_after=False)" if extra else "")
    variants = [
        ("", {}),
        (" return_sequences", {"return_sequences": True}),
        (" go_backwards", {"go_backwards": True}),
        (" go_backwards return_sequences", {"go_backwards": True, "return_sequences": True}),
        (" activation=relu", {"activation": "relu", "return_sequences": True}),
        (" use_bias=False", {"use_bias": False}),
        (" return_state", {"return_state": True, "return_sequences": True}),
    ]
    for suffix, options in variants:
        c = case(label + suffix, cls, {"units": 4, **extra, **options}, sequences())
        c["layer"] = cls.__name__
        cases.append(c)
    for suffix, options in [(" mask", {}), (" mask return_sequences go_backwards", {"return_sequences": True, "go_backwards": True})]:
        c = case(label + suffix, cls, {"units": 4, **extra, **options}, sequences(), mask=MASK)
        c["layer"] = cls.__name__
        cases.append(c)

# Batch 1, one step: the S17 notebook's LSTM(6, input_shape=(1, 1)).
c = case("LSTM batch 1 one step", layers.LSTM, {"units": 6}, sequences(1, 1, 1))
c["layer"] = "LSTM"
cases.append(c)

# Stateful: the second call starts from the first call's final states.
for cls in [layers.LSTM, layers.SimpleRNN, layers.GRU]:
    layer = cls(3, stateful=True)
    x1, x2 = sequences(2, 4, 2), sequences(2, 4, 2)
    layer.build(x1.shape)
    weights = weights_for(layer)
    layer.set_weights(weights)
    y1 = layer(x1)
    y2 = layer(x2)
    cases.append({"name": f"{cls.__name__} stateful", "kind": "stateful", "layer": cls.__name__, "options": {"units": 3, "stateful": True},
                  "inputs": [common.tensor(x1), common.tensor(x2)], "weights": [common.tensor(w) for w in weights], "outputs": [common.tensor(y1), common.tensor(y2)]})

# What build makes: unit_forget_bias puts ones in the forget gate's slice of the bias.
for ufb in [True, False]:
    layer = layers.LSTM(3, unit_forget_bias=ufb, kernel_initializer="ones", recurrent_initializer="ones")
    layer.build((None, 2, 2))
    cases.append({"name": f"LSTM initial weights unit_forget_bias={ufb}", "kind": "initial_weights", "layer": "LSTM",
                  "options": {"units": 3, "unit_forget_bias": ufb, "kernel_initializer": "ones", "recurrent_initializer": "ones"},
                  "input_shape": [None, 2, 2], "weights": [common.tensor(w) for w in layer.get_weights()],
                  "weight_names": [w.path for w in layer.weights]})
for cls, extra in [(layers.GRU, {}), (layers.GRU, {"reset_after": False}), (layers.SimpleRNN, {})]:
    layer = cls(3, **extra)
    layer.build((None, 2, 2))
    cases.append({"name": f"{cls.__name__}{extra} weight shapes", "kind": "weight_shapes", "layer": cls.__name__, "options": {"units": 3, **extra},
                  "input_shape": [None, 2, 2], "shapes": [list(w.shape) for w in layer.weights], "weight_names": [w.path for w in layer.weights]})

# Configs of the default layers: the keys (and plain values) keras-like's get_config must give.
for cls in [layers.SimpleRNN, layers.LSTM, layers.GRU]:
    config = cls(4).get_config()
    plain = {k: v for k, v in config.items() if not isinstance(v, dict) and k not in ("name", "dtype")}
    cases.append({"name": f"{cls.__name__}(4) config", "kind": "config", "layer": cls.__name__, "options": {"units": 4},
                  "keys": sorted(config.keys()), "plain": plain})

# Wrappers.
for mode in ["concat", "sum", "mul", "ave", None]:
    layer = layers.Bidirectional(layers.LSTM(3, return_sequences=True), merge_mode=mode)
    x = sequences()
    layer.build(x.shape)
    weights = weights_for(layer)
    layer.set_weights(weights)
    y = layer(x)
    cases.append({"name": f"Bidirectional(LSTM) merge_mode={mode}", "layer": "Bidirectional", "inner": "LSTM", "inner_options": {"units": 3, "return_sequences": True},
                  "options": {"merge_mode": mode}, "input": common.tensor(x), "weights": [common.tensor(w) for w in weights], "output": as_list(y),
                  "weight_names": [w.path for w in layer.weights]})
layer = layers.Bidirectional(layers.GRU(2))
x = sequences()
layer.build(x.shape)
weights = weights_for(layer)
layer.set_weights(weights)
cases.append({"name": "Bidirectional(GRU) with a mask", "layer": "Bidirectional", "inner": "GRU", "inner_options": {"units": 2}, "options": {},
              "input": common.tensor(x), "mask": common.tensor(MASK.astype(np.float32)), "weights": [common.tensor(w) for w in weights],
              "output": common.tensor(layer(x, mask=MASK))})

# Bidirectional's config: its keys, and its two directions serialized as Keras writes them.
layer = layers.Bidirectional(layers.LSTM(4), merge_mode="sum")
config = layer.get_config()
cases.append({"name": "Bidirectional(LSTM(4)) config", "kind": "bidirectional_config", "layer": "Bidirectional", "inner": "LSTM", "inner_options": {"units": 4},
              "options": {"merge_mode": "sum"}, "keys": sorted(config.keys()), "merge_mode": config["merge_mode"],
              "layer_keys": sorted(config["layer"].keys()), "layer_config_keys": sorted(config["layer"]["config"].keys()),
              "directions": [[config[k]["class_name"], config[k]["config"]["go_backwards"], config[k]["config"]["name"].split("_")[0]] for k in ("layer", "backward_layer")]})

# RNN(cell)'s config holds the cell serialized (keras.layers.deserialize reads it back).
config = layers.RNN(layers.LSTMCell(4), return_sequences=True).get_config()
cases.append({"name": "RNN(LSTMCell(4)) config", "kind": "rnn_config", "layer": "RNN", "options": {"return_sequences": True},
              "keys": sorted(config.keys()), "cell_keys": sorted(config["cell"].keys()), "cell_class": config["cell"]["class_name"],
              "cell_config_keys": sorted(config["cell"]["config"].keys())})

layer = layers.TimeDistributed(layers.Dense(2, activation="tanh"))
x = sequences()
layer.build(x.shape)
weights = weights_for(layer)
layer.set_weights(weights)
cases.append({"name": "TimeDistributed(Dense(2, tanh))", "layer": "TimeDistributed", "inner": "Dense", "inner_options": {"units": 2, "activation": "tanh"},
              "options": {}, "input": common.tensor(x), "weights": [common.tensor(w) for w in weights], "output": common.tensor(layer(x))})

layer = layers.Embedding(7, 3, mask_zero=True)
tokens = np.array([[1, 6, 0, 0], [3, 3, 2, 0]], dtype=np.int32)
layer.build(tokens.shape)
weights = weights_for(layer)
layer.set_weights(weights)
cases.append({"name": "Embedding(7, 3, mask_zero=True)", "layer": "Embedding", "options": {"input_dim": 7, "output_dim": 3, "mask_zero": True},
              "input": common.tensor(tokens), "weights": [common.tensor(w) for w in weights], "output": common.tensor(layer(tokens)),
              "output_mask": common.tensor(np.asarray(layer.compute_mask(tokens)).astype(np.float32))})

# Embedding(mask_zero) → LSTM: the mask flows through the model.
model = keras.Sequential([keras.Input((4,)), layers.Embedding(7, 3, mask_zero=True), layers.LSTM(2)])
weights = [common.random_normal(rng, w.shape, 0.5) for w in model.get_weights()]
model.set_weights(weights)
cases.append({"name": "Sequential Embedding(mask_zero) → LSTM", "kind": "model", "layers": [["Embedding", {"input_dim": 7, "output_dim": 3, "mask_zero": True}], ["LSTM", {"units": 2}]],
              "input": common.tensor(tokens), "weights": [common.tensor(w) for w in weights], "output": common.tensor(model.predict(tokens, verbose=0))})

model = keras.Sequential([keras.Input((5, 3)), layers.Masking(mask_value=0.0), layers.SimpleRNN(2, return_sequences=True)])
x = sequences()
x[0, 3:, :] = 0.0
weights = [common.random_normal(rng, w.shape, 0.5) for w in model.get_weights()]
model.set_weights(weights)
cases.append({"name": "Sequential Masking → SimpleRNN(return_sequences)", "kind": "model", "layers": [["Masking", {"mask_value": 0.0}], ["SimpleRNN", {"units": 2, "return_sequences": True}]],
              "input": common.tensor(x), "weights": [common.tensor(w) for w in weights], "output": common.tensor(model.predict(x, verbose=0))})

layer = layers.RepeatVector(3)
x = common.random_normal(rng, (2, 4))
cases.append({"name": "RepeatVector(3)", "layer": "RepeatVector", "options": {"n": 3}, "input": common.tensor(x), "weights": [], "output": common.tensor(layer(x))})

common.write(
    "layers_rnn",
    cases,
    {"rtol": 1e-5, "floor": 1e-2},
    notes=[
        "Inference-mode forward (training=False): dropout does not apply.",
        "Weights are normal draws scaled by 0.5, set with set_weights in Keras's order.",
    ],
)
