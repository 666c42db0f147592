/**
 * The course's S14 notebook, its convolution cells and its three Fashion-MNIST models, ported
 * (examples/s14-cnn.ts trains a CNN end to end; this one follows the notebook's other cells):
 *
 *   - `convolve2d(I, K, mode='valid')` and `mode='same'` (SciPy) as a keras-like `Conv2D` with the
 *     kernel set by hand. SciPy's convolve2d is a true convolution (the kernel turned by 180°);
 *     Conv2D, like every deep-learning "convolution", is a cross-correlation, so the kernel it
 *     is given is rot180(K).
 *   - An edge detector: the notebook's horizontal-edge kernel on an image (generated here: the
 *     notebook downloads one), and its transpose for vertical edges.
 *   - `mod` (Conv2D(64, 3, he_uniform) and MaxPooling2D), `model` (dense), `model2` (two Conv2D)
 *     and `model3` (two Conv2D and MaxPooling2D) for 28×28×1 images, with Keras's summaries, and
 *     model3 trained with `EarlyStopping(monitor='val_loss', patience=1)` on generated 28×28
 *     images (Fashion-MNIST is a download; `keras.datasets.fashion_mnist.load_data()` reads it
 *     when it is in ~/.keras/datasets).
 *
 *   npx -y pnpm@12.4.2 exec tsx examples/s14-convolution.ts
 *   EPOCHS=2 npx -y pnpm@12.4.2 exec tsx examples/s14-convolution.ts
 */
import { keras, tf, Sequential, Conv2D, MaxPooling2D, Flatten, Dense } from 'keras-like';

const EPOCHS = Number(process.env.EPOCHS ?? 20);
keras.utils.set_random_seed(14);

/** A matrix as rows of numbers, rounded (float32 sums of integers are exact). */
function rows(t: tf.Tensor): number[][] {
  return (tf.squeeze(t).arraySync() as number[][]).map((row) => row.map((v) => Math.round(v * 1000) / 1000));
}

/** SciPy's convolve2d(image, K, mode) as a Conv2D: one filter, no bias, kernel rot180(K). */
function convolve2d(image: number[][], k: number[][], mode: 'valid' | 'same'): number[][] {
  const layer = Conv2D(1, [k.length, k[0]!.length], { padding: mode, use_bias: false });
  const x = tf.tensor4d(image.flat(), [1, image.length, image[0]!.length, 1]);
  layer.build(x.shape);
  const flipped = tf.reverse(tf.tensor2d(k), [0, 1]);
  layer.set_weights([tf.reshape(flipped, [k.length, k[0]!.length, 1, 1])]);
  return rows(layer.apply(x));
}

// --- Cells 13-18: the image I, the kernel K and their convolution ---
const I = [
  [1, 1, 1, 0, 0],
  [0, 1, 1, 1, 0],
  [0, 0, 1, 1, 1],
  [0, 0, 1, 1, 0],
  [0, 1, 1, 0, 0],
];
let K = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 0, 1],
];
console.log("convolve2d(I, K, mode='valid'):", JSON.stringify(convolve2d(I, K, 'valid')));

// --- Cells 24-29: the horizontal-edge kernel; 'same' padding keeps the 5×5 size ---
K = [
  [1, 1, 1],
  [0, 0, 0],
  [-1, -1, -1],
];
console.log("convolve2d(I, K, mode='valid'):", JSON.stringify(convolve2d(I, K, 'valid')));
console.log("convolve2d(I, K, mode='same'):", JSON.stringify(convolve2d(I, K, 'same')));

// --- Cells 21-25: edges of an image (here a bright 6×10 rectangle on a 16×16 dark image) ---
const picture = Array.from({ length: 16 }, (_, r) => Array.from({ length: 16 }, (_, c) => (r >= 5 && r < 11 && c >= 3 && c < 13 ? 1 : 0)));
const horizontal = convolve2d(picture, K, 'valid');
const vertical = convolve2d(picture, K[0]!.map((_, c) => K.map((row) => row[c]!)), 'valid');
const strongest = (m: number[][]) => Math.max(...m.flat().map(Math.abs));
// A horizontal edge answers K with ±3 along the rectangle's top and bottom rows, Kᵀ with ±3 along its sides.
console.log(`edge responses: K (horizontal edges) max |response| = ${strongest(horizontal)} on rows ${horizontal.flatMap((row, r) => (row.some((v) => Math.abs(v) === 3) ? [r] : [])).join(', ')}`);
console.log(`edge responses: Kᵀ (vertical edges) max |response| = ${strongest(vertical)} on columns ${[...new Set(vertical.flatMap((row) => row.flatMap((v, c) => (Math.abs(v) === 3 ? [c] : []))))].join(', ')}`);

// --- Cells 39 and 74: a convolution layer, then one with max pooling ---
keras.backend.clear_session();
const mod = Sequential([
  Conv2D({ filters: 64, kernel_size: 3, strides: [1, 1], padding: 'valid', activation: 'relu', use_bias: true, kernel_initializer: 'he_uniform', bias_initializer: 'zeros' }),
  MaxPooling2D({ pool_size: [2, 2], strides: null, padding: 'valid' }),
]);
mod.build([null, 28, 28, 1]);
mod.summary();

// --- Cells 55-56: the dense model the notebook starts from ---
keras.backend.clear_session();
const model = Sequential();
model.add(Flatten({ input_shape: [28, 28] }));
model.add(Dense(300, { activation: 'relu' }));
model.add(Dense(100, { activation: 'relu' }));
model.add(Dense(10, { activation: 'softmax' }));
model.summary();

// --- Cell 64: two convolutions ---
keras.backend.clear_session();
const model2 = Sequential();
model2.add(Conv2D(64, 3, { activation: 'relu', input_shape: [28, 28, 1] }));
model2.add(Conv2D(32, 3, { activation: 'relu' }));
model2.add(Flatten());
model2.add(Dense(100, { activation: 'relu' }));
model2.add(Dense(10, { activation: 'softmax' }));
model2.summary();

// --- Cell 76: max pooling after the convolutions: 4× fewer inputs to the first Dense layer ---
keras.backend.clear_session();
const model3 = Sequential();
model3.add(Conv2D(64, 3, { activation: 'relu', input_shape: [28, 28, 1] }));
model3.add(Conv2D(32, 3, { activation: 'relu' }));
model3.add(MaxPooling2D({ pool_size: [2, 2], strides: [2, 2] }));
model3.add(Flatten());
model3.add(Dense(100, { activation: 'relu' }));
model3.add(Dense(10, { activation: 'softmax' }));
model3.summary();

// --- Cells 66-78: compile, and fit with EarlyStopping(monitor='val_loss', patience=1) ---
// The data: 28×28 images of one of ten shapes (a bar at one of ten angles through the centre), with noise.
function bars(n: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  let s = seed >>> 0;
  const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pixels = new Float32Array(n * 28 * 28);
  const labels = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const label = k % 10;
    const angle = (label * Math.PI) / 10;
    const [cr, cc] = [10 + random() * 8, 10 + random() * 8];
    for (let i = 0; i < 28 * 28; i++) pixels[k * 784 + i] = 0.2 * random();
    for (let t = -9; t <= 9; t += 0.5) {
      const [r, c] = [Math.round(cr + t * Math.sin(angle)), Math.round(cc + t * Math.cos(angle))];
      if (r >= 0 && r < 28 && c >= 0 && c < 28) pixels[k * 784 + r * 28 + c] = 1;
    }
    labels[k] = label;
  }
  return { x: tf.tensor4d(pixels, [n, 28, 28, 1]), y: tf.tensor1d(labels, 'int32') };
}
const train = bars(Number(process.env.SAMPLES ?? 600), 1);
const valid = bars(200, 2);
const es = keras.callbacks.EarlyStopping({ monitor: 'val_loss', patience: 1 });
model3.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
const history3 = model3.fit(train.x, train.y, { epochs: EPOCHS, batch_size: 32, validation_data: [valid.x, valid.y], callbacks: [es], verbose: 0 });
const accuracy = history3.history.val_accuracy as number[];
console.log(`model3 trained ${accuracy.length} epochs; val_accuracy ${accuracy.map((a) => a.toFixed(3)).join(' → ')}`);
console.log(`Validation accuracy: ${(100 * accuracy.at(-1)!).toFixed(1)}%`);
