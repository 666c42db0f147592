"""Activations: every keras.activations function, forward, on edge values and random inputs.

Each case gives the function's name, its keyword arguments, the input and Keras's output.
Inputs: a row of edge values (0, ±1e-3, ±1, ±5, ±20, ±100: saturation, overflow of exp) and
a [4, 6] random matrix (scale 3); softmax-like functions also get large logits.
"""

import numpy as np

from keras import activations

import common

EDGES = np.array([-100, -20, -5, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 5, 20, 100], np.float32)

FUNCTIONS = [
    ("relu", {}),
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"threshold": 0.5}),
    ("relu", {"negative_slope": 0.2, "max_value": 4.0, "threshold": -1.0}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.05}),
    ("relu6", {}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("softmax", {}),
    ("softmax", {"axis": 0}),
    ("log_softmax", {}),
    ("log_softmax", {"axis": 0}),
    ("elu", {}),
    ("elu", {"alpha": 0.5}),
    ("selu", {}),
    ("softplus", {}),
    ("softsign", {}),
    ("exponential", {}),
    ("linear", {}),
    ("hard_sigmoid", {}),
    ("hard_silu", {}),
    ("silu", {}),
    ("gelu", {}),
    ("gelu", {"approximate": True}),
    ("mish", {}),
    ("log_sigmoid", {}),
    ("celu", {}),
    ("celu", {"alpha": 0.5}),
    ("hard_tanh", {}),
    ("tanh_shrink", {}),
    ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.0}),
    ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 1.0}),
    ("sparse_plus", {}),
    ("sparse_sigmoid", {}),
    ("squareplus", {}),
    ("squareplus", {"b": 1.0}),
]


# These subtract an O(1) term (log of a sum near 1, x - tanh x, 1 + tanh, 1 + erf): where the
# result is small its float32 precision is that of the term, about one ulp of 1 (1.2e-7), in
# Keras as in keras-like. Below 0.25 they are compared absolutely, to 2.5e-7.
CANCELLING = {"log_softmax", "tanh_shrink", "gelu"}


def main():
    rng = np.random.default_rng(14)
    inputs = {
        "edges": EDGES.reshape(1, -1),
        "random": common.random_normal(rng, (4, 6), 3.0),
        "large logits": np.array([[1000.0, 0.0, -1000.0], [88.0, 89.0, 90.0], [-50.0, -50.0, -50.0]], np.float32),
    }
    cases = []
    for name, kwargs in FUNCTIONS:
        for input_name, x in inputs.items():
            if input_name == "large logits" and "softmax" not in name:
                continue
            y = getattr(activations, name)(x, **kwargs)
            args = "".join(f" {k}={v}" for k, v in kwargs.items())
            case = {"name": f"{name}{args} / {input_name}", "function": name, "kwargs": kwargs, "x": common.tensor(x), "y": common.tensor(y)}
            if name in CANCELLING:
                case["tolerance"] = {"rtol": 1e-6, "floor": 0.25}
            cases.append(case)
    common.write(
        "activations",
        cases,
        {"rtol": 1e-6, "floor": 1e-6},
        notes=[
            "keras.activations.<function>(x, **kwargs) on the NumPy backend, float32.",
            "Tolerance: 1e-6 relative, 1e-12 absolute below 1e-6 (one op: the issue's one-step budget).",
            "log_softmax, tanh_shrink and gelu cancel an O(1) term: below 0.25 they are compared to 2.5e-7 absolute (two float32 ulps of 1).",
            "Not in keras-like (not compared): glu, threshold, sparsemax.",
        ],
    )


if __name__ == "__main__":
    main()
