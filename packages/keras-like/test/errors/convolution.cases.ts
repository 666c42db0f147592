/**
 * Bad input to convolutional networks (issue 15): each is a Keras-worded ValueError at the
 * call that received it, naming the shape it expected and the one it got.
 */
import { keras, tf, Conv2D, Dense, Flatten, MaxPooling2D, Sequential } from 'keras-like';
const { AveragePooling2D, Conv2DTranspose, Cropping2D, DepthwiseConv2D, SeparableConv2D, UpSampling2D } = keras.layers;
import { using, type ErrorArea } from './error_case.js';

/** MNIST's first layers, compiled, in a fresh session (its first layer is "conv2d"). */
function mnistModel(): Sequential {
  keras.backend.clear_session();
  const model = Sequential();
  model.add(Conv2D(32, [3, 3], { activation: 'relu', input_shape: [28, 28, 1] }));
  model.add(MaxPooling2D([2, 2]));
  model.add(Flatten());
  model.add(Dense(10, { activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  return model;
}

const quiet = { verbose: 0 } as const;

/** Calls `layer.apply` on zeros of `shape`, freeing both. */
function applyTo(layer: keras.layers.Layer, shape: number[]): unknown {
  return using(
    () => tf.zeros(shape),
    (x) => {
      try {
        return layer.apply(x);
      } finally {
        layer.dispose();
      }
    },
  );
}

export const CONVOLUTION_AREA: ErrorArea = {
  title: 'Convolutional layers',
  intro:
    'Convolution and pooling layers check their arguments when they are made and their input when it arrives: its rank, its channels against the layer (or `input_shape`), and that a `\'valid\'` window fits.',
  cases: [
    {
      description: 'flat rows (2-D data) into a Conv2D model',
      code: 'model.fit(tf.zeros([4, 784]), y)  // Conv2D(32, [3, 3], { input_shape: [28, 28, 1] })',
      run: () => using(mnistModel, (m) => using(() => tf.zeros([4, 784]), (x) => using(() => tf.zeros([4, 10]), (y) => m.fit(x, y, quiet)))),
      error: 'ValueError',
      message: 'Input 0 of layer "conv2d" is incompatible with the layer: expected shape=(None, 28, 28, 1), found shape=(4, 784)',
    },
    {
      description: 'images without the channel axis',
      code: 'model.predict(tf.zeros([4, 28, 28]))  // input_shape: [28, 28, 1]',
      run: () => using(mnistModel, (m) => using(() => tf.zeros([4, 28, 28]), (x) => m.predict(x, quiet))),
      error: 'ValueError',
      message: 'Input 0 of layer "conv2d" is incompatible with the layer: expected shape=(None, 28, 28, 1), found shape=(4, 28, 28)',
    },
    {
      description: 'a 2-D array into a Conv2D layer',
      code: "Conv2D(4, 3, { name: 'conv' }).apply(tf.zeros([5, 8]))",
      run: () => applyTo(Conv2D(4, 3, { name: 'conv' }), [5, 8]),
      error: 'ValueError',
      message: 'Input 0 of layer "conv" is incompatible with the layer: expected min_ndim=4, found ndim=2. Full shape received: (5, 8)',
    },
    {
      description: 'colour images into a model declared for grey ones',
      code: 'model.fit(tf.zeros([4, 28, 28, 3]), y)  // input_shape: [28, 28, 1]',
      run: () => using(mnistModel, (m) => using(() => tf.zeros([4, 28, 28, 3]), (x) => using(() => tf.zeros([4, 10]), (y) => m.fit(x, y, quiet)))),
      error: 'ValueError',
      message: 'Input 0 of layer "conv2d" is incompatible with the layer: expected shape=(None, 28, 28, 1), found shape=(4, 28, 28, 3)',
    },
    {
      description: "a kernel larger than the input with 'valid'",
      code: 'model.add(Conv2D(8, [5, 5], { input_shape: [3, 3, 1] }))',
      run: () => using(Sequential, (m) => m.add(Conv2D(8, [5, 5], { input_shape: [3, 3, 1] }))),
      error: 'ValueError',
      message:
        'Conv2D: Computed output size would be zero or negative. Received `inputs shape=(None, 3, 3, 1)`, `kernel shape=(5, 5, 1, 8)`, `dilation_rate=(1, 1)`, `strides=(1, 1)`, `padding=valid`.',
    },
    {
      description: 'a pooling window larger than its input',
      code: 'MaxPooling2D(4).apply(tf.zeros([1, 3, 3, 1]))',
      run: () => applyTo(MaxPooling2D(4), [1, 3, 3, 1]),
      error: 'ValueError',
      message: 'MaxPooling2D: Computed output size would be zero or negative. Received `inputs shape=(1, 3, 3, 1)`, `pool_size=(4, 4)`, `strides=(4, 4)`, `padding=valid`.',
    },
    {
      description: 'strides of 0',
      code: 'Conv2D(32, [3, 3], { strides: 0 })',
      run: () => Conv2D(32, [3, 3], { strides: 0 }),
      error: 'ValueError',
      message: 'Conv2D: The `strides` argument must be a tuple of 2 integers. Received strides=0, including values {0} that do not satisfy `value > 0`',
    },
    {
      description: 'a negative number of filters',
      code: 'Conv2D(-32, [3, 3])',
      run: () => Conv2D(-32, [3, 3]),
      error: 'ValueError',
      message: 'Conv2D: `filters` must be a strictly positive integer. Received: filters=-32',
    },
    {
      description: 'a kernel_size of three numbers for a 2-D convolution',
      code: 'Conv2D(32, [3, 3, 3])',
      run: () => Conv2D(32, [3, 3, 3]),
      error: 'ValueError',
      message: 'Conv2D: The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=[3, 3, 3]',
    },
    {
      description: "padding='full' (not a Keras padding)",
      code: "Conv2D(32, [3, 3], { padding: 'full' })",
      // @ts-expect-error: not a Keras literal; a JavaScript caller meets the run-time check
      run: () => Conv2D(32, [3, 3], { padding: 'full' }),
      error: 'ValueError',
      message: "Conv2D: `padding` must be one of {'valid', 'same'}. Received: padding='full'",
    },
    {
      description: "padding='causal' on a 2-D convolution (Conv1D only)",
      code: "Conv2D(32, [3, 3], { padding: 'causal' })",
      // @ts-expect-error: not a Keras literal; a JavaScript caller meets the run-time check
      run: () => Conv2D(32, [3, 3], { padding: 'causal' }),
      error: 'ValueError',
      message: "Conv2D: `padding` must be one of {'valid', 'same'}. Received: padding='causal'",
    },
    {
      description: 'a TensorFlow.js data format name',
      code: "Conv2D(32, [3, 3], { data_format: 'NHWC' })",
      // @ts-expect-error: not a Keras literal; a JavaScript caller meets the run-time check
      run: () => Conv2D(32, [3, 3], { data_format: 'NHWC' }),
      error: 'ValueError',
      message: "Conv2D: `data_format` must be one of {'channels_first', 'channels_last'}. Received: data_format='NHWC'",
    },
    {
      description: 'strides and dilation both above 1',
      code: 'Conv2D(32, [3, 3], { strides: 2, dilation_rate: 2 })',
      run: () => Conv2D(32, [3, 3], { strides: 2, dilation_rate: 2 }),
      error: 'ValueError',
      message: 'Conv2D: `strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=(2, 2) and dilation_rate=(2, 2)',
    },
    {
      description: 'filters not divisible by groups',
      code: 'Conv2D(5, [3, 3], { groups: 2 })',
      run: () => Conv2D(5, [3, 3], { groups: 2 }),
      error: 'ValueError',
      message: 'Conv2D: The number of filters must be evenly divisible by the number of groups. Received: groups=2, filters=5.',
    },
    {
      description: 'input channels not divisible by groups',
      code: 'Conv2D(4, [3, 3], { groups: 2 }).apply(tf.zeros([1, 5, 5, 3]))',
      run: () => applyTo(Conv2D(4, [3, 3], { groups: 2 }), [1, 5, 5, 3]),
      error: 'ValueError',
      message:
        'The number of input channels must be evenly divisible by the number of groups. Received groups=2, but the input has 3 channels (full input shape is (1, 5, 5, 3)).',
    },
    {
      description: "a kernel larger than the input with 'valid', called on data",
      code: 'Conv2D(8, 5).apply(tf.zeros([2, 3, 3, 1]))',
      run: () => applyTo(Conv2D(8, 5), [2, 3, 3, 1]),
      error: 'ValueError',
      message:
        'Conv2D: Computed output size would be zero or negative. Received `inputs shape=(2, 3, 3, 1)`, `kernel shape=(5, 5, 1, 8)`, `dilation_rate=(1, 1)`, `strides=(1, 1)`, `padding=valid`.',
    },
    {
      description: 'output_padding not smaller than strides (Conv2DTranspose)',
      code: 'Conv2DTranspose(16, 3, { strides: 2, output_padding: 2 })',
      run: () => Conv2DTranspose(16, 3, { strides: 2, output_padding: 2 }),
      error: 'ValueError',
      message:
        'Conv2DTranspose: `output_padding` must be strictly less than `strides` for all dimensions. At dimension 0, `output_padding` is 2 but `strides` is 2. Received: output_padding=(2, 2), strides=(2, 2)',
    },
    {
      description: 'a depth_multiplier of 0 (DepthwiseConv2D)',
      code: 'DepthwiseConv2D(3, { depth_multiplier: 0 })',
      run: () => DepthwiseConv2D(3, { depth_multiplier: 0 }),
      error: 'ValueError',
      message: 'DepthwiseConv2D: `depth_multiplier` must be a strictly positive integer. Received: depth_multiplier=0',
    },
    {
      description: 'a 2-D array into a SeparableConv2D layer',
      code: "SeparableConv2D(8, 3, { name: 'sep' }).apply(tf.zeros([5, 8]))",
      run: () => applyTo(SeparableConv2D(8, 3, { name: 'sep' }), [5, 8]),
      error: 'ValueError',
      message: 'Input 0 of layer "sep" is incompatible with the layer: expected min_ndim=4, found ndim=2. Full shape received: (5, 8)',
    },
    {
      description: 'cropping as much as the image holds',
      code: 'Cropping2D([[2, 2], [0, 0]]).apply(tf.zeros([1, 4, 4, 1]))',
      run: () => applyTo(Cropping2D([[2, 2], [0, 0]]), [1, 4, 4, 1]),
      error: 'ValueError',
      message:
        'Values in `cropping` argument should be smaller than the corresponding spatial dimension of the input. Received: input_shape=(1, 4, 4, 1), cropping=((2, 2), (0, 0))',
    },
    {
      description: 'an up-sampling interpolation keras-like does not have',
      code: "UpSampling2D(2, { interpolation: 'bicubic' })",
      run: () => UpSampling2D(2, { interpolation: 'bicubic' }),
      error: 'ValueError',
      message: "UpSampling2D: `interpolation` must be 'nearest' or 'bilinear' in keras-like. Received: interpolation='bicubic'",
    },
    {
      description: 'AveragePooling2D without a pool_size (Keras has no default)',
      code: 'AveragePooling2D()',
      run: () => (AveragePooling2D as unknown as () => unknown)(),
      error: 'ValueError',
      message: 'AveragePooling2D: `pool_size` is required (an integer or a tuple of integers). Received: pool_size=undefined',
    },
    {
      description: 'a pool_size of 0',
      code: 'MaxPooling2D(0)',
      run: () => MaxPooling2D(0),
      error: 'ValueError',
      message: 'MaxPooling2D: The `pool_size` argument must be a tuple of 2 integers. Received pool_size=0, including values {0} that do not satisfy `value > 0`',
    },
  ],
};
