"""`.keras` interop of a CNN with real Keras 3, both directions (keras-golden: torch).

Keras's torch backend runs it (the NumPy backend cannot run convolutions): `run.sh saving_torch`,
after `pnpm exec tsx scripts/keras-golden/saving_write.ts` (README.md: the torch recipe).

1. Keras 3 writes test/fixtures/keras-files/keras_cnn.keras: Input 8x8x2 -> Conv2D 4 3x3 relu same
   -> BatchNormalization -> MaxPooling2D 2 -> Conv2D 3 2x2 strides 2 -> Flatten -> Dropout ->
   Dense 3 softmax, compiled with Adam, weights and BatchNormalization statistics from a seeded
   draw, Adam advanced by 3 `apply_gradients` steps with seeded gradients.
2. keras-like wrote keras_like_cnn.keras (the same architecture, trained 2 epochs); Keras loads it.

test/fixtures/keras/saving_torch.json holds per file the input, Keras's predictions and optimizer
variables; packages/keras-like/test/saving/interop.test.ts compares.
"""

import numpy as np

import keras
from common import REPO, random_normal, tensor, write

FILES = REPO / "test" / "fixtures" / "keras-files"
rng = np.random.default_rng(170)


def cnn():
    return keras.Sequential([
        keras.Input((8, 8, 2)),
        keras.layers.Conv2D(4, 3, activation="relu", padding="same"),
        keras.layers.BatchNormalization(),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(3, 2, strides=2),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(3, activation="softmax"),
    ])


def optimizer_state(model):
    return [tensor(v) for v in model.optimizer.variables]


keras.utils.set_random_seed(11)
x = random_normal(rng, (4, 8, 8, 2))
model = cnn()
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
weights = [random_normal(rng, w.shape, 0.5) for w in model.get_weights()]
for i, w in enumerate(model.weights):
    if w.path.endswith("moving_variance"):
        weights[i] = np.abs(weights[i]) + 0.5
model.set_weights(weights)
model.optimizer.build(model.trainable_variables)
for _ in range(3):
    grads = [keras.ops.convert_to_tensor(random_normal(rng, v.shape, 0.1)) for v in model.trainable_variables]
    model.optimizer.apply_gradients(zip(grads, model.trainable_variables))
model.save(FILES / "keras_cnn.keras")
cases = [{"name": "written by Keras: keras_cnn.keras", "file": "keras_cnn.keras", "x": tensor(x),
          "predictions": tensor(model.predict(x, verbose=0)), "optimizer_variables": optimizer_state(model),
          "layers": [layer.name for layer in model.layers]}]

loaded = keras.models.load_model(FILES / "keras_like_cnn.keras")
cases.append({"name": "written by keras-like, loaded by Keras: keras_like_cnn.keras", "file": "keras_like_cnn.keras", "x": tensor(x),
              "predictions": tensor(loaded.predict(x, verbose=0)), "optimizer_variables": optimizer_state(loaded),
              "layers": [layer.name for layer in loaded.layers]})

# The convolution layers added since: transposed, depthwise and separable convolutions, cropping,
# up-sampling, 1-D padding and spatial dropout, 2-D and 1-D, both ways. Weights from a seeded draw
# (Adam built, not stepped); keras-like's files were trained 2 epochs (saving_write.ts).
def conv2d_more():
    return keras.Sequential([
        keras.Input((8, 8, 2)),
        keras.layers.Conv2DTranspose(3, 3, strides=2, padding="same"),
        keras.layers.DepthwiseConv2D(3, depth_multiplier=2),
        keras.layers.SeparableConv2D(4, 3, activation="relu"),
        keras.layers.Cropping2D(((1, 1), (2, 0))),
        keras.layers.MaxPooling2D(2),
        keras.layers.UpSampling2D(2),
        keras.layers.ZeroPadding2D(1),
        keras.layers.SpatialDropout2D(0.2),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(3),
    ])


def conv1d_more():
    return keras.Sequential([
        keras.Input((10, 3)),
        keras.layers.Conv1DTranspose(4, 3, strides=2),
        keras.layers.DepthwiseConv1D(3),
        keras.layers.SeparableConv1D(3, 3, activation="relu"),
        keras.layers.Cropping1D(1),
        keras.layers.UpSampling1D(2),
        keras.layers.ZeroPadding1D(1),
        keras.layers.SpatialDropout1D(0.2),
        keras.layers.GlobalMaxPooling1D(),
        keras.layers.Dense(2),
    ])


# Ten layers of float32 sums in torch and in tfjs, in different orders: the weights load exactly,
# the predictions agree to ~6e-6 relative (the conv golden fixtures' worst is 6.6e-6).
DEEP_TOLERANCE = {"rtol": 1e-5, "floor": 1e-3}
for name, make, shape in [("conv2d_more", conv2d_more, (4, 8, 8, 2)), ("conv1d_more", conv1d_more, (4, 10, 3))]:
    keras.utils.set_random_seed(12)
    xm = random_normal(rng, shape)
    written = make()
    written.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    written.set_weights([random_normal(rng, w.shape, 0.5) for w in written.get_weights()])
    written.optimizer.build(written.trainable_variables)
    written.save(FILES / f"keras_{name}.keras")
    cases.append({"name": f"written by Keras: keras_{name}.keras", "file": f"keras_{name}.keras", "x": tensor(xm), "tolerance": DEEP_TOLERANCE,
                  "predictions": tensor(written.predict(xm, verbose=0)), "optimizer_variables": optimizer_state(written),
                  "layers": [layer.name for layer in written.layers]})
    theirs = keras.models.load_model(FILES / f"keras_like_{name}.keras")
    cases.append({"name": f"written by keras-like, loaded by Keras: keras_like_{name}.keras", "file": f"keras_like_{name}.keras", "x": tensor(xm), "tolerance": DEEP_TOLERANCE,
                  "predictions": tensor(theirs.predict(xm, verbose=0)), "optimizer_variables": optimizer_state(theirs),
                  "layers": [layer.name for layer in theirs.layers]})

write("saving_torch", cases, {"rtol": 1e-6, "floor": 1e-3}, notes=[__doc__.strip().splitlines()[0]], backend="torch")
