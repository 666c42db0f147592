"""RNN `initial_state` in the functional API (an encoder-decoder), with real Keras 3 (keras-golden: torch).

Keras's torch backend runs it (training needs gradients): `run.sh seq2seq`, after
`pnpm exec tsx scripts/keras-golden/seq2seq_write.ts`.

The model: enc (5, 3) -> LSTM(6, return_state) -> [h, c]; dec (4, 2) -> LSTM(6, return_sequences,
initial_state=[h, c]); enc -> GRU(3, return_state) -> g; dec -> GRU(3, return_sequences,
initial_state=g); Concatenate -> Dense(2). The encoders get gradients only through the states.

1. Keras 3 writes test/fixtures/keras-files/keras_seq2seq.keras (weights from a seeded draw, SGD(0.1),
   mse) and records its config's inbound nodes, its predictions, then three `train_on_batch` steps:
   the losses and the weights after them.
2. keras-like wrote keras_like_seq2seq.keras (the same architecture, trained 2 epochs with Adam);
   Keras loads it and records its predictions and optimizer variables.

packages/keras-like/test/saving/seq2seq.test.ts compares with test/fixtures/keras/seq2seq.json.
"""

import numpy as np

import keras
from common import REPO, random_normal, tensor, write

FILES = REPO / "test" / "fixtures" / "keras-files"
rng = np.random.default_rng(171)


def seq2seq():
    enc = keras.Input((5, 3), name="enc")
    dec = keras.Input((4, 2), name="dec")
    _, h, c = keras.layers.LSTM(6, return_state=True, name="encoder")(enc)
    y = keras.layers.LSTM(6, return_sequences=True, name="decoder")(dec, initial_state=[h, c])
    _, g = keras.layers.GRU(3, return_state=True, name="gru_encoder")(enc)
    yg = keras.layers.GRU(3, return_sequences=True, name="gru_decoder")(dec, initial_state=g)
    out = keras.layers.Dense(2, name="out")(keras.layers.Concatenate()([y, yg]))
    return keras.Model([enc, dec], out, name="seq2seq")


keras.utils.set_random_seed(13)
xe = random_normal(rng, (4, 5, 3))
xd = random_normal(rng, (4, 4, 2))
target = random_normal(rng, (4, 4, 2))
model = seq2seq()
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
model.set_weights([random_normal(rng, w.shape, 0.5) for w in model.get_weights()])
model.save(FILES / "keras_seq2seq.keras")
config = model.get_config()
case = {"name": "written by Keras: keras_seq2seq.keras", "file": "keras_seq2seq.keras", "x": [tensor(xe), tensor(xd)],
        "predictions": tensor(model.predict([xe, xd], verbose=0)),
        "inbound_nodes": {layer["name"]: layer["inbound_nodes"] for layer in config["layers"]},
        "layers": [layer.name for layer in model.layers], "target": tensor(target)}
losses = [float(model.train_on_batch([xe, xd], target)) for _ in range(3)]
case["train_losses"] = losses
case["trained_weights"] = [tensor(w) for w in model.get_weights()]
case["weight_paths"] = [w.path for w in model.weights]
cases = [case]

loaded = keras.models.load_model(FILES / "keras_like_seq2seq.keras")
cases.append({"name": "written by keras-like, loaded by Keras: keras_like_seq2seq.keras", "file": "keras_like_seq2seq.keras",
              "x": [tensor(xe), tensor(xd)], "predictions": tensor(loaded.predict([xe, xd], verbose=0)),
              "optimizer_variables": [tensor(v) for v in loaded.optimizer.variables],
              "layers": [layer.name for layer in loaded.layers]})

# Weights load exactly; two recurrent layers of float32 sigmoid/tanh in torch and tfjs round apart.
write("seq2seq", cases, {"rtol": 1e-5, "floor": 0.1}, notes=[__doc__.strip().splitlines()[0]], backend="torch")
