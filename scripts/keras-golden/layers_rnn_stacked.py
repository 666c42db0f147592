"""Stacked cells' states: what `RNN([cell, cell], return_state=True)` returns in Keras 3, and its numbers.

Each case builds `RNN(cells, **options)` on the input, sets fixed weights (the cells' weights in
order: kernel, recurrent_kernel, bias per cell), and records for the calls it makes:

- "eager": `layer(x)` on data, and `layer(x, initial_state=...)` for each form of `initial_state`
  the case gives ("initial_states": a name and the states, nested as they were passed);
- "symbolic": `layer(keras.Input(...))` (and with `initial_state` KerasTensors): the structure only;
- "model": a functional `keras.Model(inputs, outputs)` of the symbolic call: `model.outputs`'s
  length, `model.predict(x)` and `get_config()["output_layers"]`.

A result is written nested as Keras returns it: a JSON list for a tuple or list, a tensor for a
tensor; "structure" is the same with each tensor written "T". Forward only, inference mode.
"""

import numpy as np

import keras
from keras import layers

import common

rng = np.random.default_rng(1617)


def structure(y):
    return [structure(e) for e in y] if isinstance(y, (list, tuple)) else "T"


def nested(y):
    return [nested(e) for e in y] if isinstance(y, (list, tuple)) else common.tensor(y)


def symbolic_inputs(states):
    if isinstance(states, (list, tuple)):
        return [symbolic_inputs(s) for s in states]
    return keras.Input((states.shape[1],))


CELLS = {
    "LSTMCell": layers.LSTMCell,
    "GRUCell": layers.GRUCell,
    "SimpleRNNCell": layers.SimpleRNNCell,
}


def make_cells(spec):
    return [CELLS[name](units) for name, units in spec]


def case(name, spec, x, options=None, initial_states=(), stacked_class=False):
    options = {"return_state": True, **(options or {})}
    wrap = (lambda cells: layers.StackedRNNCells(cells)) if stacked_class else (lambda cells: cells)
    layer = layers.RNN(wrap(make_cells(spec)), **options)
    layer.build(x.shape)
    weights = [common.random_normal(rng, w.shape, 0.5) for w in layer.get_weights()]
    layer.set_weights(weights)
    out = {
        "name": name,
        "cells": [list(c) for c in spec],
        "stacked_rnn_cells": stacked_class,
        "options": options,
        "input": common.tensor(x),
        "weights": [common.tensor(w) for w in weights],
    }
    y = layer(x)
    out["eager"] = {"structure": structure(y), "output": nested(y)}
    out["initial_states"] = []
    for state_name, states in initial_states:
        entry = {"name": state_name, "states": nested(states)}
        try:
            y = layer(x, initial_state=states)
            entry["eager"] = {"structure": structure(y), "output": nested(y)}
        except Exception as error:  # Keras 3.16 fails on some forms; recorded as what it is.
            entry["eager_error"] = type(error).__name__
        inputs = keras.Input(x.shape[1:])
        entry["symbolic"] = structure(layers.RNN(wrap(make_cells(spec)), **options)(inputs, initial_state=symbolic_inputs(states)))
        out["initial_states"].append(entry)

    inputs = keras.Input(x.shape[1:])
    symbolic = layer(inputs)
    out["symbolic"] = structure(symbolic)
    model = keras.Model(inputs, symbolic)
    predicted = model.predict(x, verbose=0)
    out["model"] = {
        "outputs": len(model.outputs),
        "predict_structure": structure(predicted),
        "predict": nested(predicted),
        "output_layers": model.get_config()["output_layers"],
    }
    return out


def states(*sizes, batch=2):
    return [common.random_normal(rng, (batch, n), 0.5) if isinstance(n, int) else states(*n, batch=batch) for n in sizes]


x = common.random_normal(rng, (2, 5, 3))
cases = [
    case(
        "RNN([LSTMCell(4), GRUCell(3)])",
        [("LSTMCell", 4), ("GRUCell", 3)],
        x,
        initial_states=[("nested lists", states([4, 4], [3])), ("list and tensor", [states(4, 4), states(3)[0]]), ("flat", states(4, 4, 3))],
    ),
    case("RNN([LSTMCell(4), GRUCell(3)], return_sequences)", [("LSTMCell", 4), ("GRUCell", 3)], x, {"return_sequences": True}),
    case(
        "RNN([SimpleRNNCell(3), SimpleRNNCell(2)])",
        [("SimpleRNNCell", 3), ("SimpleRNNCell", 2)],
        x,
        initial_states=[("nested lists", states([3], [2])), ("flat", states(3, 2))],
    ),
    case("RNN(StackedRNNCells([GRUCell(2), LSTMCell(3)]))", [("GRUCell", 2), ("LSTMCell", 3)], x, stacked_class=True),
    case("RNN([GRUCell(4)])", [("GRUCell", 4)], x),
    case("RNN([LSTMCell(2), LSTMCell(3), SimpleRNNCell(2)]) go_backwards", [("LSTMCell", 2), ("LSTMCell", 3), ("SimpleRNNCell", 2)], x, {"go_backwards": True}),
]

common.write(
    "layers_rnn_stacked",
    cases,
    {"rtol": 1e-5, "floor": 1e-2},
    notes=[
        "Inference-mode forward. Weights are normal draws scaled by 0.5, set with set_weights in Keras's order.",
        "A result is nested as Keras returns it (tuples and lists as JSON lists); 'structure' writes each tensor as 'T'.",
        "eager_error: Keras 3.16's own failure for that form of initial_state (a flat list when a cell has two states).",
    ],
)
