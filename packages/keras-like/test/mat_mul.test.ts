import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Dense } from '../src/layers/dense.js';
import { isSmallProduct, matMul } from '../src/layers/mat_mul.js';

/** Kernels a function dispatches, by name. */
async function kernelNames(f: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => f());
  return info.kernelNames;
}

describe('matMul with a transposed operand (Dense backward)', () => {
  // W2's shapes (above the threshold) and W1's (below): aᵀ·δ and δ·Wᵀ.
  const cases: Array<[string, number[], number[], boolean, boolean]> = [
    ['aᵀ·δ, large', [128, 300], [128, 64], true, false],
    ['δ·Wᵀ, large', [128, 64], [300, 64], false, true],
    ['aᵀ·δ, small', [10, 8], [10, 12], true, false],
    ['δ·Wᵀ, small', [10, 12], [8, 12], false, true],
    ['both transposed, large', [300, 128], [64, 300], true, true],
  ];

  it.each(cases)('%s equals tf.matMul with the flags (float32 rounding only)', (_name, sa, sb, ta, tb) => {
    const a = tf.randomUniform(sa, -1, 1, 'float32', 1);
    const b = tf.randomUniform(sb, -1, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    const got = matMul(a, b, ta, tb);
    expect(tf.memory().numTensors).toBe(before + 1);
    const want = tf.matMul(a, b, ta, tb);
    expect(got.shape).toEqual(want.shape);
    const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([a, b, got, want]);
  });

  it('on wasm transposes a large operand first and keeps the flag for a small one', async () => {
    const large = [tf.zeros([128, 300]), tf.zeros([128, 64])] as const;
    const small = [tf.zeros([10, 8]), tf.zeros([10, 12])] as const;
    const largeKernels = await kernelNames(() => matMul(large[0], large[1], true, false));
    const smallKernels = await kernelNames(() => matMul(small[0], small[1], true, false));
    expect(smallKernels).toEqual(['BatchMatMul']);
    expect(largeKernels).toEqual(tf.getBackend() === 'wasm' ? ['Transpose', 'BatchMatMul'] : ['BatchMatMul']);
    tf.dispose([...large, ...small]);
  });
});

describe('Dense forward: plain kernels for a small product, the fused op for a large one', () => {
  it.each([
    ['small (W1: [10, 8] · [8, 12])', 10, 8, 12],
    ['large (W2-like: [128, 300] · [300, 64])', 128, 300, 64],
  ])('%s gives σ(x · W + b) and dispatches the expected kernels', async (_name, m, k, n) => {
    const layer = new Dense(n, { activation: 'relu' });
    const x = tf.randomUniform([m, k], -1, 1, 'float32', 3);
    layer.build([null, k]);
    layer.set_weights([tf.randomUniform([k, n], -1, 1, 'float32', 4), tf.randomUniform([n], -1, 1, 'float32', 5)]);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => tf.tidy(() => layer.forward(x, true).outputs));
    const kernels = profile.kernelNames;
    tf.dispose(profile.result as tf.Tensor);
    if (isSmallProduct(m, k, n)) expect(kernels).toEqual(['BatchMatMul', 'Add', 'Relu']);
    else expect(kernels).toContain('_FusedMatMul');
    expect(tf.memory().numTensors).toBe(before);
    const got = layer.call(x);
    const want = tf.tidy(() => tf.relu(tf.add(tf.matMul(x, layer.kernel!), layer.bias!)));
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!).toBeLessThan(1e-4);
    tf.dispose([got, want, x]);
    layer.dispose();
  });
});
