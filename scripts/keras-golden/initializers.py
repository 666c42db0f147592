"""Initializers: what Keras 3 draws, as statistics, and the deterministic ones value by value.

Keras's seeded generators (NumPy's here, JAX's or TensorFlow's elsewhere) are not
TensorFlow.js's, so a seed cannot reproduce Keras's draws. Each random case therefore records
the distribution Keras uses for that shape (its parameters, from Keras's own fan computation:
`compute_fans`, then VarianceScaling's scale, limit or stddev) and the statistics of a large
draw with seed 14 (mean, standard deviation, min, max). Zeros, Ones, Constant and Identity are
deterministic and recorded whole; Orthogonal records its shape and that WᵀW (or WWᵀ) is gain²·I.
"""

import math

import numpy as np

from keras import initializers
from keras.src.initializers.random_initializers import compute_fans

import common

SHAPES = [[200, 300], [3, 3, 16, 32], [5000]]

VARIANCE_SCALING = [
    ("GlorotUniform", {}, "fan_avg", 1.0, "uniform"),
    ("GlorotNormal", {}, "fan_avg", 1.0, "truncated_normal"),
    ("HeUniform", {}, "fan_in", 2.0, "uniform"),
    ("HeNormal", {}, "fan_in", 2.0, "truncated_normal"),
    ("LecunUniform", {}, "fan_in", 1.0, "uniform"),
    ("LecunNormal", {}, "fan_in", 1.0, "truncated_normal"),
    ("VarianceScaling", {}, "fan_in", 1.0, "truncated_normal"),
    ("VarianceScaling", {"scale": 0.5, "mode": "fan_out", "distribution": "uniform"}, "fan_out", 0.5, "uniform"),
    ("VarianceScaling", {"scale": 3.0, "mode": "fan_avg", "distribution": "untruncated_normal"}, "fan_avg", 3.0, "untruncated_normal"),
]

RANDOM = [
    ("RandomNormal", {}, {"distribution": "normal", "mean": 0.0, "stddev": 0.05}),
    ("RandomNormal", {"mean": 1.0, "stddev": 0.3}, {"distribution": "normal", "mean": 1.0, "stddev": 0.3}),
    ("RandomUniform", {}, {"distribution": "uniform", "minval": -0.05, "maxval": 0.05}),
    ("RandomUniform", {"minval": 0.0, "maxval": 2.0}, {"distribution": "uniform", "minval": 0.0, "maxval": 2.0}),
    ("TruncatedNormal", {}, {"distribution": "truncated_normal", "mean": 0.0, "stddev": 0.05}),
    ("TruncatedNormal", {"mean": -1.0, "stddev": 0.5}, {"distribution": "truncated_normal", "mean": -1.0, "stddev": 0.5}),
]


def statistics(values):
    v = np.asarray(values, np.float64).reshape(-1)
    return {"count": int(v.size), "mean": float(v.mean()), "std": float(v.std()), "min": float(v.min()), "max": float(v.max())}


def variance_scaling_distribution(shape, mode, scale, distribution):
    """Keras's VarianceScaling.__call__ arithmetic, for the record (the test checks against it)."""
    fan_in, fan_out = compute_fans(shape)
    fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode]
    scale = scale / max(1.0, fan)
    if distribution == "uniform":
        limit = math.sqrt(3.0 * scale)
        return {"fan_in": fan_in, "fan_out": fan_out, "distribution": "uniform", "minval": -limit, "maxval": limit}
    if distribution == "truncated_normal":
        return {"fan_in": fan_in, "fan_out": fan_out, "distribution": "truncated_normal", "mean": 0.0, "stddev": math.sqrt(scale) / 0.87962566103423978}
    return {"fan_in": fan_in, "fan_out": fan_out, "distribution": "normal", "mean": 0.0, "stddev": math.sqrt(scale)}


def main():
    cases = []
    for class_name, kwargs, mode, scale, distribution in VARIANCE_SCALING:
        for shape in SHAPES:
            draw = getattr(initializers, class_name)(**kwargs, seed=14)(shape)
            args = "".join(f" {k}={v}" for k, v in kwargs.items())
            cases.append(
                {
                    "name": f"{class_name}{args} {shape}",
                    "kind": "random",
                    "class_name": class_name,
                    "kwargs": kwargs,
                    "shape": shape,
                    "distribution": variance_scaling_distribution(shape, mode, scale, distribution),
                    "keras_statistics": statistics(draw),
                }
            )
    for class_name, kwargs, distribution in RANDOM:
        shape = SHAPES[0]
        draw = getattr(initializers, class_name)(**kwargs, seed=14)(shape)
        args = "".join(f" {k}={v}" for k, v in kwargs.items())
        cases.append(
            {
                "name": f"{class_name}{args} {shape}",
                "kind": "random",
                "class_name": class_name,
                "kwargs": kwargs,
                "shape": shape,
                "distribution": distribution,
                "keras_statistics": statistics(draw),
            }
        )
    for class_name, kwargs, shape in [
        ("Zeros", {}, [3, 4]),
        ("Ones", {}, [2, 3, 2]),
        ("Constant", {"value": 0.3}, [3, 2]),
        ("Identity", {}, [4, 4]),
        ("Identity", {"gain": 2.0}, [3, 5]),
        ("Identity", {"gain": 0.5}, [5, 3]),
    ]:
        args = "".join(f" {k}={v}" for k, v in kwargs.items())
        values = getattr(initializers, class_name)(**kwargs)(shape)
        cases.append({"name": f"{class_name}{args} {shape}", "kind": "deterministic", "class_name": class_name, "kwargs": kwargs, "shape": shape, "values": common.tensor(values)})
    for kwargs, shape in [({}, [6, 4]), ({"gain": 2.0}, [4, 6]), ({}, [5, 5]), ({"gain": 0.5}, [3, 3, 2, 4])]:
        w = np.asarray(initializers.Orthogonal(**kwargs, seed=14)(shape)).reshape(-1, shape[-1])
        gram = w.T @ w if w.shape[0] >= w.shape[1] else w @ w.T
        gain = kwargs.get("gain", 1.0)
        args = "".join(f" {k}={v}" for k, v in kwargs.items())
        cases.append(
            {
                "name": f"Orthogonal{args} {shape}",
                "kind": "orthogonal",
                "class_name": "Orthogonal",
                "kwargs": kwargs,
                "shape": shape,
                "gain": gain,
                "keras_gram_error": float(np.abs(gram - gain**2 * np.eye(gram.shape[0])).max()),
            }
        )
    common.write(
        "initializers",
        cases,
        {"rtol": 1e-6, "floor": 1e-6},
        notes=[
            "Random initializers: Keras's seeded draws cannot be replayed by TensorFlow.js, so the distribution Keras uses for the shape (from compute_fans and VarianceScaling's arithmetic) and the statistics of Keras's draw (seed 14) are recorded; the test checks keras-like's draw against both statistically.",
            "Deterministic initializers (Zeros, Ones, Constant, Identity) are compared value by value at 1e-6.",
            "Orthogonal: shape and max |WᵀW - gain²I| (rows reshaped to [-1, last axis]); keras_gram_error is Keras's own.",
            "Not compared: VarianceScaling's input_axes/output_axes (Keras 3.16 arguments keras-like does not take), STFT initializers.",
        ],
    )


if __name__ == "__main__":
    main()
