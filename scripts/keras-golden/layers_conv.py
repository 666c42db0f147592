"""Convolution, pooling and reshaping layers: Keras 3's forward AND gradients (keras-golden: torch).

The NumPy backend cannot run conv or pooling (they need JAX), so this module runs on Keras 3's
torch backend (Debian's python3-torch 1.13.1; run.sh sees the marker in the first line, see
README.md). Each case builds one layer from its keyword arguments, sets fixed random weights
(Keras's order and layouts), calls it on a torch tensor that requires a gradient, and takes the
scalar loss C = sum(y * r) for a fixed random r, so that dC/dy = r. torch autograd through the
Keras layer then gives dC/dx and dC/dw for every trainable weight, in `layer.trainable_weights`
order. The case records: the layer's class name and the options it was given, its full
`get_config()` (what keras-like's get_config must match, key for key), the input, the weights
with their names, r, the output, the gradients, and the output shape and parameter count that
summary() shows for the batch-free input shape.
"""

import numpy as np
import torch

import keras
from keras import layers

import common

rng = np.random.default_rng(15)


def plain(value):
    """A config as JSON: tuples become lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def case(name, class_name, options, input_shape, training=False, positive=False):
    layer = getattr(layers, class_name)(**options)
    x_np = common.random_normal(rng, input_shape)
    if positive:
        x_np = np.abs(x_np) + np.float32(0.1)
    layer.build(input_shape)
    weights = [common.random_normal(rng, w.shape, 0.5) for w in layer.get_weights()]
    layer.set_weights(weights)
    x = torch.tensor(x_np, requires_grad=True)
    y = layer(x, training=training)
    r_np = common.random_normal(rng, tuple(y.shape))
    loss = (y * torch.tensor(r_np)).sum()
    loss.backward()
    gradients = [w.value.grad for w in layer.trainable_weights]
    summary_shape = layer.compute_output_shape((None,) + tuple(input_shape[1:]))
    return {
        "name": name,
        "layer": class_name,
        "options": options,
        "config": plain(layer.get_config()),
        "input": common.tensor(x_np),
        "weights": [common.tensor(w) for w in weights],
        "weight_names": [w.name for w in layer.weights],
        "upstream": common.tensor(r_np),
        "output": common.tensor(y.detach()),
        "input_gradient": common.tensor(x.grad),
        "weight_gradients": [common.tensor(g) for g in gradients],
        "summary_shape": list(summary_shape),
        "params": layer.count_params(),
    }


cases = []
add = lambda *args, **kwargs: cases.append(case(*args, **kwargs))

# Conv1D / Conv2D: strides, padding, dilation, groups, channels_first, odd sizes, batch 1.
add("Conv1D valid", "Conv1D", {"filters": 3, "kernel_size": 3}, (2, 7, 2))
add("Conv1D same stride 2 odd length", "Conv1D", {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same"}, (2, 9, 3))
add("Conv1D causal dilation 2 tanh", "Conv1D", {"filters": 3, "kernel_size": 3, "padding": "causal", "dilation_rate": 2, "activation": "tanh"}, (2, 8, 2))
add("Conv1D groups 2", "Conv1D", {"filters": 4, "kernel_size": 2, "groups": 2}, (2, 6, 4))
add("Conv1D channels_first batch 1", "Conv1D", {"filters": 2, "kernel_size": 3, "data_format": "channels_first", "use_bias": False}, (1, 3, 7))
add("Conv2D valid 3x3", "Conv2D", {"filters": 4, "kernel_size": 3}, (2, 6, 7, 3))
add("Conv2D same stride 2 odd sizes 3x2 kernel", "Conv2D", {"filters": 3, "kernel_size": [3, 2], "strides": 2, "padding": "same"}, (2, 7, 5, 2))
add("Conv2D valid strides [2, 3] relu", "Conv2D", {"filters": 2, "kernel_size": 3, "strides": [2, 3], "activation": "relu"}, (2, 8, 9, 2))
add("Conv2D same even kernel", "Conv2D", {"filters": 3, "kernel_size": [4, 2], "padding": "same"}, (2, 6, 6, 2))
add("Conv2D dilation 2 same sigmoid", "Conv2D", {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same", "activation": "sigmoid"}, (2, 8, 7, 2))
add("Conv2D dilation [2, 3] valid", "Conv2D", {"filters": 2, "kernel_size": [3, 2], "dilation_rate": [2, 3]}, (2, 9, 10, 2))
add("Conv2D groups 3 stride 2", "Conv2D", {"filters": 6, "kernel_size": 2, "strides": 2, "groups": 3}, (2, 7, 7, 3))
add("Conv2D channels_first", "Conv2D", {"filters": 3, "kernel_size": 3, "padding": "same", "data_format": "channels_first"}, (2, 2, 5, 6))
add("Conv2D batch 1 1x1 kernel no bias", "Conv2D", {"filters": 2, "kernel_size": 1, "use_bias": False}, (1, 4, 5, 3))

# Pooling: valid / same, strides (overlapping and gapped windows), channels_first.
for kind in ["Max", "Average"]:
    default = {} if kind == "Max" else {"pool_size": 2}  # AveragePooling's pool_size has no default in Keras 3
    add(f"{kind}Pooling1D default", f"{kind}Pooling1D", default, (2, 7, 3))
    add(f"{kind}Pooling1D pool 3 stride 2 same", f"{kind}Pooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 8, 2))
    add(f"{kind}Pooling1D channels_first", f"{kind}Pooling1D", {"pool_size": 2, "strides": 1, "data_format": "channels_first"}, (1, 2, 6))
    add(f"{kind}Pooling2D default odd sizes", f"{kind}Pooling2D", default, (2, 7, 5, 3))
    add(f"{kind}Pooling2D pool 3 stride 2 valid", f"{kind}Pooling2D", {"pool_size": 3, "strides": 2}, (2, 7, 8, 2))
    add(f"{kind}Pooling2D pool [2, 3] same", f"{kind}Pooling2D", {"pool_size": [2, 3], "padding": "same"}, (2, 5, 7, 2))
    add(f"{kind}Pooling2D pool 2 stride 3 gapped", f"{kind}Pooling2D", {"pool_size": 2, "strides": 3}, (1, 8, 8, 2))
    add(f"{kind}Pooling2D channels_first same stride 1", f"{kind}Pooling2D", {"pool_size": 3, "strides": 1, "padding": "same", "data_format": "channels_first"}, (2, 2, 5, 4))
    add(f"Global{kind}Pooling1D", f"Global{kind}Pooling1D", {}, (2, 5, 3))
    add(f"Global{kind}Pooling1D keepdims channels_first", f"Global{kind}Pooling1D", {"keepdims": True, "data_format": "channels_first"}, (2, 3, 5))
    add(f"Global{kind}Pooling2D", f"Global{kind}Pooling2D", {}, (2, 4, 5, 3))
    add(f"Global{kind}Pooling2D keepdims channels_first", f"Global{kind}Pooling2D", {"keepdims": True, "data_format": "channels_first"}, (1, 3, 4, 5))

add("ZeroPadding2D 1", "ZeroPadding2D", {}, (2, 3, 4, 2))
add("ZeroPadding2D ((1, 2), (0, 3)) channels_first", "ZeroPadding2D", {"padding": [[1, 2], [0, 3]], "data_format": "channels_first"}, (1, 2, 3, 3))

# Transposed convolutions: Keras's output lengths for valid / same, output_padding, dilation, odd sizes.
add("Conv2DTranspose valid 3x3", "Conv2DTranspose", {"filters": 3, "kernel_size": 3}, (2, 4, 5, 2))
add("Conv2DTranspose stride 2 same", "Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 3, 4, 3))
add("Conv2DTranspose stride 2 valid kernel 2 relu", "Conv2DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2, "activation": "relu"}, (2, 3, 3, 2))
add("Conv2DTranspose stride 3 valid kernel 2 (gaps)", "Conv2DTranspose", {"filters": 2, "kernel_size": 2, "strides": 3}, (1, 3, 2, 2))
add("Conv2DTranspose strides [2, 3] output_padding [1, 2] valid", "Conv2DTranspose", {"filters": 2, "kernel_size": [3, 2], "strides": [2, 3], "output_padding": [1, 2]}, (2, 3, 3, 2))
add("Conv2DTranspose stride 2 same output_padding 0 kernel 4", "Conv2DTranspose", {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same", "output_padding": 0}, (2, 3, 3, 2))
add("Conv2DTranspose dilation 2 same tanh", "Conv2DTranspose", {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same", "activation": "tanh"}, (2, 5, 4, 2))
add("Conv2DTranspose channels_first batch 1 no bias", "Conv2DTranspose", {"filters": 3, "kernel_size": [2, 3], "strides": 2, "data_format": "channels_first", "use_bias": False}, (1, 2, 3, 4))
add("Conv1DTranspose stride 2 valid", "Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2}, (2, 5, 2))
add("Conv1DTranspose same output_padding 1", "Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1}, (2, 4, 3))
add("Conv1DTranspose dilation 2 channels_first", "Conv1DTranspose", {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first"}, (1, 2, 5))

# Depthwise and separable convolutions: depth_multiplier, strides, padding, dilation, channels_first.
add("DepthwiseConv2D 3x3 valid", "DepthwiseConv2D", {"kernel_size": 3}, (2, 6, 5, 3))
add("DepthwiseConv2D depth_multiplier 2 stride 2 same relu", "DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2, "activation": "relu"}, (2, 7, 6, 2))
add("DepthwiseConv2D dilation 2 [3, 2] kernel", "DepthwiseConv2D", {"kernel_size": [3, 2], "dilation_rate": 2, "depth_multiplier": 3}, (1, 7, 6, 2))
add("DepthwiseConv2D channels_first no bias", "DepthwiseConv2D", {"kernel_size": 2, "data_format": "channels_first", "use_bias": False}, (2, 3, 4, 5))
add("DepthwiseConv1D depth_multiplier 2 same", "DepthwiseConv1D", {"kernel_size": 3, "padding": "same", "depth_multiplier": 2}, (2, 7, 3))
add("DepthwiseConv1D stride 2", "DepthwiseConv1D", {"kernel_size": 2, "strides": 2}, (1, 7, 2))
add("SeparableConv2D 3x3", "SeparableConv2D", {"filters": 4, "kernel_size": 3}, (2, 6, 5, 3))
add("SeparableConv2D depth_multiplier 2 stride 2 same tanh", "SeparableConv2D", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2, "activation": "tanh"}, (2, 7, 6, 2))
add("SeparableConv2D dilation 2 relu", "SeparableConv2D", {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "activation": "relu"}, (1, 6, 6, 3))
add("SeparableConv2D channels_first", "SeparableConv2D", {"filters": 3, "kernel_size": [2, 3], "data_format": "channels_first"}, (2, 2, 5, 5))
add("SeparableConv1D same", "SeparableConv1D", {"filters": 3, "kernel_size": 3, "padding": "same", "depth_multiplier": 2}, (2, 6, 2))

# Reshaping: padding, cropping, up-sampling (nearest and bilinear); SpatialDropout in inference (identity).
add("ZeroPadding1D 2", "ZeroPadding1D", {"padding": 2}, (2, 4, 3))
add("ZeroPadding1D (0, 3) channels_first", "ZeroPadding1D", {"padding": [0, 3], "data_format": "channels_first"}, (1, 2, 4))
add("Cropping1D default", "Cropping1D", {}, (2, 5, 3))
add("Cropping1D (2, 0)", "Cropping1D", {"cropping": [2, 0]}, (1, 6, 2))
add("Cropping2D ((1, 2), (0, 1))", "Cropping2D", {"cropping": [[1, 2], [0, 1]]}, (2, 6, 5, 3))
add("Cropping2D 1 channels_first", "Cropping2D", {"cropping": 1, "data_format": "channels_first"}, (1, 2, 4, 5))
add("UpSampling1D 3", "UpSampling1D", {"size": 3}, (2, 4, 3))
add("UpSampling2D nearest", "UpSampling2D", {}, (2, 3, 4, 2))
add("UpSampling2D nearest [3, 2] channels_first", "UpSampling2D", {"size": [3, 2], "data_format": "channels_first"}, (1, 2, 3, 3))
add("UpSampling2D bilinear 2", "UpSampling2D", {"interpolation": "bilinear"}, (2, 3, 4, 2))
add("UpSampling2D bilinear [3, 2] odd sizes", "UpSampling2D", {"size": [3, 2], "interpolation": "bilinear"}, (1, 5, 3, 2))
add("UpSampling2D bilinear channels_first", "UpSampling2D", {"size": 2, "interpolation": "bilinear", "data_format": "channels_first"}, (1, 2, 3, 4))
add("SpatialDropout1D inference", "SpatialDropout1D", {"rate": 0.5}, (2, 4, 3))
add("SpatialDropout2D inference channels_first", "SpatialDropout2D", {"rate": 0.3, "data_format": "channels_first"}, (2, 3, 4, 4))

common.write(
    "layers_conv",
    cases,
    {"rtol": 1e-5, "floor": 0.1},
    notes=[
        "Keras 3's torch backend (torch 1.13.1, Debian python3-torch 1.13.1+dfsg-4; torch.__version__ reports "
        f"{torch.__version__}), CPU, float32: the NumPy backend cannot run conv or pooling.",
        "Each case: C = sum(output * upstream), so dC/doutput = upstream; input_gradient and weight_gradients "
        "(in layer.trainable_weights order) are torch autograd through the Keras layer.",
        "config is the layer's full get_config(); summary_shape is compute_output_shape on the batch-free input "
        "shape; params is count_params().",
        "Inputs are float32 normal draws, so max pooling has no ties.",
    ],
    backend="torch",
)
