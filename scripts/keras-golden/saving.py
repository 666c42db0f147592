"""Interop of the `.keras` format with real Keras 3 (issue 17), both directions.

1. Keras 3 writes files keras-like must load (test/fixtures/keras-files/keras_*.{keras,h5,weights.h5}):
   a Dense net (Input 4 -> Dense 8 relu 'hidden' -> Dropout -> BatchNormalization -> Dense 3
   softmax), compiled with Adam; its weights and BatchNormalization statistics set from a seeded
   draw and its Adam state advanced by 3 `apply_gradients` steps with seeded gradients (the NumPy
   backend cannot fit), saved as `.keras`, `.weights.h5` and Keras's legacy `.h5`.
2. keras-like wrote test/fixtures/keras-files/keras_like_dense.keras (scripts/keras-golden/saving_write.ts,
   run first); Keras 3 loads it here and its predictions and optimizer variables are recorded.

3. The same both ways for an LSTM net and for a functional net (two inputs, two outputs, shared,
   merge and nested models): keras_lstm.keras / keras_like_lstm.keras, keras_functional.keras /
   keras_like_functional.keras.

The fixture test/fixtures/keras/saving.json holds, per file, the input, Keras's predictions and
Keras's view of the optimizer variables; packages/keras-like/test/saving/interop.test.ts compares.
"""

import numpy as np

import keras
from common import REPO, random_normal, tensor, write

FILES = REPO / "test" / "fixtures" / "keras-files"
rng = np.random.default_rng(17)
x = random_normal(rng, (5, 4))


def keras_model():
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(8, activation="relu", name="hidden"),
        keras.layers.Dropout(0.25),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(3, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    weights = [random_normal(rng, w.shape, 0.5) for w in model.get_weights()]
    weights[5] = np.abs(weights[5]) + 0.5  # moving_variance > 0
    model.set_weights(weights)
    model.optimizer.build(model.trainable_variables)
    for _ in range(3):
        grads = [random_normal(rng, v.shape, 0.1) for v in model.trainable_variables]
        model.optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return model


def optimizer_state(model):
    return [tensor(v) for v in model.optimizer.variables]


cases = []
model = keras_model()
model.save(FILES / "keras_dense.keras")
model.save_weights(FILES / "keras_dense.weights.h5")
model.save(FILES / "keras_dense_legacy.h5")
prediction = model.predict(x, verbose=0)
for name in ["keras_dense.keras", "keras_dense.weights.h5", "keras_dense_legacy.h5"]:
    cases.append({"name": f"written by Keras: {name}", "file": name, "x": tensor(x), "predictions": tensor(prediction),
                  "optimizer_variables": optimizer_state(model)})

loaded = keras.models.load_model(FILES / "keras_like_dense.keras")
cases.append({
    "name": "written by keras-like, loaded by Keras: keras_like_dense.keras",
    "file": "keras_like_dense.keras",
    "x": tensor(x),
    "predictions": tensor(loaded.predict(x, verbose=0)),
    "optimizer_variables": optimizer_state(loaded),
    "layers": [layer.name for layer in loaded.layers],
    "keras_config": loaded.get_config()["layers"][1]["config"]["units"],
})

# An LSTM net both ways (the NumPy backend runs LSTM forward). Its predictions agree to ~3e-8
# absolute: the weights load exactly, but 5 float32 steps of sigmoid/tanh in tfjs and NumPy round
# differently, so the relative 1e-6 is taken against a floor of 0.1 (outputs are ~0.01).
LSTM_TOLERANCE = {"rtol": 1e-6, "floor": 0.1}
xs = random_normal(rng, (3, 5, 3))
keras.utils.set_random_seed(2)
lstm = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4), keras.layers.Dense(2)])
lstm.compile(optimizer="rmsprop", loss="mse")
lstm.set_weights([random_normal(rng, w.shape, 0.5) for w in lstm.get_weights()])
lstm.optimizer.build(lstm.trainable_variables)
lstm.save(FILES / "keras_lstm.keras")
cases.append({"name": "written by Keras: keras_lstm.keras", "file": "keras_lstm.keras", "x": tensor(xs), "tolerance": LSTM_TOLERANCE,
              "predictions": tensor(lstm.predict(xs, verbose=0)), "optimizer_variables": optimizer_state(lstm)})
loaded_lstm = keras.models.load_model(FILES / "keras_like_lstm.keras")
cases.append({"name": "written by keras-like, loaded by Keras: keras_like_lstm.keras", "file": "keras_like_lstm.keras", "x": tensor(xs), "tolerance": LSTM_TOLERANCE,
              "predictions": tensor(loaded_lstm.predict(xs, verbose=0)), "optimizer_variables": optimizer_state(loaded_lstm)})

# A functional net both ways: two inputs, a shared Dense, Add / Concatenate / Multiply, Dropout and
# BatchNormalization, a nested functional model and a nested Sequential, two outputs.
def functional_model():
    a = keras.Input((4,), name="a")
    b = keras.Input((3,), name="b")
    shared = keras.layers.Dense(5, activation="tanh", name="shared")
    h1 = shared(keras.layers.Dense(5, name="pa")(a))
    h2 = shared(keras.layers.Dense(5, name="pb")(b))
    m = keras.layers.Add()([h1, h2])
    m = keras.layers.BatchNormalization()(keras.layers.Dropout(0.2)(m))
    inner_in = keras.Input((5,), name="inner_in")
    inner = keras.Model(inner_in, keras.layers.Dense(2, name="inner_dense")(inner_in), name="inner")
    stack = keras.Sequential([keras.Input((10,)), keras.layers.Dense(3, activation="relu", name="stack_dense")], name="stack")
    o1 = inner(m)
    o2 = keras.layers.Multiply()([stack(keras.layers.Concatenate()([h1, m])), keras.layers.Dense(3, name="gate")(a)])
    return keras.Model([a, b], [o1, o2], name="two_heads")


# Output 2 is a product of two small dot products: they agree to ~6e-8 absolute, so the LSTM's floor is used.
keras.utils.set_random_seed(3)
fx = [random_normal(rng, (4, 4)), random_normal(rng, (4, 3))]
functional = functional_model()
functional.compile(optimizer=keras.optimizers.Adam(0.01), loss=["mse", "mse"], loss_weights=[1.0, 0.5])
weights = [random_normal(rng, w.shape, 0.5) for w in functional.get_weights()]
for i, w in enumerate(functional.weights):
    if w.path.endswith("moving_variance"):
        weights[i] = np.abs(weights[i]) + 0.5
functional.set_weights(weights)
functional.optimizer.build(functional.trainable_variables)
for _ in range(3):
    grads = [random_normal(rng, v.shape, 0.1) for v in functional.trainable_variables]
    functional.optimizer.apply_gradients(zip(grads, functional.trainable_variables))
functional.save(FILES / "keras_functional.keras")
cases.append({"name": "written by Keras: keras_functional.keras", "file": "keras_functional.keras", "x": [tensor(v) for v in fx], "tolerance": LSTM_TOLERANCE,
              "predictions": [tensor(p) for p in functional.predict(fx, verbose=0)], "optimizer_variables": optimizer_state(functional),
              "layers": [layer.name for layer in functional.layers]})
loaded_functional = keras.models.load_model(FILES / "keras_like_functional.keras")
cases.append({"name": "written by keras-like, loaded by Keras: keras_like_functional.keras", "file": "keras_like_functional.keras",
              "x": [tensor(v) for v in fx], "tolerance": LSTM_TOLERANCE, "predictions": [tensor(p) for p in loaded_functional.predict(fx, verbose=0)],
              "optimizer_variables": optimizer_state(loaded_functional), "layers": [layer.name for layer in loaded_functional.layers]})

# Wrappers both ways: TimeDistributed(Dense) and RNN(LSTMCell), whose configs hold a layer's config
# (`layer`, `cell`) and whose weights sit under layers/time_distributed/layer and layers/rnn/cell.
def wrappers():
    return keras.Sequential([keras.Input((5, 3)), keras.layers.TimeDistributed(keras.layers.Dense(4, activation="tanh")),
                             keras.layers.RNN(keras.layers.LSTMCell(3)), keras.layers.Dense(2)])


keras.utils.set_random_seed(4)
wx = random_normal(rng, (3, 5, 3))
wrapped = wrappers()
wrapped.compile(optimizer="rmsprop", loss="mse")
wrapped.set_weights([random_normal(rng, w.shape, 0.5) for w in wrapped.get_weights()])
wrapped.optimizer.build(wrapped.trainable_variables)
wrapped.save(FILES / "keras_wrappers.keras")
cases.append({"name": "written by Keras: keras_wrappers.keras", "file": "keras_wrappers.keras", "x": tensor(wx), "tolerance": LSTM_TOLERANCE,
              "predictions": tensor(wrapped.predict(wx, verbose=0)), "optimizer_variables": optimizer_state(wrapped),
              "layers": [layer.name for layer in wrapped.layers]})
loaded_wrapped = keras.models.load_model(FILES / "keras_like_wrappers.keras")
cases.append({"name": "written by keras-like, loaded by Keras: keras_like_wrappers.keras", "file": "keras_like_wrappers.keras", "x": tensor(wx),
              "tolerance": LSTM_TOLERANCE, "predictions": tensor(loaded_wrapped.predict(wx, verbose=0)),
              "optimizer_variables": optimizer_state(loaded_wrapped), "layers": [layer.name for layer in loaded_wrapped.layers]})

# Bidirectional both ways: its two layers' weights sit under forward_layer / backward_layer.
def bidirectional():
    return keras.Sequential([keras.Input((5, 3)), keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True)),
                             keras.layers.Bidirectional(keras.layers.GRU(2), merge_mode="sum"), keras.layers.Dense(2)])


keras.utils.set_random_seed(5)
bx = random_normal(rng, (3, 5, 3))
bi = bidirectional()
bi.compile(optimizer="adam", loss="mse")
bi.set_weights([random_normal(rng, w.shape, 0.5) for w in bi.get_weights()])
bi.optimizer.build(bi.trainable_variables)
bi.save(FILES / "keras_bidirectional.keras")
cases.append({"name": "written by Keras: keras_bidirectional.keras", "file": "keras_bidirectional.keras", "x": tensor(bx), "tolerance": LSTM_TOLERANCE,
              "predictions": tensor(bi.predict(bx, verbose=0)), "optimizer_variables": optimizer_state(bi),
              "layers": [layer.name for layer in bi.layers]})
loaded_bi = keras.models.load_model(FILES / "keras_like_bidirectional.keras")
cases.append({"name": "written by keras-like, loaded by Keras: keras_like_bidirectional.keras", "file": "keras_like_bidirectional.keras", "x": tensor(bx),
              "tolerance": LSTM_TOLERANCE, "predictions": tensor(loaded_bi.predict(bx, verbose=0)),
              "optimizer_variables": optimizer_state(loaded_bi), "layers": [layer.name for layer in loaded_bi.layers]})

write("saving", cases, {"rtol": 1e-6, "floor": 1e-3}, notes=[__doc__.strip().splitlines()[0]])
