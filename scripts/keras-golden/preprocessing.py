"""Golden values for keras-like's text and sequence utilities, from real Keras 3.

Run from the repository root, with the team's Keras 3 recipe (NumPy backend, the dm-tree and
ml_dtypes shims, lazy jax imports, NumPy weak promotion):

    PYTHONHASHSEED=0 /work/ref/keras-python scripts/keras-golden/preprocessing.py

It writes test/fixtures/keras/preprocessing.json, which the tests read; nothing in the repo runs
Python at test time. PYTHONHASHSEED=0 fixes Python's string hash, which `one_hot` uses (with the
default random seed each process hashes differently, see docs/preprocessing.md).

`timeseries_dataset_from_array` needs TensorFlow or Grain, neither installed here: Keras's own
Grain code path runs on the small stand-in `_GrainStandIn` below, which only lists, zips and
batches (the window arithmetic is Keras's); shuffled cases are not recorded.
"""
import json
import pathlib
import os
import sys
import types

import numpy as np

if os.environ.get("PYTHONHASHSEED") != "0":
    # one_hot hashes with Python's hash: re-run this script with hash randomisation off.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
os.chdir(pathlib.Path(__file__).resolve().parents[2])
COMMIT = os.environ.get("KERAS_GOLDEN_COMMIT") or open("/work/ref/keras-commit.txt").read().strip()


class _MapDataset:
    def __init__(self, items):
        self.items = list(items)

    @staticmethod
    def source(items):
        return _MapDataset(items)

    def to_iter_dataset(self):
        return self

    def batch(self, batch_size, batch_fn):
        return [batch_fn(self.items[i : i + batch_size]) for i in range(0, len(self.items), batch_size)]


def _zip(datasets):
    return _MapDataset(zip(*(d.items for d in datasets)))


_GrainStandIn = types.ModuleType("grain")
_GrainStandIn.MapDataset = _MapDataset
_GrainStandIn.experimental = types.SimpleNamespace(ZipMapDataset=_zip)
sys.modules["grain"] = _GrainStandIn

import keras  # noqa: E402
from keras.src.legacy.preprocessing import sequence as legacy_sequence  # noqa: E402
from keras.src.legacy.preprocessing import text as legacy_text  # noqa: E402



def tolist(a):
    return np.asarray(a).tolist()


TEXTS = [
    "The cat sat on the mat.",
    "The dog ate my homework!",
    "Well done, the cat; well DONE.",
    "  spaces   and\ttabs\nnewlines  ",
    "",
    "café naïve Ünïcode — dash",
]

out = {
    "keras_version": keras.__version__,
    "keras_commit": COMMIT,
    "numpy_version": np.__version__,
    "text_to_word_sequence": [],
    "one_hot": [],
    "hashing_trick_md5": [],
    "tokenizer": [],
    "pad_sequences": [],
    "timeseries_generator": [],
    "timeseries_dataset_from_array": [],
}

for kwargs in [{}, {"lower": False}, {"split": ","}, {"filters": ""}, {"filters": "aeiou", "split": "t"}]:
    out["text_to_word_sequence"].append(
        {"kwargs": kwargs, "texts": TEXTS, "result": [legacy_text.text_to_word_sequence(t, **kwargs) for t in TEXTS]}
    )

for n in [50, 7, 2]:
    docs = ["Well done!", "Good work", "Great effort", "nice work", "Excellent!", "Weak", "Poor effort!",
            "not good", "poor work", "Could have done better.", "café naïve Ünïcode — dash 🙂 日本"]
    out["one_hot"].append({"n": n, "texts": docs, "result": [legacy_text.one_hot(d, n) for d in docs]})
    out["hashing_trick_md5"].append(
        {"n": n, "texts": docs, "result": [legacy_text.hashing_trick(d, n, hash_function="md5") for d in docs]}
    )

for kwargs in [
    {},
    {"num_words": 5},
    {"num_words": 5, "oov_token": "<OOV>"},
    {"oov_token": "<OOV>"},
    {"lower": False, "filters": ""},
    {"char_level": True},
    {"char_level": True, "num_words": 6, "oov_token": "?"},
]:
    tok = legacy_text.Tokenizer(**kwargs)
    tok.fit_on_texts(TEXTS)
    queries = ["the cat ate a fish", "DONE well, unseen words", "", "the the the mat"]
    seqs = tok.texts_to_sequences(queries)
    case = {
        "kwargs": kwargs,
        "fit_texts": TEXTS,
        "queries": queries,
        "word_index": tok.word_index,
        "index_word": {str(k): v for k, v in tok.index_word.items()},
        "word_counts": list(tok.word_counts.items()),
        "word_docs": dict(tok.word_docs),
        "index_docs": {str(k): v for k, v in tok.index_docs.items()},
        "document_count": tok.document_count,
        "texts_to_sequences": seqs,
        "sequences_to_texts": tok.sequences_to_texts(seqs + [[1, 2, 3, 99]]),
        "texts_to_matrix": {m: tolist(tok.texts_to_matrix(queries, mode=m)) for m in ["binary", "count", "tfidf", "freq"]},
        "sequences_to_matrix": {m: tolist(tok.sequences_to_matrix([[1, 2, 2, 3], [], [4, 4, 4, 1]], mode=m))
                                for m in ["binary", "count", "tfidf", "freq"]},
        "to_json": tok.to_json(),
    }
    out["tokenizer"].append(case)

SEQS = [[1], [2, 3], [4, 5, 6], [], [7, 8, 9, 10, 11]]
for kwargs in [
    {},
    {"maxlen": 3},
    {"maxlen": 3, "padding": "post"},
    {"maxlen": 3, "truncating": "post"},
    {"maxlen": 3, "padding": "post", "truncating": "post"},
    {"maxlen": 7, "value": -1},
    {"maxlen": 2, "value": 0.5, "dtype": "float32"},
    {"value": 2.7},
]:
    x = keras.preprocessing.sequence.pad_sequences(SEQS, **kwargs)
    out["pad_sequences"].append({"sequences": SEQS, "kwargs": kwargs, "result": tolist(x), "dtype": str(x.dtype)})
SEQS_2D = [[[1, 2], [3, 4]], [[5, 6]], []]
x = keras.preprocessing.sequence.pad_sequences(SEQS_2D, maxlen=3, dtype="float32", padding="post", value=9)
out["pad_sequences"].append(
    {"sequences": SEQS_2D, "kwargs": {"maxlen": 3, "dtype": "float32", "padding": "post", "value": 9},
     "result": tolist(x), "dtype": str(x.dtype)}
)

data = np.arange(40, dtype="float32").reshape(20, 2)
targets = np.arange(20, dtype="float32") * 10
for kwargs in [
    {"length": 3, "batch_size": 4},
    {"length": 4, "sampling_rate": 2, "stride": 3, "batch_size": 2},
    {"length": 2, "start_index": 5, "end_index": 15, "batch_size": 3, "reverse": True},
    {"length": 5, "batch_size": 128},
]:
    gen = legacy_sequence.TimeseriesGenerator(data, targets, **kwargs)
    batches = [[tolist(gen[i][0]), tolist(gen[i][1])] for i in range(len(gen))]
    out["timeseries_generator"].append({"kwargs": kwargs, "length": len(gen), "batches": batches})

series = np.arange(30, dtype="float32")
for kwargs in [
    {"sequence_length": 5, "batch_size": 4},
    {"sequence_length": 4, "sampling_rate": 2, "sequence_stride": 3, "batch_size": 3},
    {"sequence_length": 3, "start_index": 4, "end_index": 20, "batch_size": 5},
    {"sequence_length": 6, "batch_size": 100},
]:
    ds = keras.utils.timeseries_dataset_from_array(series[:-3], series[3:] * 10, format="grain", **kwargs)
    out["timeseries_dataset_from_array"].append(
        {"kwargs": kwargs, "data": "arange(30)[:-3]", "targets": "arange(30)[3:] * 10",
         "batches": [[tolist(x), tolist(y)] for x, y in ds]}
    )
ds = keras.utils.timeseries_dataset_from_array(series, None, sequence_length=10, sequence_stride=10, batch_size=2, format="grain")
out["timeseries_dataset_from_array"].append(
    {"kwargs": {"sequence_length": 10, "sequence_stride": 10, "batch_size": 2}, "data": "arange(30)", "targets": None,
     "batches": [tolist(x) for x in ds]}
)

with open("test/fixtures/keras/preprocessing.json", "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("wrote test/fixtures/keras/preprocessing.json")
