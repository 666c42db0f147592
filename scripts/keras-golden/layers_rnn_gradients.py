"""Recurrent layers' and Bidirectional's gradients from real Keras 3 (keras-golden: torch).

The NumPy backend takes no gradients, so this module runs on Keras 3's torch backend (run.sh sees
the marker in the first line; README.md). Each case builds the layer on x, sets fixed random
weights (Keras's order), runs one forward in training mode (no dropout is configured, so it is the
inference forward), and back-propagates C = Σ_k Σ R_k ⊙ output_k with torch autograd, for fixed
random R_k, one per output (the output, then each state with return_state). It records the outputs,
∂C/∂x and ∂C/∂w for every trainable weight, in `layer.trainable_weights` order.
"""

import numpy as np
import torch

import keras
from keras import layers

import common

rng = np.random.default_rng(1616)


def as_list(y):
    return list(y) if isinstance(y, (list, tuple)) else [y]


def case(name, make, inner, inner_options, options, x, mask=None):
    layer = make()
    layer.build(x.shape)
    weights = [common.random_normal(rng, w.shape, 0.5) for w in layer.get_weights()]
    layer.set_weights(weights)
    xt = torch.tensor(x, requires_grad=True)
    kwargs = {} if mask is None else {"mask": torch.tensor(mask)}
    outputs = as_list(layer(xt, training=True, **kwargs))
    rs = [common.random_normal(rng, tuple(o.shape)) for o in outputs]
    cost = sum((o * torch.tensor(r)).sum() for o, r in zip(outputs, rs))
    cost.backward()
    out = {
        "name": name,
        "layer": layer.__class__.__name__,
        "inner": inner,
        "inner_options": inner_options,
        "options": options,
        "input": common.tensor(x),
        "weights": [common.tensor(w) for w in weights],
        "outputs": [common.tensor(o.detach()) for o in outputs],
        "output_gradients": [common.tensor(r) for r in rs],
        "input_gradient": common.tensor(xt.grad),
        "weight_gradients": [common.tensor(w.value.grad) for w in layer.trainable_weights],
    }
    if mask is not None:
        out["mask"] = common.tensor(mask.astype(np.float32))
    return out


def sequences(batch=2, steps=5, features=3):
    return common.random_normal(rng, (batch, steps, features))


MASK = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]], dtype=bool)
RNNS = {"LSTM": layers.LSTM, "GRU": layers.GRU, "SimpleRNN": layers.SimpleRNN}

cases = []
for mode in ["concat", "sum", "mul", "ave", None]:
    inner = {"units": 3, "return_sequences": True}
    cases.append(case(f"Bidirectional(LSTM return_sequences) merge_mode={mode}", lambda: layers.Bidirectional(layers.LSTM(**inner), merge_mode=mode),
                      "LSTM", inner, {"merge_mode": mode}, sequences()))
for name, inner, options, mask in [
    ("Bidirectional(LSTM) last output", {"units": 3}, {}, None),
    ("Bidirectional(GRU return_sequences) with a mask", {"units": 2, "return_sequences": True}, {"merge_mode": "sum"}, MASK),
    ("Bidirectional(SimpleRNN) with a mask", {"units": 2}, {}, MASK),
    ("Bidirectional(SimpleRNN return_state)", {"units": 2, "return_state": True}, {}, None),
    ("Bidirectional(LSTM return_state return_sequences) merge_mode=None", {"units": 2, "return_state": True, "return_sequences": True}, {"merge_mode": None}, None),
    ("Bidirectional(GRU return_state) merge_mode=mul", {"units": 2, "return_state": True}, {"merge_mode": "mul"}, None),
]:
    cls = RNNS[name.split("(")[1].split(" ")[0].rstrip(")")]
    cases.append(case(name, lambda: layers.Bidirectional(cls(**inner), **options), cls.__name__, inner, options, sequences(), mask))
    if name == "Bidirectional(GRU return_sequences) with a mask":
        # Its bias gradient has an element of 5e-5 left after cancellation over the steps: keras-like's
        # GRU multiplies the δ factors in another order (computed for all steps ahead, gru_cell.ts),
        # which moves it by 1.1e-7, float32 rounding (Keras and tf.grads agree with both to 1e-4 relative).
        cases[-1]["tolerance"] = {"rtol": 2e-5, "floor": 1e-2}

# The plain layers, for the record of Keras's own gradients (rnn.ts's BPTT is also checked against autodiff).
for cls in [layers.LSTM, layers.GRU, layers.SimpleRNN]:
    inner = {"units": 3, "return_sequences": True, "go_backwards": True}
    cases.append(case(f"{cls.__name__} go_backwards return_sequences", lambda: cls(**inner), None, None, inner, sequences()))
    cases.append(case(f"{cls.__name__} with a mask", lambda: cls(3), None, None, {"units": 3}, sequences(), MASK))

# GRU(reset_after=False), the original GRU (r applied to h(t-1) before U_h): appended last, so the
# draws of the cases above are unchanged.
for name, inner, mask in [
    ("GRU(reset_after=False) go_backwards return_sequences", {"units": 3, "reset_after": False, "return_sequences": True, "go_backwards": True}, None),
    ("GRU(reset_after=False) with a mask", {"units": 3, "reset_after": False}, MASK),
]:
    cases.append(case(name, lambda: layers.GRU(**inner), None, None, inner, sequences(), mask))
inner = {"units": 2, "reset_after": False, "return_state": True, "return_sequences": True}
cases.append(case("Bidirectional(GRU(reset_after=False) return_state return_sequences)", lambda: layers.Bidirectional(layers.GRU(**inner)), "GRU", inner, {}, sequences()))

common.write(
    "layers_rnn_gradients",
    cases,
    {"rtol": 1e-5, "floor": 1e-2},
    backend="torch",
    notes=[
        "Keras 3 on the torch backend (CPU, float32): torch autograd through Keras's RNN loop.",
        "C = sum over outputs k of sum(R_k * output_k); R_k are the output_gradients.",
        "Weights are normal draws scaled by 0.5, set with set_weights in Keras's order.",
    ],
)
