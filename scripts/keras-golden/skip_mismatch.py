"""`model.load_weights(path, skip_mismatch=True)` in Keras 3 (issue 17): what loads, what is skipped, what is said.

A source net (Input 4 -> Dense 3 -> Dense 2 -> Dense 2 -> Dense 2, layers named src1..src4) writes
test/fixtures/keras-files/keras_skip_source.weights.h5 and the legacy keras_skip_source.h5. A target net
of another shape (Dense 3 -> Dense 5 -> Dense 2 -> Dense 2 without bias, named dst1..dst4, model
'target') is given seeded weights, then loads each file with and without skip_mismatch; the fixture
holds the target's weights before and after, and Keras's warnings and error messages.

- `.weights.h5` (saving_lib.load_weights_only): dst2 (kernel (3, 5) vs (3, 2)), dst3 (kernel (5, 2) vs
  (2, 2)) and dst4 (1 variable, 2 saved) fail in `load_own_variables`; with skip_mismatch they keep
  their weights and one warning lists them, without it the same text is raised.
- legacy `.h5` (legacy_h5_format.load_weights_from_hdf5_group): shapes are checked weight by weight,
  so dst3's bias (2,) loads while its kernel is skipped, one warning per skipped weight. A count
  mismatch is an error even with skip_mismatch, so the legacy target has dst4 with a bias.
- legacy `.h5` with by_name=True: layers are matched by name (src1 -> a target layer named src1).
"""

import warnings

import numpy as np

import keras
from common import REPO, random_normal, tensor, write

FILES = REPO / "test" / "fixtures" / "keras-files"
rng = np.random.default_rng(1717)


def source():
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="src1"), keras.layers.Dense(2, name="src2"),
                              keras.layers.Dense(2, name="src3"), keras.layers.Dense(2, name="src4")], name="source")
    model.set_weights([random_normal(rng, w.shape, 0.5) for w in model.get_weights()])
    return model


def target(names=("dst1", "dst2", "dst3", "dst4"), last_bias=False):
    keras.utils.set_random_seed(8)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name=names[0]), keras.layers.Dense(5, name=names[1]),
                              keras.layers.Dense(2, name=names[2]), keras.layers.Dense(2, use_bias=last_bias, name=names[3])], name="target")
    return model


def load(model, path, **kwargs):
    """Loads with Keras, returning (warnings, error) as text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        error = None
        try:
            model.load_weights(path, **kwargs)
        except ValueError as e:
            error = str(e)
    return [str(w.message) for w in caught if "HDF5" not in str(w.message)], error


src = source()
src.save_weights(FILES / "keras_skip_source.weights.h5")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    src.save(FILES / "keras_skip_source.h5")
cases = []
for file, last_bias, names, kwargs in [
    ("keras_skip_source.weights.h5", False, None, {}),
    ("keras_skip_source.weights.h5", False, None, {"skip_mismatch": True}),
    ("keras_skip_source.h5", True, None, {}),
    ("keras_skip_source.h5", True, None, {"skip_mismatch": True}),
    ("keras_skip_source.h5", True, ("src1", "src2", "other", "src4"), {"by_name": True, "skip_mismatch": True}),
    ("keras_skip_source.h5", True, ("src1", "src2", "other", "src4"), {"by_name": True}),
]:
    model = target(names or ("dst1", "dst2", "dst3", "dst4"), last_bias)
    before = [random_normal(rng, w.shape, 0.5) for w in model.get_weights()]
    model.set_weights(before)
    caught, error = load(model, FILES / file, **kwargs)
    cases.append({
        "name": f"{file} {kwargs}", "file": file, "options": kwargs, "layer_names": [layer.name for layer in model.layers],
        "last_bias": last_bias, "source_weights": [tensor(w) for w in src.get_weights()],
        "before": [tensor(w) for w in before], "after": [tensor(w) for w in model.get_weights()],
        "warnings": caught, "error": error,
    })

write("skip_mismatch", cases, {"rtol": 0, "floor": 0}, notes=[__doc__.strip().splitlines()[0]])
