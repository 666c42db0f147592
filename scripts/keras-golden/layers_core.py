"""Core layers and models: the forward pass of every built-in core layer with fixed weights,
then a Sequential model's predict and evaluate (a partial last batch).

A "layer" case gives the class, its keyword arguments, the input, the weights (names and values,
in Keras's `layer.weights` order, set with `set_weights`) and the outputs of `layer(x,
training=False)` and, where Keras defines one without randomness, `layer(x, training=True)`,
with the weights after that call (BatchNormalization's moving statistics). Dropout and
GaussianNoise are random in training: their cases record what Keras's output is made of
(the kept values are x / (1 - rate)) for the test to check the same property.
A "model" case gives layers, weights, data and Keras's predict / evaluate results.
"""

import numpy as np

import keras
from keras import layers

import common


def fixed_weights(layer, rng):
    """Replaces every weight by fixed values: normal for kernels and shifts, positive for scales."""
    values = []
    for w in layer.weights:
        name = w.name
        if name in ("gamma", "moving_variance"):
            value = rng.uniform(0.5, 1.5, w.shape).astype(np.float32)
        else:
            value = common.random_normal(rng, w.shape, 0.5)
        values.append(value)
    layer.set_weights(values)
    return [{"name": w.name, "value": common.tensor(v)} for w, v in zip(layer.weights, values)]


LAYERS = [
    ("Dense", {"units": 4}, (3, 5)),
    ("Dense", {"units": 4, "activation": "relu"}, (3, 5)),
    ("Dense", {"units": 4, "activation": "sigmoid"}, (3, 5)),
    ("Dense", {"units": 4, "activation": "tanh"}, (3, 5)),
    ("Dense", {"units": 4, "activation": "softmax"}, (3, 5)),
    ("Dense", {"units": 4, "activation": "elu", "use_bias": False}, (3, 5)),
    ("Dense", {"units": 3, "activation": "relu"}, (2, 3, 5)),
    ("BatchNormalization", {}, (6, 4)),
    ("BatchNormalization", {"momentum": 0.9, "epsilon": 1e-5}, (6, 4)),
    ("BatchNormalization", {"center": False}, (6, 4)),
    ("BatchNormalization", {"scale": False}, (6, 4)),
    ("BatchNormalization", {"axis": 1}, (2, 3, 4)),
    ("BatchNormalization", {}, (2, 3, 4)),
    ("Activation", {"activation": "relu"}, (3, 5)),
    ("Activation", {"activation": "softmax"}, (3, 5)),
    ("Flatten", {}, (2, 3, 4)),
    ("Reshape", {"target_shape": [2, 6]}, (2, 3, 4)),
    ("Reshape", {"target_shape": [-1, 3]}, (2, 3, 4)),
    ("ActivityRegularization", {"l1": 0.01, "l2": 0.02}, (3, 5)),
    ("Dropout", {"rate": 0.3}, (20, 50)),
    ("GaussianNoise", {"stddev": 0.5}, (20, 50)),
]

RANDOM_IN_TRAINING = {"Dropout", "GaussianNoise"}


def layer_case(index, class_name, kwargs, shape):
    rng = np.random.default_rng(index)
    x = common.random_normal(rng, shape, 2.0)
    kwargs = dict(kwargs, seed=14) if class_name in RANDOM_IN_TRAINING else kwargs
    layer = getattr(layers, class_name)(**kwargs)
    layer.build(x.shape)
    weights = fixed_weights(layer, rng)
    inference = layer(x, training=False)
    case = {
        "name": f"{class_name}{''.join(f' {k}={v}' for k, v in kwargs.items() if k != 'seed')} {list(shape)}",
        "kind": "layer",
        "class_name": class_name,
        "kwargs": {k: v for k, v in kwargs.items() if k != "seed"},
        "input": common.tensor(x),
        "weights": weights,
        "inference": common.tensor(inference),
    }
    if class_name in RANDOM_IN_TRAINING:
        y = np.asarray(layer(x, training=True))
        if class_name == "Dropout":
            kept = y != 0
            case["training_property"] = {
                "kept_fraction": float(kept.mean()),
                "max_kept_error": float(np.abs(y[kept] - x[kept] / (1 - kwargs["rate"])).max()),
            }
        else:
            noise = y - x
            case["training_property"] = {"noise_mean": float(noise.mean()), "noise_std": float(noise.std())}
    else:
        case["training"] = common.tensor(layer(x, training=True))
        if class_name == "BatchNormalization":
            # Keras computes x·inv + (β − μ·inv), keras-like (x − μ)·inv·γ + β: Keras's terms
            # x·inv and μ·inv are O(1-10) and their float32 roundings (up to 5e-7) survive where
            # the output is near 0, so below 1 the outputs are compared to 1e-6 absolute.
            case["tolerance"] = {"rtol": 1e-6, "floor": 1.0}
        case["weights_after_training"] = [{"name": w.name, "value": common.tensor(w)} for w in layer.weights]
    return case


def model_case():
    """Sequential predict and evaluate with a partial last batch (10 samples, batch_size 4)."""
    rng = np.random.default_rng(99)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(5, activation="relu"),
            layers.BatchNormalization(),
            layers.Dropout(0.5),
            layers.Dense(3, activation="softmax"),
        ]
    )
    weights = []
    for w in model.weights:
        value = rng.uniform(0.5, 1.5, w.shape).astype(np.float32) if w.name in ("gamma", "moving_variance") else common.random_normal(rng, w.shape, 0.7)
        weights.append(value)
    model.set_weights(weights)
    x = common.random_normal(rng, (10, 4), 1.5)
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 10)]
    sample_weight = rng.uniform(0.0, 2.0, 10).astype(np.float32)
    model.compile(loss="categorical_crossentropy", metrics=["accuracy", "mae"], weighted_metrics=["categorical_crossentropy"])
    predict = model.predict(x, batch_size=4, verbose=0)
    evaluate = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    evaluate_weighted = model.evaluate(x, y, batch_size=4, sample_weight=sample_weight, verbose=0, return_dict=True)
    evaluate_one_batch = model.evaluate(x, y, batch_size=10, verbose=0, return_dict=True)
    # Keras 3's test_on_batch does not reset the metrics: each call's logs cover every batch
    # since the last reset (here, since reset_metrics()).
    model.reset_metrics()
    accumulated = [model.test_on_batch(x[i : i + 4], y[i : i + 4], return_dict=True) for i in range(0, 10, 4)]
    per_batch = []
    for i in range(0, 10, 4):
        model.reset_metrics()
        per_batch.append(model.test_on_batch(x[i : i + 4], y[i : i + 4], return_dict=True))
    return {
        "name": "Sequential Dense-BatchNormalization-Dropout-Dense predict and evaluate",
        "kind": "model",
        "layers": [
            {"class_name": "Dense", "kwargs": {"units": 5, "activation": "relu"}},
            {"class_name": "BatchNormalization", "kwargs": {}},
            {"class_name": "Dropout", "kwargs": {"rate": 0.5}},
            {"class_name": "Dense", "kwargs": {"units": 3, "activation": "softmax"}},
        ],
        "input_shape": [4],
        "weights": [common.tensor(w) for w in weights],
        "compile": {"loss": "categorical_crossentropy", "metrics": ["accuracy", "mae"], "weighted_metrics": ["categorical_crossentropy"]},
        "x": common.tensor(x),
        "y": common.tensor(y),
        "sample_weight": common.tensor(sample_weight),
        "batch_size": 4,
        "predict": common.tensor(predict),
        "evaluate": {k: common.scalar(v) for k, v in evaluate.items()},
        "evaluate_weighted": {k: common.scalar(v) for k, v in evaluate_weighted.items()},
        "evaluate_one_batch": {k: common.scalar(v) for k, v in evaluate_one_batch.items()},
        "test_on_batch": [{k: common.scalar(v) for k, v in logs.items()} for logs in per_batch],
        "test_on_batch_accumulated": [{k: common.scalar(v) for k, v in logs.items()} for logs in accumulated],
    }


def main():
    cases = [layer_case(i, *spec) for i, spec in enumerate(LAYERS)]
    cases.append(model_case())
    common.write(
        "layers_core",
        cases,
        {"rtol": 1e-6, "floor": 1e-3},
        notes=[
            "Layers: layer(x, training=False) and layer(x, training=True) with weights set by set_weights; weights_after_training are layer.weights after the training call (BatchNormalization's moving statistics move).",
            "Dropout and GaussianNoise in training are random: the fraction kept / the noise's statistics and that kept values are x / (1 - rate).",
            "Model: predict with batch_size 4 on 10 samples; evaluate with batch_size 4 (a partial last batch of 2), with sample weights, and with one batch of 10; test_on_batch on each batch after reset_metrics() (test_on_batch), and the same calls without resets between them (test_on_batch_accumulated: Keras 3 accumulates the metrics over test_on_batch calls).",
            "Tolerance: 1e-6 relative, 1e-9 absolute below 1e-3; BatchNormalization 1e-6 absolute below 1 (Keras's x*inv + (beta - mean*inv) adds terms of order 1-10 whose roundings survive near 0; keras-like computes (x - mean)*inv*gamma + beta).",
        ],
    )


if __name__ == "__main__":
    main()
