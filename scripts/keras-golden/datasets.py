"""Small files in the formats of Keras's dataset cache, and what Keras 3's load_data makes of them.

Run from the repository root with the team's Keras 3 recipe (NumPy backend):

    /work/ref/keras-python scripts/keras-golden/datasets.py

It writes test/fixtures/keras/datasets/ laid out as a KERAS_HOME (datasets/mnist.npz,
datasets/fashion-mnist/*.gz, datasets/cifar-10-batches-py/, datasets/cifar-100-python-target/
cifar-100-python/, imdb.npz, imdb_word_index.json, reuters.npz, boston_housing.npz) with random
contents made by NumPy, and test/fixtures/keras/datasets.json with what Keras's own load_data
functions return for them (their `get_file` replaced by the local path: Keras would otherwise
check the real file's hash and try to download). The CIFAR batches are pickled as Python 2
wrote the real ones (protocol 2, bytes as `str` opcodes), and read back by Keras's own
`load_batch` to prove it. Also NumPy's RandomState shuffles, which the loaders reproduce.
"""
import gzip
import json
import pathlib
import os
import pickle
import struct

import numpy as np

os.chdir(pathlib.Path(__file__).resolve().parents[2])
COMMIT = os.environ.get("KERAS_GOLDEN_COMMIT") or open("/work/ref/keras-commit.txt").read().strip()

import keras
from keras.src.datasets import boston_housing, cifar, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters

HOME = "test/fixtures/keras/datasets"
D = f"{HOME}/datasets"
rng = np.random.RandomState(7)


class Py2Pickler(pickle._Pickler):
    """Writes bytes as Python 2's str opcodes, as the real CIFAR files have them."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_str_bytes(self, obj):
        n = len(obj)
        self.write(pickle.SHORT_BINSTRING + bytes([n]) + obj if n < 256 else pickle.BINSTRING + struct.pack("<i", n) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_str_bytes


def cifar_batch(path, n, label_keys):
    d = {b"batch_label": b"testing batch", b"data": rng.randint(0, 256, (n, 3072)).astype("uint8")}
    for key, classes in label_keys.items():
        d[key] = [int(v) for v in rng.randint(0, classes, n)]
    with open(path, "wb") as f:
        Py2Pickler(f, protocol=2).dump(d)


os.makedirs(f"{D}/fashion-mnist", exist_ok=True)
os.makedirs(f"{D}/cifar-10-batches-py", exist_ok=True)
os.makedirs(f"{D}/cifar-100-python-target/cifar-100-python", exist_ok=True)

np.savez(f"{D}/mnist.npz", x_train=rng.randint(0, 256, (4, 28, 28)).astype("uint8"), y_train=np.array([5, 0, 4, 1], "uint8"),
         x_test=rng.randint(0, 256, (2, 28, 28)).astype("uint8"), y_test=np.array([7, 2], "uint8"))
for name, n, is_images in [("train-labels-idx1-ubyte.gz", 3, False), ("train-images-idx3-ubyte.gz", 3, True),
                           ("t10k-labels-idx1-ubyte.gz", 2, False), ("t10k-images-idx3-ubyte.gz", 2, True)]:
    header = struct.pack(">IIII", 2051, n, 28, 28) if is_images else struct.pack(">II", 2049, n)
    body = rng.randint(0, 256, n * 784 if is_images else n).astype("uint8") if is_images else rng.randint(0, 10, n).astype("uint8")
    with gzip.GzipFile(f"{D}/fashion-mnist/{name}", "wb", mtime=0) as f:  # mtime 0: the same bytes on every run
        f.write(header + body.tobytes())
for i in range(1, 6):
    cifar_batch(f"{D}/cifar-10-batches-py/data_batch_{i}", 2, {b"labels": 10})
cifar_batch(f"{D}/cifar-10-batches-py/test_batch", 2, {b"labels": 10})
cifar_batch(f"{D}/cifar-100-python-target/cifar-100-python/train", 3, {b"fine_labels": 100, b"coarse_labels": 20})
cifar_batch(f"{D}/cifar-100-python-target/cifar-100-python/test", 2, {b"fine_labels": 100, b"coarse_labels": 20})


def ragged(n, vocabulary):
    out = np.empty(n, dtype="object")
    for i in range(n):
        out[i] = [int(w) for w in rng.randint(1, vocabulary, rng.randint(1, 12))]
    return out


np.savez(f"{D}/imdb.npz", x_train=ragged(30, 40), y_train=rng.randint(0, 2, 30).astype("int64"),
         x_test=ragged(20, 40), y_test=rng.randint(0, 2, 20).astype("int64"))
with open(f"{D}/imdb_word_index.json", "w") as f:
    json.dump({"the": 1, "and": 2, "a": 3, "constructor": 4}, f)
np.savez(f"{D}/reuters.npz", x=ragged(25, 30), y=rng.randint(0, 46, 25).astype("int64"))
np.savez(f"{D}/boston_housing.npz", x=rng.uniform(0, 100, (20, 13)), y=rng.uniform(5, 50, 20))

# Keras's load_data on these files: get_file returns the local file (or the extracted folder).
local = {
    mnist: f"{D}/mnist.npz", imdb: f"{D}/imdb.npz", reuters: f"{D}/reuters.npz", boston_housing: f"{D}/boston_housing.npz",
    cifar10: D, cifar100: f"{D}/cifar-100-python-target",
}
for module, path in local.items():
    module.get_file = lambda *a, _path=path, **k: _path
fashion_mnist.get_file = lambda fname, *a, **k: f"{D}/fashion-mnist/{fname}"


def cifar10_small():
    # cifar10.load_data assumes 10,000 images per batch; these have 2, so its steps are
    # applied here to Keras's own load_batch: concatenate, labels as a column, channels last.
    parts = [cifar.load_batch(f"{D}/cifar-10-batches-py/data_batch_{i}") for i in range(1, 6)]
    x_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts]).astype("uint8").reshape(-1, 1)
    x_test, y_test = cifar.load_batch(f"{D}/cifar-10-batches-py/test_batch")
    return (x_train.transpose(0, 2, 3, 1), y_train), (x_test.transpose(0, 2, 3, 1), np.reshape(y_test, (-1, 1)).astype("uint8"))


def dump(value):
    if isinstance(value, tuple):
        return [dump(v) for v in value]
    if isinstance(value, np.ndarray) and value.dtype == object:
        return [list(map(int, x)) for x in value]
    a = np.asarray(value)
    return {"shape": list(a.shape), "values": a.ravel().tolist()}


cases = {
    "mnist": dump(mnist.load_data()),
    "fashion_mnist": dump(fashion_mnist.load_data()),
    "cifar10": dump(cifar10_small()),
    "cifar100_fine": dump(cifar100.load_data()),
    "cifar100_coarse": dump(cifar100.load_data(label_mode="coarse")),
    "imdb": dump(imdb.load_data()),
    "imdb_options": dump(imdb.load_data(num_words=20, skip_top=3, maxlen=9, seed=5, start_char=None, oov_char=None, index_from=0)),
    "imdb_oov": dump(imdb.load_data(num_words=15, oov_char=9, index_from=2)),
    "reuters": dump(reuters.load_data()),
    "reuters_options": dump(reuters.load_data(num_words=12, test_split=0.4, maxlen=8, seed=1)),
    "boston_housing": dump(boston_housing.load_data()),
    "boston_housing_split": dump(boston_housing.load_data(test_split=0.5, seed=3)),
}
# The pickles are Python 2 style (BINSTRING), and Keras's own reader accepts them.
data, labels = cifar.load_batch(f"{D}/cifar-10-batches-py/test_batch")
assert data.shape == (2, 3, 32, 32) and len(labels) == 2

shuffles = []
for seed, sizes in [(113, [10, 12]), (0, [1000]), (4294967295, [70000])]:
    r = np.random.RandomState(seed)
    for n in sizes:
        a = np.arange(n)
        r.shuffle(a)
        shuffles.append({"seed": seed, "n": n, "first": a[:30].tolist(), "sum_of_squares_weighted": int((a * np.arange(n) % 1000003).sum())})

with open("test/fixtures/keras/datasets.json", "w") as f:
    json.dump({"keras_version": keras.__version__, "keras_commit": COMMIT,
               "numpy_version": np.__version__, "load_data": cases, "random_state_shuffle": shuffles}, f)
    f.write("\n")
print("wrote", HOME, "and test/fixtures/keras/datasets.json")
