"""Interop of the `.keras` format with real Keras 3 (issue 17), both directions.

1. Keras 3 writes files keras-like must load (test/fixtures/keras-files/keras_*.{keras,h5,weights.h5}):
   a Dense net (Input 4 -> Dense 8 relu 'hidden' -> Dropout -> BatchNormalization -> Dense 3
   softmax), compiled with Adam; its weights and BatchNormalization statistics set from a seeded
   draw and its Adam state advanced by 3 `apply_gradients` steps with seeded gradients (the NumPy
   backend cannot fit), saved as `.keras`, `.weights.h5` and Keras's legacy `.h5`.
2. keras-like wrote test/fixtures/keras-files/keras_like_dense.keras (scripts/keras-golden/saving_write.ts,
   run first); Keras 3 loads it here and its predictions and optimizer variables are recorded.

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

write("saving", cases, {"rtol": 1e-6, "floor": 1e-3}, notes=[__doc__.strip().splitlines()[0]])
