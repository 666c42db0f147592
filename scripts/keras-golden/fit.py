"""fit, through what it reduces to: Keras's NumPy backend cannot take gradients, so `model.fit`
does not run here (and Keras 3.16's torch backend does not import with Debian's torch 1.13).

A Dense(4, tanh) -> Dense(1, sigmoid) model with fixed initial weights is trained with
binary crossentropy on 10 samples, batch_size 4 (a partial last batch of 2), shuffle off,
3 epochs: for each batch in order, Keras's loss on the batch at the current weights
(BinaryCrossentropy on model(x)), the gradient of that loss by back-propagation written out in
NumPy float32 (the test checks it against TensorFlow.js autodiff), then Keras's optimizer
`apply_gradients` with it; the weights after every step and each epoch's loss as fit reports
it (the batch losses averaged by batch size) are recorded.
"""

import numpy as np

import keras
from keras import layers, optimizers

import common

OPTIMIZERS = [
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("Adam", {"learning_rate": 0.05}),
    ("RMSprop", {"learning_rate": 0.01}),
]


def gradients(x, y, w1, b1, w2, b2):
    """∂/∂(W1, b1, W2, b2) of mean binary crossentropy, the four equations in float32."""
    a1 = np.tanh(x @ w1 + b1)
    p = 1 / (1 + np.exp(-(a1 @ w2 + b2)))
    dz2 = (p - y) / np.float32(len(x))  # sigmoid + crossentropy: ∂C/∂z = (a − y) / batch
    dz1 = (dz2 @ w2.T) * (1 - a1 * a1)
    return [x.T @ dz1, dz1.sum(0), a1.T @ dz2, dz2.sum(0)]


def run(class_name, kwargs, x, y, initial):
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(1, activation="sigmoid")])
    model.set_weights(initial)
    optimizer = getattr(optimizers, class_name)(**kwargs)
    loss_fn = keras.losses.BinaryCrossentropy()
    steps, epoch_losses = [], []
    for _ in range(3):
        total = 0.0
        for start in range(0, len(x), 4):
            xb, yb = x[start : start + 4], y[start : start + 4]
            loss = np.float32(loss_fn(yb, model(xb)))
            weights = [np.asarray(w) for w in model.trainable_variables]
            grads = [g.astype(np.float32) for g in gradients(xb, yb, *weights)]
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            total += float(loss) * len(xb)
            steps.append(
                {
                    "loss": common.scalar(loss),
                    "weights_before": [common.tensor(w) for w in weights],
                    "gradients": [common.tensor(g) for g in grads],
                    "weights_after": [common.tensor(w) for w in model.get_weights()],
                }
            )
        epoch_losses.append(total / len(x))
    return {
        "name": f"fit {class_name} {' '.join(f'{k}={v}' for k, v in kwargs.items())}",
        "optimizer": {"class_name": class_name, "kwargs": kwargs},
        "x": common.tensor(x),
        "y": common.tensor(y),
        "initial_weights": [common.tensor(w) for w in initial],
        "batch_size": 4,
        "epochs": 3,
        "steps": steps,
        "epoch_losses": epoch_losses,
    }


def main():
    rng = np.random.default_rng(7)
    x = common.random_normal(rng, (10, 3))
    y = (rng.uniform(size=(10, 1)) > 0.5).astype(np.float32)
    initial = [common.random_normal(rng, (3, 4), 0.8), common.random_normal(rng, (4,), 0.1), common.random_normal(rng, (4, 1), 0.8), common.random_normal(rng, (1,), 0.1)]
    cases = [run(class_name, kwargs, x, y, initial) for class_name, kwargs in OPTIMIZERS]
    common.write(
        "fit",
        cases,
        {"rtol": 1e-5, "floor": 1e-2},
        notes=[
            "No real model.fit: the NumPy backend cannot take gradients and Keras 3.16's torch backend does not import with torch 1.13 (torch.float8_e4m3fn is missing).",
            "Per batch, in order (shuffle off): Keras's loss at the current weights, the gradient by hand-written back-propagation in NumPy float32, Keras's optimizer apply_gradients with it; weights after every step.",
            "Tolerance: 1e-5 relative over the 9 steps, 1e-7 absolute below 0.01.",
        ],
    )


if __name__ == "__main__":
    main()
