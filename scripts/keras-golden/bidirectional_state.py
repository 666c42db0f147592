"""Bidirectional `initial_state` (eager and in the functional API) with real Keras 3 (keras-golden: torch).

Keras's torch backend runs it (gradients, training): `run.sh bidirectional_state`, after
`pnpm exec tsx scripts/keras-golden/bidirectional_state_write.ts`.

1. Eager: `Bidirectional(LSTM(3, return_sequences=True))(x, initial_state=[h_f, c_f, h_b, c_b])` and
   `Bidirectional(GRU(2, return_state=True), merge_mode="sum")(x, initial_state=[h_f, h_b])`, with
   seeded weights and states; C = sum over outputs of R_k * output_k for seeded R_k, back-propagated by
   torch autograd: the outputs, dC/dx, dC/d(each initial state) and dC/dw (trainable_weights order).
2. A bidirectional encoder-decoder: enc (5, 3) -> Bidirectional(LSTM(3, return_state)) ->
   [out, h_f, c_f, h_b, c_b]; dec (4, 2) -> Bidirectional(LSTM(3, return_sequences),
   initial_state=[h_f, c_f, h_b, c_b]); the same with GRU(2) and merge_mode="sum"; Concatenate ->
   Dense(2). Keras writes test/fixtures/keras-files/keras_bidirectional_state.keras (seeded weights,
   SGD(0.1), mse) and records its config's inbound nodes, its predictions, then three
   `train_on_batch` steps: the losses and the weights (the encoders learn only through the states).
3. keras-like wrote keras_like_bidirectional_state.keras (the same architecture, trained 2 epochs
   with Adam); Keras loads it and records its predictions and optimizer variables.

packages/keras-like/test/rnn/bidirectional_state.test.ts compares with test/fixtures/keras/bidirectional_state.json.
"""

import numpy as np
import torch

import keras
from keras import layers
from common import REPO, random_normal, tensor, write

FILES = REPO / "test" / "fixtures" / "keras-files"
rng = np.random.default_rng(1717)


def as_list(y):
    return list(y) if isinstance(y, (list, tuple)) else [y]


def eager(name, layer, state_sizes, x):
    states = [random_normal(rng, (x.shape[0], size)) for size in state_sizes]
    layer(x, initial_state=states)  # builds
    weights = [random_normal(rng, w.shape, 0.5) for w in layer.get_weights()]
    layer.set_weights(weights)
    xt = torch.tensor(x, requires_grad=True)
    st = [torch.tensor(s, requires_grad=True) for s in states]
    outputs = as_list(layer(xt, initial_state=st, training=True))
    rs = [random_normal(rng, tuple(o.shape)) for o in outputs]
    cost = sum((o * torch.tensor(r)).sum() for o, r in zip(outputs, rs))
    cost.backward()
    return {"name": name, "input": tensor(x), "initial_state": [tensor(s) for s in states], "weights": [tensor(w) for w in weights],
            "outputs": [tensor(o.detach()) for o in outputs], "output_gradients": [tensor(r) for r in rs],
            "input_gradient": tensor(xt.grad), "state_gradients": [tensor(s.grad) for s in st],
            "weight_gradients": [tensor(w.value.grad) for w in layer.trainable_weights]}


cases = [
    eager("eager Bidirectional(LSTM(3, return_sequences)) merge_mode=concat", layers.Bidirectional(layers.LSTM(3, return_sequences=True)), [3, 3, 3, 3],
          random_normal(rng, (2, 5, 3))),
    eager("eager Bidirectional(GRU(2, return_state)) merge_mode=sum", layers.Bidirectional(layers.GRU(2, return_state=True), merge_mode="sum"), [2, 2],
          random_normal(rng, (2, 4, 3))),
]


def encoder_decoder():
    enc = keras.Input((5, 3), name="enc")
    dec = keras.Input((4, 2), name="dec")
    _, hf, cf, hb, cb = layers.Bidirectional(layers.LSTM(3, return_state=True), name="encoder")(enc)
    y = layers.Bidirectional(layers.LSTM(3, return_sequences=True), name="decoder")(dec, initial_state=[hf, cf, hb, cb])
    _, gf, gb = layers.Bidirectional(layers.GRU(2, return_state=True), merge_mode="sum", name="gru_encoder")(enc)
    yg = layers.Bidirectional(layers.GRU(2, return_sequences=True), merge_mode="sum", name="gru_decoder")(dec, initial_state=[gf, gb])
    out = layers.Dense(2, name="out")(layers.Concatenate()([y, yg]))
    return keras.Model([enc, dec], out, name="bidirectional_seq2seq")


keras.utils.set_random_seed(19)
xe = random_normal(rng, (4, 5, 3))
xd = random_normal(rng, (4, 4, 2))
target = random_normal(rng, (4, 4, 2))
model = encoder_decoder()
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
model.set_weights([random_normal(rng, w.shape, 0.5) for w in model.get_weights()])
model.save(FILES / "keras_bidirectional_state.keras")
config = model.get_config()
case = {"name": "written by Keras: keras_bidirectional_state.keras", "file": "keras_bidirectional_state.keras", "x": [tensor(xe), tensor(xd)],
        "predictions": tensor(model.predict([xe, xd], verbose=0)),
        "inbound_nodes": {layer["name"]: layer["inbound_nodes"] for layer in config["layers"]},
        "layers": [layer.name for layer in model.layers], "target": tensor(target)}
case["train_losses"] = [float(model.train_on_batch([xe, xd], target)) for _ in range(3)]
case["trained_weights"] = [tensor(w) for w in model.get_weights()]
cases.append(case)

loaded = keras.models.load_model(FILES / "keras_like_bidirectional_state.keras")
cases.append({"name": "written by keras-like, loaded by Keras: keras_like_bidirectional_state.keras", "file": "keras_like_bidirectional_state.keras",
              "x": [tensor(xe), tensor(xd)], "predictions": tensor(loaded.predict([xe, xd], verbose=0)),
              "optimizer_variables": [tensor(v) for v in loaded.optimizer.variables],
              "layers": [layer.name for layer in loaded.layers]})

# Weights load exactly; recurrent layers of float32 sigmoid/tanh in torch and tfjs round apart.
write("bidirectional_state", cases, {"rtol": 1e-5, "floor": 0.1}, notes=[__doc__.strip().splitlines()[0]], backend="torch")
