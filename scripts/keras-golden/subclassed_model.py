"""Saving a subclassed keras.Model (its own call()), both ways, with real Keras 3 (issue 17).

Two classes, written the same way in TypeScript in packages/keras-like/test/saving/subclass_models.ts:

- TwoDense(hidden): d1 = Dense(hidden, relu), out = Dense(2); call: out(d1(x)). Registered as
  'course>TwoDense'; get_config adds `hidden`; no from_config (Keras's cls(**config) rebuilds it).
- Tower(head, depth): blocks = [Dense(3, tanh)] * depth, head = the layer given, _skip = Dense(2,
  use_bias=False); call: head(blocks(x)) + _skip(x). Not registered (it loads with custom_objects);
  its constructor takes a layer, so get_config serializes it and from_config deserializes it.

Keras walks a subclass's attributes by name (saving_lib._walk_saveable: sorted dir(), private last,
`layers` among them): TwoDense's d1 sits at d1/vars, its out at layers/dense_1/vars; Tower's blocks at
blocks/dense and blocks/dense_1, head at head/vars, _skip at layers/dense_3/vars. Each case records the
dataset paths of Keras's model.weights.h5, so the test checks keras-like writes the same.

1. Keras writes keras_subclass_two_dense.keras and keras_subclass_tower.keras (seeded weights,
   compiled with Adam, not trained: the NumPy backend has no gradients), then reloads them.
2. keras-like wrote keras_like_subclass_two_dense.keras and keras_like_subclass_tower.keras
   (scripts/keras-golden/subclassed_model_write.ts, run first: 3 epochs of Adam); Keras loads them
   and records its predictions, its get_config and its optimizer's variables.
3. What Keras 3.16 does without get_config / from_config, in its words: the error texts; and that
   its legacy .h5 loader cannot load a subclass (it writes one), with the class given or not.
Run: `pnpm exec tsx scripts/keras-golden/subclassed_model_write.ts`, then `run.sh subclassed_model`.
"""

import warnings
import zipfile
import io

import h5py
import numpy as np

import keras
from common import REPO, random_normal, tensor, write

FILES = REPO / "test" / "fixtures" / "keras-files"
rng = np.random.default_rng(2017)


@keras.saving.register_keras_serializable(package="course")
class TwoDense(keras.Model):
    def __init__(self, hidden=4, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.d1 = keras.layers.Dense(hidden, activation="relu")
        self.out = keras.layers.Dense(2)

    def call(self, x):
        return self.out(self.d1(x))

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden}


class Tower(keras.Model):
    def __init__(self, head, depth=2, **kwargs):
        super().__init__(**kwargs)
        self.depth = depth
        self.blocks = [keras.layers.Dense(3, activation="tanh") for _ in range(depth)]
        self.head = head
        self._skip = keras.layers.Dense(2, use_bias=False)

    def call(self, x):
        h = x
        for block in self.blocks:
            h = block(h)
        return self.head(h) + self._skip(x)

    def get_config(self):
        return {**super().get_config(), "depth": self.depth, "head": keras.saving.serialize_keras_object(self.head)}

    @classmethod
    def from_config(cls, config):
        head = keras.saving.deserialize_keras_object(config.pop("head"))
        return cls(head, **config)


def dataset_paths(path):
    """The datasets of the archive's model.weights.h5, sorted (h5py's own order)."""
    with zipfile.ZipFile(path) as archive, h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as f:
        found = []
        f.visititems(lambda name, obj: found.append(name) if isinstance(obj, h5py.Dataset) else None)
        return sorted(found)


def build(name):
    keras.utils.set_random_seed(5)
    if name == "two_dense":
        return TwoDense(5, name="two_dense")
    return Tower(keras.layers.Dense(2, name="tower_head"), depth=2, name="tower")


CUSTOM = {"Tower": Tower}
cases = []
for name in ["two_dense", "tower"]:
    model = build(name)
    x = random_normal(rng, (4, 3))
    model(x)
    model.set_weights([random_normal(rng, w.shape, 0.5) for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mean_squared_error")
    file = f"keras_subclass_{name}.keras"
    model.save(FILES / file)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the optimizer was not built: Keras's "Skipping variable loading" warning
        loaded = keras.models.load_model(FILES / file, custom_objects=CUSTOM)
    assert type(loaded) is type(model), name
    assert np.array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0)), name
    cases.append({
        "name": f"written by Keras: {file}", "file": file, "x": tensor(x), "predictions": tensor(model.predict(x, verbose=0)),
        "weights": [tensor(w) for w in model.get_weights()], "weight_paths": [w.path for w in model.weights],
        "layers": [layer.name for layer in model.layers], "config": model.get_config(), "datasets": dataset_paths(FILES / file),
    })

# keras-like's files: Keras loads them (with the same classes) and predicts.
for name in ["two_dense", "tower"]:
    file = f"keras_like_subclass_{name}.keras"
    loaded = keras.models.load_model(FILES / file, custom_objects=CUSTOM)
    x = random_normal(rng, (4, 3))
    cases.append({
        "name": f"written by keras-like, loaded by Keras: {file}", "file": file, "class": type(loaded).__name__, "x": tensor(x),
        "predictions": tensor(loaded.predict(x, verbose=0)), "weights": [tensor(w) for w in loaded.get_weights()],
        "optimizer_variables": [tensor(v) for v in loaded.optimizer.variables], "config": loaded.get_config(),
        "datasets": dataset_paths(FILES / file),
    })


# What Keras 3.16 says when a subclass lacks what saving needs.
class NoGetConfig(keras.Model):  # its constructor takes a layer: no automatic config
    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        self.layer = layer

    def call(self, x):
        return self.layer(x)


class NoKwargs(keras.Model):  # get_config adds nothing, but the constructor takes no keyword arguments
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(2)

    def call(self, x):
        return self.d(x)

    def get_config(self):
        return super().get_config()


def error_text(fn):
    try:
        fn()
    except Exception as error:  # noqa: BLE001 - the point is to record what is raised
        return {"type": type(error).__name__, "message": str(error)}
    return None


tmp = FILES / "tmp_subclass_errors.keras"
model = NoGetConfig(keras.layers.Dense(2))
model(np.ones((1, 3), "float32"))
save_error = error_text(lambda: model.save(tmp))
model = NoKwargs()
model(np.ones((1, 3), "float32"))
model.save(tmp)
locate_error = error_text(lambda: keras.models.load_model(tmp))
revive_error = error_text(lambda: keras.models.load_model(tmp, custom_objects={"NoKwargs": NoKwargs}))
tmp.unlink()
# The legacy .h5 file: Keras 3.16 writes a subclass's model_config and weights, but its legacy loader
# does not build the subclass, so loading fails even with the class given.
legacy = FILES / "tmp_subclass_legacy.h5"
model = build("two_dense")
model(np.ones((1, 3), "float32"))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "This file format is considered legacy"
    model.save(legacy)
legacy_errors = {"without_the_class": error_text(lambda: keras.models.load_model(legacy, custom_objects={})),
                 "with_the_class": error_text(lambda: keras.models.load_model(legacy, custom_objects={"TwoDense": TwoDense}))}
legacy.unlink()
cases.append({"name": "errors without get_config / from_config", "save_without_get_config": save_error,
              "load_without_the_class": locate_error, "load_constructor_refuses_config": revive_error,
              "legacy_h5_load": legacy_errors})

write("subclassed_model", cases, {"rtol": 1e-6, "floor": 0.1}, notes=[__doc__.strip().splitlines()[0]])
