"""Metrics: every keras.metrics class keras-like has, over three update_state calls.

Each case gives the class, its keyword arguments and three batches (y_true, y_pred and, in the
"weighted" cases, sample weights), with `result()` after each `update_state`: the running
state is compared, not only one batch. Data: random values plus edge values (predictions
exactly 0 and 1, ties at the threshold, large logits).
"""

import contextlib

import numpy as np

from keras import metrics

import common
from common import tensorflow_backend_crossentropy


def batches(rng, kind):
    """Three (y_true, y_pred) batches of 4 samples of one kind of data, float32."""
    out = []
    for i in range(3):
        if kind == "binary":
            y_true = (rng.uniform(size=(4, 3)) > 0.5).astype(np.float32)
            y_pred = rng.uniform(size=(4, 3)).astype(np.float32)
            if i == 2:  # edges: exactly 0, 1 and the 0.5 threshold
                y_pred = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 0.5], [0.5, 0.3, 0.7], [0.0, 0.0, 1.0]], np.float32)
        elif kind == "binary column":
            y_true = (rng.uniform(size=(4, 1)) > 0.5).astype(np.float32)
            y_pred = rng.uniform(size=(4, 1)).astype(np.float32)
        elif kind == "logits":
            y_true = (rng.uniform(size=(4, 3)) > 0.5).astype(np.float32)
            y_pred = common.random_normal(rng, (4, 3), 3.0)
            if i == 2:
                y_pred = np.array([[100.0, -100.0, 0.0], [-100.0, 100.0, 20.0], [0.0, 0.0, -20.0], [50.0, -50.0, 1e-3]], np.float32)
        elif kind == "categorical":
            y_true = np.eye(5, dtype=np.float32)[rng.integers(0, 5, 4)]
            y_pred = rng.dirichlet(np.ones(5), 4).astype(np.float32)
            if i == 2:
                y_pred = np.array([[1, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0.5, 0.5, 0, 0, 0], [0.2, 0.2, 0.2, 0.2, 0.2]], np.float32)
        elif kind == "categorical logits":
            y_true = np.eye(5, dtype=np.float32)[rng.integers(0, 5, 4)]
            y_pred = common.random_normal(rng, (4, 5), 3.0)
        elif kind == "sparse":
            y_true = rng.integers(0, 5, 4).astype(np.float32)
            y_pred = rng.dirichlet(np.ones(5), 4).astype(np.float32)
        elif kind == "sparse logits":
            y_true = rng.integers(0, 5, 4).astype(np.float32)
            y_pred = common.random_normal(rng, (4, 5), 3.0)
        elif kind == "regression":
            y_true = common.random_normal(rng, (4, 3))
            y_pred = common.random_normal(rng, (4, 3))
        elif kind == "positive":
            y_true = rng.uniform(0.1, 3.0, (4, 3)).astype(np.float32)
            y_pred = rng.uniform(0.1, 3.0, (4, 3)).astype(np.float32)
        elif kind == "hinge":
            y_true = np.where(rng.uniform(size=(4, 3)) > 0.5, 1.0, -1.0).astype(np.float32)
            y_pred = common.random_normal(rng, (4, 3))
        elif kind == "values":  # Mean: one value per sample
            y_true = common.random_normal(rng, (4,), 2.0)
            y_pred = None
        else:
            raise ValueError(kind)
        out.append((y_true, y_pred))
    return out


METRICS = [
    ("Accuracy", {}, "categorical"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.7}, "binary"),
    ("CategoricalAccuracy", {}, "categorical"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("Precision", {}, "binary"),
    ("Precision", {"thresholds": 0.3}, "binary"),
    ("Precision", {"class_id": 1}, "binary"),
    ("Recall", {}, "binary"),
    ("Recall", {"thresholds": 0.7, "class_id": 2}, "binary"),
    ("TruePositives", {}, "binary"),
    ("FalsePositives", {"thresholds": 0.3}, "binary"),
    ("TrueNegatives", {}, "binary"),
    ("FalseNegatives", {}, "binary"),
    ("AUC", {}, "binary"),
    ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"num_thresholds": 7, "summation_method": "minoring"}, "binary column"),
    ("AUC", {"num_thresholds": 7, "summation_method": "majoring", "curve": "PR"}, "binary column"),
    ("AUC", {"from_logits": True}, "logits"),
    ("AUC", {"thresholds": [0.1, 0.4, 0.6, 0.9]}, "binary column"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "categorical logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse logits"),
    ("KLDivergence", {}, "categorical"),
    ("Poisson", {}, "positive"),
    ("Hinge", {}, "hinge"),
    ("SquaredHinge", {}, "hinge"),
    ("CategoricalHinge", {}, "categorical"),
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("RootMeanSquaredError", {}, "regression"),
    ("LogCoshError", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("CosineSimilarity", {"axis": 0}, "regression"),
    ("R2Score", {}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average", "num_regressors": 1}, "regression"),
    ("Mean", {}, "values"),
]

# Weights: one per sample, a zero among them (it must not count).
WEIGHTS = [np.array(w, np.float32) for w in ([0.5, 2.0, 0.0, 1.0], [1.0, 1.0, 3.0, 0.25], [0.0, 1.5, 1.0, 2.0])]


def run(class_name, kwargs, data, weighted):
    metric = getattr(metrics, class_name)(**kwargs)
    steps = []
    for (y_true, y_pred), w in zip(data, WEIGHTS):
        sample_weight = w if weighted else None
        if y_pred is None:
            metric.update_state(y_true, sample_weight=sample_weight)
        else:
            if class_name == "CosineSimilarity" and kwargs.get("axis") == 0 and weighted:
                sample_weight = w[:3]  # one weight per column: the per-sample values are per column
            metric.update_state(y_true, y_pred, sample_weight=sample_weight)
        steps.append(
            {
                "y_true": common.tensor(y_true),
                "y_pred": None if y_pred is None else common.tensor(y_pred),
                "sample_weight": None if sample_weight is None else common.tensor(sample_weight),
                "result": common.scalar(metric.result()),
            }
        )
    return steps


def main():
    cases = []
    for class_name, kwargs, kind in METRICS:
        data = batches(np.random.default_rng(len(cases)), kind)
        args = "".join(f" {k}={v}" for k, v in kwargs.items())
        # BCE from logits: Keras's backends disagree (common.tensorflow_backend_crossentropy);
        # keras-like follows TensorFlow's kernels, and the NumPy backend's results are kept beside.
        tensorflow = class_name == "BinaryCrossentropy" and kwargs.get("from_logits")
        for weighted in (False, True):
            with tensorflow_backend_crossentropy() if tensorflow else contextlib.nullcontext():
                case = {
                    "name": f"{class_name}{args} / {kind}{' / weighted' if weighted else ''}",
                    "class_name": class_name,
                    "kwargs": kwargs,
                    "steps": run(class_name, kwargs, data, weighted),
                }
            if tensorflow:
                case["backend"] = "tensorflow kernels"
                case["numpy_backend_results"] = [step["result"] for step in run(class_name, kwargs, data, weighted)]
            if class_name == "CosineSimilarity":
                # A sum of products of either sign: compared to 1e-7 absolute below 0.1.
                case["tolerance"] = {"rtol": 1e-6, "floor": 0.1}
            cases.append(case)
    common.write(
        "metrics",
        cases,
        {"rtol": 1e-6, "floor": 1e-3},
        notes=[
            "Three update_state calls per case, result() after each; weighted cases pass sample weights (a 0 among them).",
            "Tolerance: 1e-6 relative, 1e-9 absolute below 1e-3.",
            "Cases with backend 'tensorflow kernels' (BinaryCrossentropy from logits): Keras's backends disagree and keras-like follows TensorFlow's; Keras's metric code ran with TensorFlow's crossentropy formulas (common.py, tensorflow_backend_crossentropy); numpy_backend_results are the NumPy backend's.",
            "CosineSimilarity sums products of either sign: compared to 1e-7 absolute below 0.1.",
            "Masks: Keras metrics honour y_pred._keras_mask; keras-like has no masking layers, so no mask is compared.",
            "Not in keras-like (not compared): Precision/Recall top_k and lists of thresholds, AUC multi_label/num_labels/label_weights, *AtRecall/*AtPrecision, IoU metrics, F1/FBeta, Sum, MeanMetricWrapper of custom functions, ConcordanceCorrelation, PearsonCorrelation.",
        ],
    )


if __name__ == "__main__":
    main()
