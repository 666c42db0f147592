"""Losses: every keras.losses class keras-like has, per sample and reduced, with sample weights.

Each case gives the class, its keyword arguments, y_true / y_pred (and the sample weights),
Keras's per-sample `loss.call(y_true, y_pred)` and the reduced value of
`cls(**kwargs, reduction=r)(y_true, y_pred, sample_weight=w)` for every reduction, with and
without the weights. Data: random values, plus edge values (predictions exactly 0 and 1,
y_pred == y_true, large logits ±100).
"""

import contextlib

import numpy as np

from keras import losses

import common
from common import tensorflow_backend_crossentropy


# Where the backends disagree (see tensorflow_backend_crossentropy), and which data shows it.
TENSORFLOW_CASES = {
    ("BinaryCrossentropy", "binary large logits"),
    ("BinaryFocalCrossentropy", "binary large logits"),
    ("SparseCategoricalCrossentropy", "sparse edge probabilities"),
}

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"]


def data(rng):
    """Named (y_true, y_pred) pairs, float32, batch of 4."""
    probs = rng.uniform(0.02, 0.98, (4, 3)).astype(np.float32)
    labels = (rng.uniform(size=(4, 3)) > 0.5).astype(np.float32)
    edge_probs = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 1e-8], [1 - 1e-7, 0.3, 0.7], [0.0, 0.0, 1.0]], np.float32)
    edge_labels = np.array([[0, 1, 1], [0, 1, 0], [1, 0, 1], [1, 0, 1]], np.float32)
    logits = common.random_normal(rng, (4, 3), 3.0)
    large_logits = np.array([[100.0, -100.0, 0.0], [-100.0, 100.0, 20.0], [0.0, 0.0, -20.0], [50.0, -50.0, 1e-3]], np.float32)
    onehot = np.eye(5, dtype=np.float32)[[0, 3, 1, 4]]
    softmax = rng.dirichlet(np.ones(5), 4).astype(np.float32)
    edge_softmax = np.array([[1, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0.5, 0.5, 0, 0, 0], [0.2, 0.2, 0.2, 0.2, 0.2]], np.float32)
    class_logits = common.random_normal(rng, (4, 5), 3.0)
    class_large_logits = np.array([[100, -100, 0, 0, 0], [0, 0, 0, 0, 100], [-100, 50, 50, 0, 0], [1e3, 0, 0, 0, -1e3]], np.float32)
    regression_true = common.random_normal(rng, (4, 3))
    regression_pred = common.random_normal(rng, (4, 3))
    positive_true = rng.uniform(0.1, 3.0, (4, 3)).astype(np.float32)
    positive_pred = rng.uniform(0.1, 3.0, (4, 3)).astype(np.float32)
    signs = np.where(labels > 0, 1.0, -1.0).astype(np.float32)
    return {
        "regression": (regression_true, regression_pred),
        "regression y_pred == y_true": (regression_true, regression_true.copy()),
        "regression zeros": (np.zeros((4, 3), np.float32), regression_pred),
        "positive": (positive_true, positive_pred),
        "binary probabilities": (labels, probs),
        "binary edge probabilities": (edge_labels, edge_probs),
        "binary logits": (labels, logits),
        "binary large logits": (edge_labels, large_logits),
        "hinge ±1 labels": (signs, logits),
        "categorical probabilities": (onehot, softmax),
        "categorical edge probabilities": (onehot, edge_softmax),
        "categorical logits": (onehot, class_logits),
        "categorical large logits": (onehot, class_large_logits),
        "soft labels": (softmax[::-1].copy(), softmax),
        "sparse probabilities": (np.array([0, 3, 1, 4], np.float32), softmax),
        "sparse edge probabilities": (np.array([0, 4, 2, 1], np.float32), edge_softmax),
        "sparse logits": (np.array([0, 3, 1, 4], np.float32), class_logits),
        "sparse large logits": (np.array([0, 4, 1, 0], np.float32), class_large_logits),
    }


REGRESSION = ["regression", "regression y_pred == y_true", "regression zeros"]
BINARY_P = ["binary probabilities", "binary edge probabilities"]
BINARY_Z = ["binary logits", "binary large logits"]
CATEGORICAL_P = ["categorical probabilities", "categorical edge probabilities", "soft labels"]
CATEGORICAL_Z = ["categorical logits", "categorical large logits"]

LOSSES = [
    ("MeanSquaredError", {}, REGRESSION),
    ("MeanAbsoluteError", {}, REGRESSION),
    ("MeanAbsolutePercentageError", {}, REGRESSION + ["positive"]),
    ("MeanSquaredLogarithmicError", {}, ["positive", "regression"]),
    ("LogCosh", {}, REGRESSION),
    ("Huber", {}, REGRESSION),
    ("Huber", {"delta": 0.5}, REGRESSION),
    ("CosineSimilarity", {}, REGRESSION),
    ("CosineSimilarity", {"axis": 0}, ["regression"]),
    ("Hinge", {}, ["hinge ±1 labels", "binary logits"]),
    ("SquaredHinge", {}, ["hinge ±1 labels", "binary logits"]),
    ("CategoricalHinge", {}, ["categorical logits", "categorical probabilities"]),
    ("KLDivergence", {}, ["categorical probabilities", "soft labels", "categorical edge probabilities"]),
    ("Poisson", {}, ["positive", "binary probabilities"]),
    ("BinaryCrossentropy", {}, BINARY_P),
    ("BinaryCrossentropy", {"from_logits": True}, BINARY_Z),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, BINARY_P),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, BINARY_Z),
    ("CategoricalCrossentropy", {}, CATEGORICAL_P),
    ("CategoricalCrossentropy", {"from_logits": True}, CATEGORICAL_Z),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, CATEGORICAL_P),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, CATEGORICAL_Z),
    ("SparseCategoricalCrossentropy", {}, ["sparse probabilities", "sparse edge probabilities"]),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, ["sparse logits", "sparse large logits"]),
    ("BinaryFocalCrossentropy", {}, BINARY_P),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5}, BINARY_P),
    ("BinaryFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, BINARY_Z),
    ("CategoricalFocalCrossentropy", {}, CATEGORICAL_P),
    ("CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 1.0, "label_smoothing": 0.1}, CATEGORICAL_P),
    ("CategoricalFocalCrossentropy", {"from_logits": True}, CATEGORICAL_Z),
]


def main():
    rng = np.random.default_rng(14)
    datasets = data(rng)
    sample_weight = np.array([0.5, 2.0, 0.0, 1.0], np.float32)
    cases = []
    for class_name, kwargs, names in LOSSES:
        cls = getattr(losses, class_name)
        for data_name in names:
            y_true, y_pred = datasets[data_name]
            tensorflow = (class_name, data_name) in TENSORFLOW_CASES
            with tensorflow_backend_crossentropy() if tensorflow else contextlib.nullcontext():
                call = cls(**kwargs).call(y_true, y_pred)
                # One weight per per-sample value (CosineSimilarity on axis 0 has one per column).
                weights = sample_weight[: np.shape(call)[0]]
                reduced = {}
                for reduction in REDUCTIONS:
                    loss = cls(**kwargs, reduction=reduction)
                    reduced[reduction] = common.tensor(loss(y_true, y_pred))
                    reduced[f"{reduction} weighted"] = common.tensor(loss(y_true, y_pred, sample_weight=weights))
            args = "".join(f" {k}={v}" for k, v in kwargs.items())
            case = {
                "name": f"{class_name}{args} / {data_name}",
                "class_name": class_name,
                "kwargs": kwargs,
                "y_true": common.tensor(y_true),
                "y_pred": common.tensor(y_pred),
                "sample_weight": common.tensor(weights),
                "call": common.tensor(call),
                "reduced": reduced,
            }
            if tensorflow:
                case["backend"] = "tensorflow kernels"
                case["numpy_backend_call"] = common.tensor(cls(**kwargs).call(y_true, y_pred))
            if data_name == "sparse edge probabilities":
                # A perfect prediction: the loss is -log of a float32 next to 1, known to one ulp
                # of 1 (1.2e-7) whichever way it is computed; compared to 2.5e-7 absolute below 0.25.
                case["tolerance"] = {"rtol": 1e-6, "floor": 0.25}
            if class_name == "LogCosh":
                # x + softplus(-2x) - log 2 cancels O(1) terms: compared to 1e-7 absolute (about one float32 ulp of 1) below 0.1.
                case["tolerance"] = {"rtol": 1e-6, "floor": 0.1}
            cases.append(case)
    common.write(
        "losses",
        cases,
        {"rtol": 1e-6, "floor": 1e-3},
        notes=[
            "loss.call(y_true, y_pred) per sample, and cls(**kwargs, reduction=r)(y_true, y_pred, sample_weight=w) for every reduction, w = [0.5, 2, 0, 1].",
            "Tolerance: 1e-6 relative, 1e-9 absolute below 1e-3.",
            "Cases with backend 'tensorflow kernels': the backends disagree and keras-like follows TensorFlow's; Keras's loss code ran with the NumPy backend's crossentropy kernels replaced by TensorFlow's formulas (common.py, tensorflow_backend_crossentropy); numpy_backend_call is what the NumPy backend gives.",
            "Sparse edge probabilities (perfect predictions, losses of order 1e-7): compared to 2.5e-7 absolute below 0.25 (one ulp of 1 either way; TensorFlow's log-sum-exp and keras-like's log of the clipped sum round differently).",
            "LogCosh: x + softplus(-2x) - log 2 cancels O(1) terms; compared to 1e-7 absolute (about one float32 ulp of 1) below 0.1.",
            "Masks: Keras losses honour y_pred._keras_mask; keras-like has no masking layers, so no mask is compared.",
            "Not in keras-like (not compared): Dice, Tversky, CTC, Circle, sparse ignore_class.",
        ],
    )


if __name__ == "__main__":
    main()
