/**
 * The four back-propagation equations on a tiny network, computed by keras-like's
 * explicit backward and checked against TensorFlow.js autodiff (docs/backprop.md).
 *
 *   npx -y pnpm@12.4.2 exec tsx examples/backprop-check.ts
 *
 * Network: 2 inputs → Dense(3, sigmoid) → Dense(1, sigmoid), mean squared error,
 * a batch of 4 samples. Rows are samples, so a layer computes Z = A_prev · W + b.
 */
import { keras, tf, Dense, losses } from 'keras-like';

keras.utils.set_random_seed(1);

const hidden = Dense(3, { activation: 'sigmoid' });
const output = Dense(1, { activation: 'sigmoid' });
hidden.build([null, 2]);
output.build([null, 3]);

const x = tf.tensor2d([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [0.0, 2.0]]);
const y = tf.tensor2d([[1], [0], [1], [0]]);
const mse = losses.getLoss('mean_squared_error');

// --- keras-like: forward, then the four equations, layer by layer ---
const pass1 = hidden.forward(x, true);
const pass2 = output.forward(pass1.outputs, true);
const [z1, a1] = [pass1.saved!.z!, pass1.saved!.a];
const [z2, a2] = [pass2.saved!.z!, pass2.saved!.a];

// BP1: δᴸ = ∇ₐC ⊙ σ'(zᴸ)   (∇ₐC: the loss's gradient; σ': the activation's backward)
const gradA2 = mse.gradient(y, a2);
const delta2 = output.activation.backward(gradA2, z2, a2);
// BP3, BP4 and the product with Wᵀ, for the output layer: Dense's backward.
const outputGradients = output.backward(gradA2, pass2, true);
// BP2: δˡ = (δˡ⁺¹ · (Wˡ⁺¹)ᵀ) ⊙ σ'(zˡ); the first factor is the output layer's input gradient.
const gradA1 = outputGradients.inputGradient!;
const delta1 = hidden.activation.backward(gradA1, z1, a1);
// BP3: ∂C/∂b¹ = Σ_batch δ¹;  BP4: ∂C/∂W¹ = a⁰ᵀ · δ¹ (a⁰ = x): Dense's backward.
const [dW1, db1] = hidden.backward(gradA1, pass1, false).weightGradients;

// --- TensorFlow.js autodiff, from the same weights, with plain tf ops only ---
const [W1, b1] = hidden.get_weights();
const [W2, b2] = output.get_weights();
const cost = (a: tf.Tensor) => tf.mean(tf.square(tf.sub(a, y))) as tf.Scalar;
const fromZ2 = (z: tf.Tensor) => cost(tf.sigmoid(z));
const fromZ1 = (z: tf.Tensor) => fromZ2(tf.add(tf.matMul(tf.sigmoid(z), W2), b2));
const fromWeights = (w1: tf.Tensor, c1: tf.Tensor) => fromZ1(tf.add(tf.matMul(x, w1), c1));
const autodiffDelta2 = tf.grad(fromZ2)(z2);
const autodiffDelta1 = tf.grad(fromZ1)(z1);
const [autodiffW1, autodiffB1] = tf.grads(fromWeights)([W1, b1]);

function show(label: string, mine: tf.Tensor, reference: tf.Tensor): number {
  const difference = tf.max(tf.abs(tf.sub(mine, reference))).dataSync()[0];
  const values = JSON.stringify(mine.arraySync(), (_key, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(5)) : v));
  console.log(`${label.padEnd(14)} ${values}`);
  console.log(`${''.padEnd(14)} max |keras-like − autodiff| = ${difference.toExponential(2)}`);
  return difference;
}

console.log('Output layer (BP1)');
const differences = [show('δ² (4×1)', delta2, autodiffDelta2)];
console.log('\nHidden layer (BP2, BP3, BP4)');
differences.push(show('δ¹ (4×3)', delta1, autodiffDelta1));
differences.push(show('∂C/∂b¹ (3)', db1, autodiffB1));
differences.push(show('∂C/∂W¹ (2×3)', dW1, autodiffW1));

// With binary cross-entropy, fit starts from the logits: δᴸ = (a − y) / batch (σ' cancels).
const bce = losses.getLoss('binary_crossentropy');
const fusedDelta2 = bce.logitsGradient!('sigmoid', y, z2, a2)!;
const bceFromZ2 = (z: tf.Tensor) => {
  const a = tf.sigmoid(z);
  return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(a)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, a)))))) as tf.Scalar;
};
console.log('\nOutput layer, binary cross-entropy read from the logits');
differences.push(show('δ² (4×1)', fusedDelta2, tf.grad(bceFromZ2)(z2)));

// The notebook's misprint, σ(z) where σ'(z) belongs: δ¹ = (δ² · (W²)ᵀ) ⊙ σ(z¹) is not the gradient.
const misprintedDelta1 = tf.mul(gradA1, a1);
const misprint = tf.max(tf.abs(tf.sub(misprintedDelta1, autodiffDelta1))).dataSync()[0];
console.log(`\nWith σ(z¹) in place of σ'(z¹): max |difference from autodiff| = ${misprint.toExponential(2)}`);

const maxDifference = Math.max(...differences);
console.log(`\nmax difference over all checks: ${maxDifference.toExponential(2)}`);
if (maxDifference > 1e-5) {
  console.log('MISMATCH: the explicit backward disagrees with autodiff');
  process.exitCode = 1;
}
