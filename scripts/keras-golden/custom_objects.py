"""A user's layer inside wrappers and nested models, saved by Keras 3 (issue 17): custom_objects,
register_keras_serializable and custom_object_scope on load_model, model_from_json and from_config.

Keras 3 writes test/fixtures/keras-files/keras_custom_*.keras with these classes (the test writes
the same classes in TypeScript):

- MyScale(factor): y = x * w * factor, one weight w (features,), not registered: it loads only
  with custom_objects={'MyScale': MyScale} (or inside custom_object_scope).
- MyCell(units): h(t) = tanh(x(t) K + h(t-1) R), registered as 'course>MyCell'
  (Keras's Bidirectional copies its layer through serialization, so a user's cell there must be).

keras_custom_td.keras        Input (5, 3) -> Dense 4 -> TimeDistributed(MyScale(3))
  (not TimeDistributed(MyScale) then Dense: Keras 3.16 then writes no variables for that Dense, and
  its own load_model gives other predictions, a Keras bug found here; the script checks its reload)
keras_custom_bidirectional.keras  Input (4, 2) -> Bidirectional(RNN(MyCell(3))) -> Dense 1
keras_custom_nested.keras    functional: Input 3 -> Sequential 'inner' [MyScale(2), Dense 2] -> Dense 1
keras_custom_nested_seq.keras  Sequential [Input 3, Sequential 'inner' [MyScale(0.5), Dense 2], Dense 1]
The weights are seeded draws; each case holds Keras's predictions for its input and
`model.get_config()` of the loaded model (the nested layer configs and registered names).
"""

import numpy as np

import keras
from common import REPO, random_normal, tensor, write

FILES = REPO / "test" / "fixtures" / "keras-files"
rng = np.random.default_rng(1718)


class MyScale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable(package="course")
class MyCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

    def call(self, x, states):
        h = keras.ops.tanh(keras.ops.matmul(x, self.kernel) + keras.ops.matmul(states[0], self.recurrent_kernel))
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def td():
    return keras.Sequential([keras.Input((5, 3)), keras.layers.Dense(4), keras.layers.TimeDistributed(MyScale(3.0))])


def bidirectional():
    return keras.Sequential([keras.Input((4, 2)), keras.layers.Bidirectional(keras.layers.RNN(MyCell(3))), keras.layers.Dense(1)])


def nested():
    inner = keras.Sequential([keras.Input((3,)), MyScale(2.0), keras.layers.Dense(2)], name="inner")
    a = keras.Input((3,), name="a")
    return keras.Model(a, keras.layers.Dense(1, name="head")(inner(a)), name="outer")


def nested_seq():
    inner = keras.Sequential([keras.Input((3,)), MyScale(0.5), keras.layers.Dense(2)], name="inner")
    return keras.Sequential([keras.Input((3,)), inner, keras.layers.Dense(1, name="head")], name="outer_seq")


cases = []
for name, build, x_shape in [("keras_custom_td.keras", td, (2, 5, 3)), ("keras_custom_bidirectional.keras", bidirectional, (2, 4, 2)),
                             ("keras_custom_nested.keras", nested, (2, 3)), ("keras_custom_nested_seq.keras", nested_seq, (2, 3))]:
    keras.utils.set_random_seed(11)
    model = build()
    model.set_weights([random_normal(rng, w.shape, 0.5) for w in model.get_weights()])
    model.save(FILES / name)
    x = random_normal(rng, x_shape)
    loaded = keras.models.load_model(FILES / name, custom_objects={"MyScale": MyScale})
    # Keras reloads its own file exactly (see the note on keras_custom_td.keras).
    assert np.array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0)), name
    cases.append({"name": name, "file": name, "x": tensor(x), "predictions": tensor(model.predict(x, verbose=0)),
                  "weights": [tensor(w) for w in model.get_weights()], "config": model.get_config()})

write("custom_objects", cases, {"rtol": 1e-6, "floor": 0.1}, notes=[__doc__.strip().splitlines()[0]])
