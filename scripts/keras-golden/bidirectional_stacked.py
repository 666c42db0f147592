"""Bidirectional over stacked cells with return_state: Keras 3's nested states (keras-golden: torch).

`Bidirectional(RNN([LSTMCell(4), GRUCell(3)], return_state=True))` returns (output, *forward states,
*backward states), each direction's states nested per cell as its RNN returns them:
(y, [h1, c1], [h2], [h1_b, c1_b], [h2_b]) eagerly, (y, [h1, c1], h2, [h1_b, c1_b], h2_b) on
KerasTensors. `initial_state` is split in half at its top level (forward, then backward), so it is
given one entry per cell and direction: [[h1, c1], [h2], [h1_b, c1_b], [h2_b]] (or a cell's entry as
one tensor); a flat list of six fails in Keras 3.16 (IndexError in LSTMCell.call).

Each case builds the layer, sets seeded weights, and records:
- "eager": the call on data (structure, values);
- for each form of `initial_state`: the structure and values, and, through torch autograd of
  C = sum_k sum(R_k * leaf_k) over every tensor of the result (seeded R_k, in the result's leaf
  order), dC/dx, dC/d(each initial state, as given) and dC/dw (trainable_weights order);
- "symbolic": the structure on keras.Input (and with KerasTensor initial states);
- "model": keras.Model(inputs, outputs) of the symbolic call: len(outputs), predict's structure
  and values, get_config()["output_layers"].

Then a functional encoder-decoder over stacked cells (a Bidirectional pair and an RNN pair, each
decoder started from its encoder's states nested per cell): Keras writes
test/fixtures/keras-files/keras_bidirectional_stacked.keras (seeded weights) and records its predictions
and the decoders' inbound nodes (initial_state nested, as Keras writes it); it loads
keras_like_bidirectional_stacked.keras (written by bidirectional_stacked_write.ts) and records the same.

Run: `pnpm exec tsx scripts/keras-golden/bidirectional_stacked_write.ts`, then
`scripts/keras-golden/run.sh bidirectional_stacked`;
packages/keras-like/test/parity/bidirectional_stacked.test.ts reads the fixture.
"""

import numpy as np
import torch

import keras
from keras import layers

from common import REPO, random_normal, tensor, write

rng = np.random.default_rng(1618)

CELLS = {"LSTMCell": layers.LSTMCell, "GRUCell": layers.GRUCell, "SimpleRNNCell": layers.SimpleRNNCell}


def structure(y):
    return [structure(e) for e in y] if isinstance(y, (list, tuple)) else "T"


def nested(y):
    return [nested(e) for e in y] if isinstance(y, (list, tuple)) else tensor(y.detach() if isinstance(y, torch.Tensor) else y)


def leaves(y):
    return [leaf for e in y for leaf in leaves(e)] if isinstance(y, (list, tuple)) else [y]


def as_torch(tree):
    if isinstance(tree, (list, tuple)):
        return [as_torch(e) for e in tree]
    return torch.tensor(tree, requires_grad=True)


def gradients_of(tree):
    return [gradients_of(e) for e in tree] if isinstance(tree, list) else tensor(tree.grad)


def symbolic_states(tree):
    return [symbolic_states(e) for e in tree] if isinstance(tree, (list, tuple)) else keras.Input((tree.shape[1],))


def make(spec, options, merge_mode, stacked_class):
    cells = [CELLS[name](units) for name, units in spec]
    inner = layers.RNN(layers.StackedRNNCells(cells) if stacked_class else cells, return_state=True, **options)
    return layers.Bidirectional(inner, merge_mode=merge_mode)


def case(name, spec, x, options=None, merge_mode="concat", stacked_class=False, initial_states=()):
    options = options or {}
    layer = make(spec, options, merge_mode, stacked_class)
    layer.build(x.shape)
    weights = [random_normal(rng, w.shape, 0.5) for w in layer.get_weights()]
    layer.set_weights(weights)
    out = {"name": name, "cells": [list(c) for c in spec], "stacked_rnn_cells": stacked_class, "options": options,
           "merge_mode": merge_mode, "input": tensor(x), "weights": [tensor(w) for w in weights]}
    y = layer(x)
    out["eager"] = {"structure": structure(y), "output": nested(y)}
    out["initial_states"] = []
    for state_name, states in initial_states:
        xt = torch.tensor(x, requires_grad=True)
        st = as_torch(states)
        y = layer(xt, initial_state=st)
        result = leaves(y)
        rs = [random_normal(rng, tuple(o.shape)) for o in result]
        for w in layer.trainable_weights:
            w.value.grad = None
        cost = sum((o * torch.tensor(r)).sum() for o, r in zip(result, rs))
        cost.backward()
        symbolic = make(spec, options, merge_mode, stacked_class)(keras.Input(x.shape[1:]), initial_state=symbolic_states(states))
        out["initial_states"].append({
            "name": state_name, "states": nested(states), "structure": structure(y), "output": nested(y),
            "output_gradients": [tensor(r) for r in rs], "input_gradient": tensor(xt.grad),
            "state_gradients": gradients_of(st), "weight_gradients": [tensor(w.value.grad) for w in layer.trainable_weights],
            "symbolic": structure(symbolic),
        })
    inputs = keras.Input(x.shape[1:])
    symbolic = layer(inputs)
    out["symbolic"] = structure(symbolic)
    model = keras.Model(inputs, symbolic)
    predicted = model.predict(x, verbose=0)
    out["model"] = {"outputs": len(model.outputs), "predict_structure": structure(predicted), "predict": nested(predicted),
                    "output_layers": model.get_config()["output_layers"]}
    return out


def states(*sizes, batch=2):
    return [random_normal(rng, (batch, n), 0.5) if isinstance(n, int) else states(*n, batch=batch) for n in sizes]


x = random_normal(rng, (2, 5, 3))
LSTM_GRU = [("LSTMCell", 4), ("GRUCell", 3)]
cases = [
    case("Bidirectional(RNN([LSTMCell(4), GRUCell(3)], return_state))", LSTM_GRU, x,
         initial_states=[("nested lists", states([4, 4], [3], [4, 4], [3])), ("list and tensor", states([4, 4], 3, [4, 4], 3))]),
    case("Bidirectional(RNN(StackedRNNCells([LSTMCell(4), GRUCell(3)]), return_state, return_sequences)) merge_mode=None", LSTM_GRU, x,
         {"return_sequences": True}, merge_mode=None, stacked_class=True, initial_states=[("nested lists", states([4, 4], [3], [4, 4], [3]))]),
    case("Bidirectional(RNN([GRUCell(2), SimpleRNNCell(3)], return_state)) merge_mode=sum", [("GRUCell", 2), ("SimpleRNNCell", 3)], x,
         merge_mode="sum", initial_states=[("nested lists", states([2], [3], [2], [3])), ("flat", states(2, 3, 2, 3))]),
]



def refs(v):
    """A recorded call's tensors as [layer, node, tensor] refs, nested as Keras writes them."""
    if isinstance(v, dict) and v.get("class_name") == "__keras_tensor__":
        return list(v["config"]["keras_history"])
    if isinstance(v, (list, tuple)):
        return [refs(e) for e in v]
    return {k: refs(e) for k, e in v.items()} if isinstance(v, dict) else v


def encoder_decoder():
    enc = keras.Input((5, 3), name="enc")
    dec = keras.Input((4, 2), name="dec")
    cells = lambda: [layers.LSTMCell(3), layers.GRUCell(2)]
    _, fl, fg, bl, bg = layers.Bidirectional(layers.RNN(cells(), return_state=True), name="encoder")(enc)
    y = layers.Bidirectional(layers.RNN(cells(), return_sequences=True), merge_mode="sum", name="decoder")(dec, initial_state=[fl, fg, bl, bg])
    _, l, g = layers.RNN(cells(), return_state=True, name="renc")(enc)
    z = layers.RNN(cells(), return_sequences=True, name="rdec")(dec, initial_state=[l, g])
    out = layers.Dense(1, name="out")(layers.Concatenate()([y, z]))
    return keras.Model([enc, dec], out, name="stacked_seq2seq")


FILES = REPO / "test" / "fixtures" / "keras-files"
xe = random_normal(rng, (3, 5, 3))
xd = random_normal(rng, (3, 4, 2))
model = encoder_decoder()
model.set_weights([random_normal(rng, w.shape, 0.5) for w in model.get_weights()])
model.save(FILES / "keras_bidirectional_stacked.keras")
config = model.get_config()
cases.append({"name": "written by Keras: keras_bidirectional_stacked.keras", "file": "keras_bidirectional_stacked.keras",
              "x": [tensor(xe), tensor(xd)], "predictions": tensor(model.predict([xe, xd], verbose=0)),
              "inbound_nodes": {layer["name"]: refs(layer["inbound_nodes"]) for layer in config["layers"] if layer["name"] in ("decoder", "rdec")}})
loaded = keras.models.load_model(FILES / "keras_like_bidirectional_stacked.keras")
cases.append({"name": "written by keras-like, loaded by Keras: keras_like_bidirectional_stacked.keras", "file": "keras_like_bidirectional_stacked.keras",
              "x": [tensor(xe), tensor(xd)], "predictions": tensor(loaded.predict([xe, xd], verbose=0)),
              "inbound_nodes": {layer["name"]: refs(layer["inbound_nodes"]) for layer in loaded.get_config()["layers"] if layer["name"] in ("decoder", "rdec")}})

write("bidirectional_stacked", cases, {"rtol": 1e-5, "floor": 0.1},
      notes=[__doc__.strip().splitlines()[0], "Weights and states: normal draws scaled by 0.5; R_k: standard normal, one per leaf of the result."],
      backend="torch")
