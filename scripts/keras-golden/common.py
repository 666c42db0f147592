"""What every golden-value script shares: the fixture format and where it is written.

A fixture is test/fixtures/keras/<module>.json:

    {"format": "keras-golden/1", "module": "optimizers", "generated_by": "scripts/keras-golden/optimizers.py",
     "keras": {"version", "commit", "backend", "numpy", "promotion"},
     "tolerance": {"rtol": 1e-6, "floor": 1e-3},
     "notes": ["..."],
     "cases": [{"name": "...", ...}, ...]}

A case is free-form JSON; every array in it is a tensor {"shape": [...], "dtype": "float32",
"values": [...flat, row-major...]}, NaN and infinities written "NaN", "Infinity", "-Infinity".
float32 values are written in their shortest round-trip form, so Math.fround(value) is the
exact float32. The tolerance is the module's default (a case may carry its own "tolerance"):
an element passes when |actual - expected| <= rtol * max(|expected|, floor).
Output is deterministic (no timestamps): re-running on the same Keras gives no diff.
"""

import contextlib
import json
import math
import os
import pathlib
import sys

import numpy as np

import keras

np.seterr(all="ignore")  # exp(100) overflows to inf in float32, as the fixtures record

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "test" / "fixtures" / "keras"


def keras_info(backend="numpy"):
    """The Keras that produced the numbers; run.sh exports the commit from prepare.py's file.
    `backend="torch"` for the modules that need Keras's torch backend (conv, pooling: run.sh
    picks it from the module's first line)."""
    commit = os.environ.get("KERAS_GOLDEN_COMMIT")
    if not commit:
        sys.exit("KERAS_GOLDEN_COMMIT is not set: run these scripts through scripts/keras-golden/run.sh")
    if keras.backend.backend() != backend:
        sys.exit(f"expected the {backend} backend, got {keras.backend.backend()}")
    info = {
        "version": keras.__version__,
        "commit": commit,
        "backend": keras.backend.backend(),
        "numpy": np.__version__,
        "promotion": np._get_promotion_state(),
    }
    if backend == "torch":
        import torch  # only the torch modules have it

        # Debian's python3-torch 1.13.1 reports its pre-release tag, 1.13.0a0: record both.
        info["torch"] = f"{torch.__version__} (Debian python3-torch {_debian_version('python3-torch')})"
    return info


def _debian_version(package):
    import subprocess

    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True).stdout or "?"


def _number(value, dtype):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if np.issubdtype(dtype, np.integer):
        return int(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if dtype == np.float32:
        return float(str(np.float32(value)))  # shortest text that round-trips to this float32
    return float(value)


def tensor(x, dtype=None):
    """A tensor as fixture JSON; float64 input is kept float64 only when dtype says so."""
    array = np.asarray(keras.ops.convert_to_numpy(x))
    if dtype is not None:
        array = array.astype(dtype)
    elif array.dtype == np.float64:
        array = array.astype(np.float32)
    return {
        "shape": list(array.shape),
        "dtype": str(array.dtype),
        "values": [_number(v, array.dtype) for v in array.reshape(-1).tolist()],
    }


def scalar(x):
    """A float32 scalar as a plain JSON number (a loss value, a metric result)."""
    return _number(float(np.float32(keras.ops.convert_to_numpy(x))), np.float32)


def random_normal(rng, shape, scale=1.0):
    """float32 normal draws; the values land in the fixture, so the generator is not replayed."""
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def write(module, cases, tolerance, notes=(), backend="numpy"):
    names = [case["name"] for case in cases]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        sys.exit(f"{module}: duplicate case names {duplicates}")
    FIXTURES.mkdir(parents=True, exist_ok=True)
    header = {
        "format": "keras-golden/1",
        "module": module,
        "generated_by": f"scripts/keras-golden/{module}.py",
        "keras": keras_info(backend),
        "tolerance": tolerance,
        "notes": list(notes),
    }
    # One case per line: small diffs when a case changes, and the file stays greppable.
    lines = json.dumps(header, indent=1)[:-2] + ',\n "cases": [\n'
    lines += ",\n".join("  " + json.dumps(case, separators=(",", ":"), allow_nan=False) for case in cases)
    lines += "\n ]\n}\n"
    path = FIXTURES / f"{module}.json"
    path.write_text(lines)
    print(f"{path.relative_to(REPO)}: {len(cases)} cases")


class _Logits(np.ndarray):
    """A sigmoid's output that remembers its logits, as TensorFlow tensors carry `_keras_logits`."""


@contextlib.contextmanager
def tensorflow_backend_crossentropy():
    """Keras's NumPy backend with its three crossentropy kernels replaced by what
    keras/src/backend/tensorflow/nn.py computes (written in NumPy, float32). The backends
    disagree there, and keras-like follows TensorFlow's (with JAX and PyTorch in the first):
    - binary_crossentropy(from_logits=True): TF (and JAX, PyTorch) compute from the logits,
      max(z, 0) - z t + log1p(exp(-|z|)); NumPy takes sigmoid(z) then clips to [1e-7, 1 - 1e-7],
      so a logit of 100 on the wrong side costs 16.1, not 100.
    - a sigmoid's output given to binary_crossentropy (BinaryFocalCrossentropy from_logits): TF
      reads the logits back (`_get_logits`, `_keras_logits`) and computes from them; NumPy, JAX
      and PyTorch clip the probabilities.
    - sparse_categorical_crossentropy from probabilities: TF clips, takes logs and then
      normalises by log-sum-exp; NumPy (and JAX) normalise first, then clip.
    """
    # Imported here: importing keras.src.backend.numpy on the torch backend would replace
    # keras.src.backend.numpy (torch's NumPy-like ops) with the NumPy backend's module.
    from keras.src.backend.numpy import nn as numpy_nn

    saved = numpy_nn.sigmoid, numpy_nn.binary_crossentropy, numpy_nn.sparse_categorical_crossentropy
    sigmoid, binary, sparse = saved

    def tf_sigmoid(x):
        out = np.asarray(sigmoid(x)).view(_Logits)
        out._keras_logits = np.asarray(x, np.float32)
        return out

    def tf_binary(target, output, from_logits=False):
        logits = getattr(output, "_keras_logits", None)
        if logits is not None:
            output, from_logits = logits, True
        if not from_logits:
            return binary(target, np.asarray(output), from_logits=False)
        z = np.asarray(output, np.float32)
        t = np.asarray(target, np.float32)
        return np.maximum(z, np.float32(0)) - z * t + np.log1p(np.exp(-np.abs(z)))

    def tf_sparse(target, output, from_logits=False, axis=-1):
        if from_logits:
            return sparse(target, output, from_logits=True, axis=axis)
        log_p = np.log(np.clip(np.asarray(output, np.float32), np.float32(1e-7), np.float32(1 - 1e-7)))
        return sparse(target, log_p, from_logits=True, axis=axis)

    numpy_nn.sigmoid, numpy_nn.binary_crossentropy, numpy_nn.sparse_categorical_crossentropy = tf_sigmoid, tf_binary, tf_sparse
    try:
        yield
    finally:
        numpy_nn.sigmoid, numpy_nn.binary_crossentropy, numpy_nn.sparse_categorical_crossentropy = saved
