"""Every keras-like layer's serialized form as Keras 3 writes it (issue 17).

For each layer class keras-like registers (src/layers/serialization.ts and Bidirectional) that
Keras 3.16 has, the layer is made twice, with Keras's defaults and with a few non-default
arguments, built on a small input shape, and recorded with `keras.saving.serialize_keras_object`
(module, class_name, config, build_config, registered_name): what `config.json` of a `.keras`
file holds for it. packages/keras-like/test/parity/layer_configs.test.ts makes the same layers
from the same arguments and compares keys and values.

A case is {"name", "class_name", "args", "input_shape", "serialized"}: `args` are the keyword
arguments (JSON: tuples are lists); a wrapped layer (TimeDistributed's and Bidirectional's
`layer`, RNN's `cell`) is {"class_name", "args"} itself; `input_shape` is what `build` gets
(a list of shapes for merge layers; null for InputLayer, which is built by construction).

Run: scripts/keras-golden/run.sh layer_configs (NumPy backend: nothing here runs an op that
needs JAX; building a layer only creates its variables).
"""

import os

import keras

import common

os.chdir(common.REPO)

N = None  # the batch axis, unknown


def case(name, class_name, args, input_shape):
    return {"name": name, "class_name": class_name, "args": args, "input_shape": input_shape}


def make(spec):
    args = dict(spec["args"])
    for key in ("layer", "cell", "backward_layer"):
        if isinstance(args.get(key), dict):
            args[key] = make(args[key])
    return getattr(keras.layers, spec["class_name"])(**args)


def nested(class_name, **args):
    return {"class_name": class_name, "args": args}


IMAGE = [N, 8, 8, 3]
STEPS = [N, 8, 3]
SEQ = [N, 5, 4]
PAIR = [[N, 3], [N, 3]]

CASES = [
    case("InputLayer shape", "InputLayer", {"shape": [4]}, None),
    case("InputLayer batch_shape name", "InputLayer", {"batch_shape": [2, 3], "name": "pixels"}, None),
    case("Dense", "Dense", {"units": 3}, [N, 4]),
    case("Dense options", "Dense", {"units": 3, "activation": "relu", "use_bias": False, "kernel_initializer": "he_normal",
                                     "kernel_regularizer": "l2", "activity_regularizer": "l1", "kernel_constraint": "non_neg"}, [N, 4]),
    case("Activation", "Activation", {"activation": "relu"}, [N, 4]),
    case("Activation softmax", "Activation", {"activation": "softmax"}, [N, 4]),
    case("Dropout", "Dropout", {"rate": 0.5}, [N, 4]),
    case("Dropout options", "Dropout", {"rate": 0.3, "noise_shape": [N, 1], "seed": 1}, [N, 4]),
    case("Flatten", "Flatten", {}, [N, 2, 3]),
    case("Flatten channels_first", "Flatten", {"data_format": "channels_first"}, [N, 2, 3]),
    case("Reshape", "Reshape", {"target_shape": [6]}, [N, 2, 3]),
    case("Reshape -1", "Reshape", {"target_shape": [3, -1]}, [N, 2, 3]),
    case("GaussianNoise", "GaussianNoise", {"stddev": 0.1}, [N, 4]),
    case("GaussianNoise seed", "GaussianNoise", {"stddev": 0.2, "seed": 3}, [N, 4]),
    case("ActivityRegularization", "ActivityRegularization", {}, [N, 4]),
    case("ActivityRegularization options", "ActivityRegularization", {"l1": 0.1, "l2": 0.2}, [N, 4]),
    case("BatchNormalization", "BatchNormalization", {}, [N, 4]),
    case("BatchNormalization options", "BatchNormalization", {"axis": 1, "momentum": 0.9, "epsilon": 0.01, "center": False,
                                                               "gamma_initializer": "ones", "moving_variance_initializer": "zeros"}, [N, 4, 2]),
    case("Conv2D", "Conv2D", {"filters": 2, "kernel_size": 3}, IMAGE),
    case("Conv2D options", "Conv2D", {"filters": 2, "kernel_size": [3, 2], "strides": 2, "padding": "same",
                                       "activation": "relu", "use_bias": False, "kernel_regularizer": "l2"}, IMAGE),
    case("Conv1D", "Conv1D", {"filters": 2, "kernel_size": 3}, STEPS),
    case("Conv1D options", "Conv1D", {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, STEPS),
    case("Conv2DTranspose", "Conv2DTranspose", {"filters": 2, "kernel_size": 3}, IMAGE),
    case("Conv2DTranspose options", "Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, IMAGE),
    case("Conv1DTranspose", "Conv1DTranspose", {"filters": 2, "kernel_size": 3}, STEPS),
    case("Conv1DTranspose options", "Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "activation": "tanh"}, STEPS),
    case("DepthwiseConv2D", "DepthwiseConv2D", {"kernel_size": 3}, IMAGE),
    case("DepthwiseConv2D options", "DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"}, IMAGE),
    case("DepthwiseConv1D", "DepthwiseConv1D", {"kernel_size": 3}, STEPS),
    case("DepthwiseConv1D options", "DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2, "use_bias": False}, STEPS),
    case("SeparableConv2D", "SeparableConv2D", {"filters": 2, "kernel_size": 3}, IMAGE),
    case("SeparableConv2D options", "SeparableConv2D", {"filters": 2, "kernel_size": 3, "depth_multiplier": 2, "padding": "same"}, IMAGE),
    case("SeparableConv1D", "SeparableConv1D", {"filters": 2, "kernel_size": 3}, STEPS),
    case("SeparableConv1D options", "SeparableConv1D", {"filters": 2, "kernel_size": 3, "strides": 2, "activation": "relu"}, STEPS),
    case("MaxPooling2D", "MaxPooling2D", {}, IMAGE),
    case("MaxPooling2D options", "MaxPooling2D", {"pool_size": 3, "strides": 1, "padding": "same"}, IMAGE),
    case("MaxPooling1D", "MaxPooling1D", {}, STEPS),
    case("MaxPooling1D options", "MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, STEPS),
    case("AveragePooling2D", "AveragePooling2D", {"pool_size": 2}, IMAGE),
    case("AveragePooling2D options", "AveragePooling2D", {"pool_size": [2, 3], "strides": 1}, IMAGE),
    case("AveragePooling1D", "AveragePooling1D", {"pool_size": 2}, STEPS),
    case("AveragePooling1D options", "AveragePooling1D", {"pool_size": 3, "padding": "same"}, STEPS),
    case("GlobalAveragePooling2D", "GlobalAveragePooling2D", {}, IMAGE),
    case("GlobalAveragePooling2D keepdims", "GlobalAveragePooling2D", {"keepdims": True}, IMAGE),
    case("GlobalAveragePooling1D", "GlobalAveragePooling1D", {}, STEPS),
    case("GlobalAveragePooling1D keepdims", "GlobalAveragePooling1D", {"keepdims": True}, STEPS),
    case("GlobalMaxPooling2D", "GlobalMaxPooling2D", {}, IMAGE),
    case("GlobalMaxPooling2D keepdims", "GlobalMaxPooling2D", {"keepdims": True}, IMAGE),
    case("GlobalMaxPooling1D", "GlobalMaxPooling1D", {}, STEPS),
    case("GlobalMaxPooling1D keepdims", "GlobalMaxPooling1D", {"keepdims": True}, STEPS),
    case("ZeroPadding2D", "ZeroPadding2D", {}, IMAGE),
    case("ZeroPadding2D options", "ZeroPadding2D", {"padding": [[1, 2], [3, 4]]}, IMAGE),
    case("ZeroPadding1D", "ZeroPadding1D", {}, STEPS),
    case("ZeroPadding1D options", "ZeroPadding1D", {"padding": [1, 2]}, STEPS),
    case("Cropping2D", "Cropping2D", {}, IMAGE),
    case("Cropping2D options", "Cropping2D", {"cropping": [[1, 1], [2, 0]]}, IMAGE),
    case("Cropping1D", "Cropping1D", {}, STEPS),
    case("Cropping1D options", "Cropping1D", {"cropping": [2, 1]}, STEPS),
    case("UpSampling2D", "UpSampling2D", {}, IMAGE),
    case("UpSampling2D options", "UpSampling2D", {"size": [2, 3], "interpolation": "bilinear"}, IMAGE),
    case("UpSampling1D", "UpSampling1D", {}, STEPS),
    case("UpSampling1D options", "UpSampling1D", {"size": 3}, STEPS),
    case("SpatialDropout2D", "SpatialDropout2D", {"rate": 0.5}, IMAGE),
    case("SpatialDropout2D options", "SpatialDropout2D", {"rate": 0.3, "seed": 1}, IMAGE),
    case("SpatialDropout1D", "SpatialDropout1D", {"rate": 0.5}, STEPS),
    case("SpatialDropout1D options", "SpatialDropout1D", {"rate": 0.3, "seed": 1}, STEPS),
    case("Embedding", "Embedding", {"input_dim": 10, "output_dim": 4}, [N, 5]),
    case("Embedding options", "Embedding", {"input_dim": 10, "output_dim": 4, "mask_zero": True,
                                             "embeddings_initializer": "ones", "embeddings_regularizer": "l2"}, [N, 5]),
    case("Masking", "Masking", {}, SEQ),
    case("Masking mask_value", "Masking", {"mask_value": 1.0}, SEQ),
    case("RepeatVector", "RepeatVector", {"n": 3}, [N, 4]),
    case("SimpleRNN", "SimpleRNN", {"units": 3}, SEQ),
    case("SimpleRNN options", "SimpleRNN", {"units": 3, "activation": "relu", "return_sequences": True, "dropout": 0.1}, SEQ),
    case("LSTM", "LSTM", {"units": 3}, SEQ),
    case("LSTM options", "LSTM", {"units": 3, "return_sequences": True, "return_state": True, "go_backwards": True,
                                   "unit_forget_bias": False, "recurrent_dropout": 0.2}, SEQ),
    case("GRU", "GRU", {"units": 3}, SEQ),
    case("GRU options", "GRU", {"units": 3, "reset_after": False, "recurrent_activation": "hard_sigmoid", "stateful": False}, SEQ),
    case("SimpleRNNCell", "SimpleRNNCell", {"units": 3}, [N, 4]),
    case("LSTMCell", "LSTMCell", {"units": 3}, [N, 4]),
    case("GRUCell", "GRUCell", {"units": 3}, [N, 4]),
    case("GRUCell options", "GRUCell", {"units": 3, "reset_after": False, "use_bias": False}, [N, 4]),
    case("RNN LSTMCell", "RNN", {"cell": nested("LSTMCell", units=3)}, SEQ),
    case("RNN GRUCell options", "RNN", {"cell": nested("GRUCell", units=3), "return_sequences": True, "go_backwards": True}, SEQ),
    case("TimeDistributed", "TimeDistributed", {"layer": nested("Dense", units=3)}, SEQ),
    case("Bidirectional", "Bidirectional", {"layer": nested("LSTM", units=3)}, SEQ),
    case("Bidirectional options", "Bidirectional", {"layer": nested("GRU", units=3, return_sequences=True), "merge_mode": "sum"}, SEQ),
    case("Add", "Add", {}, PAIR),
    case("Subtract", "Subtract", {}, PAIR),
    case("Multiply", "Multiply", {}, PAIR),
    case("Average", "Average", {}, PAIR),
    case("Maximum", "Maximum", {}, PAIR),
    case("Minimum", "Minimum", {}, PAIR),
    case("Concatenate", "Concatenate", {}, PAIR),
    case("Concatenate axis", "Concatenate", {"axis": 1}, [[N, 2, 3], [N, 4, 3]]),
    case("Dot", "Dot", {"axes": 1}, PAIR),
    case("Dot normalize", "Dot", {"axes": 1, "normalize": True}, PAIR),
]


def record(spec):
    keras.utils.clear_session()  # every case's names count from zero, as the test's
    layer = make(spec)
    if spec["input_shape"] is not None:
        layer.build(spec["input_shape"] if spec["class_name"] not in ("Add", "Subtract", "Multiply", "Average", "Maximum",
                                                                       "Minimum", "Concatenate", "Dot")
                    else [tuple(s) for s in spec["input_shape"]])
    return {**spec, "serialized": keras.saving.serialize_keras_object(layer)}


common.write(
    "layer_configs",
    [record(spec) for spec in CASES],
    {"rtol": 0, "floor": 0},
    notes=[
        "serialized = keras.saving.serialize_keras_object(layer) after layer.build(input_shape) (InputLayer: none)",
        "keras.utils.clear_session() before each case, so a default name is the class's first (dense, lstm, ...)",
        "nested {class_name, args} in args are built first and given as the layer (TimeDistributed, Bidirectional, RNN's cell)",
    ],
)
