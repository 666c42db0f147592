"""How Keras 3 takes the `padding` and `data_format` strings of convolution and pooling layers.

For each layer and each spelling ('same', 'SAME', 'Same', 'causal', 'full'; 'CHANNELS_FIRST',
'NHWC'), records whether the constructor accepts it and what `get_config()` then holds, or the
error's type and text. Keras lowers both strings in the convolutions (`standardize_padding`,
`standardize_data_format`); its pooling layers keep `padding` as given and do not check it (the
op treats anything but 'same' as 'valid'). packages/keras-like/test/parity/option_literals.test.ts
compares keras-like's constructors with this, and checks with `// @ts-expect-error` that the
option types take exactly Keras's literals.

Run: scripts/keras-golden/run.sh option_literals (NumPy backend: construction only, no call).
"""

import os

import keras
from keras import layers

import common

os.chdir(common.REPO)

# The layer, its required arguments, and the spellings of `padding` tried on it.
PADDED = [
    ("Conv1D", dict(filters=2, kernel_size=3)),
    ("Conv2D", dict(filters=2, kernel_size=3)),
    ("Conv1DTranspose", dict(filters=2, kernel_size=3)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=3)),
    ("SeparableConv1D", dict(filters=2, kernel_size=3)),
    ("SeparableConv2D", dict(filters=2, kernel_size=3)),
    ("DepthwiseConv1D", dict(kernel_size=3)),
    ("DepthwiseConv2D", dict(kernel_size=3)),
    ("MaxPooling1D", dict(pool_size=2)),
    ("MaxPooling2D", dict(pool_size=2)),
    ("AveragePooling1D", dict(pool_size=2)),
    ("AveragePooling2D", dict(pool_size=2)),
]
PADDINGS = ["valid", "same", "SAME", "Same", "causal", "full"]
# Layers with a `data_format`, and the spellings tried.
FORMATTED = [
    ("Conv2D", dict(filters=2, kernel_size=3)),
    ("MaxPooling2D", dict(pool_size=2)),
    ("GlobalAveragePooling2D", {}),
    ("UpSampling2D", {}),
    ("ZeroPadding2D", {}),
]
DATA_FORMATS = ["channels_first", "CHANNELS_FIRST", "Channels_Last", "NHWC"]


def attempt(layer, kwargs, key, value):
    case = {"name": f"{layer}({key}={value!r})", "layer": layer, "kwargs": kwargs, "key": key, "value": value}
    try:
        config = getattr(layers, layer)(**kwargs, **{key: value}).get_config()
        case["accepted"] = True
        case["config_value"] = config[key]
    except Exception as error:  # the type and text are what is recorded
        case["accepted"] = False
        case["error"] = type(error).__name__
        case["message"] = str(error)
    return case


cases = [attempt(layer, kwargs, "padding", p) for layer, kwargs in PADDED for p in PADDINGS]
cases += [attempt(layer, kwargs, "data_format", f) for layer, kwargs in FORMATTED for f in DATA_FORMATS]
common.write(
    "option_literals",
    cases,
    {"rtol": 0, "floor": 0},
    notes=["Construction only; `config_value` is get_config()[key] after the constructor accepted the string."],
)
