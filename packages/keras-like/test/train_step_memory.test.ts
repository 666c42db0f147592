/**
 * The training step frees each layer call's backward intermediates as soon as the call returns
 * (train_step.ts `tidyBackward`), so a step's tensor memory peaks at one layer's working set,
 * not at the sum of every layer's (W4's peak RSS against tfjs-layers, issue 15).
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import { Dense } from '../src/layers/dense.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from '../src/layers/layer.js';

const SCRATCH_FLOATS = 1 << 18; // 1 MiB of float32
const SCRATCH_BYTES = SCRATCH_FLOATS * 4;

/** The identity, whose backward makes a 1 MiB temporary (as a convolution's transposed δ) that adds 0 to ∂C/∂x. */
class ScratchIdentity extends Layer {
  constructor() {
    super(layerSchema.parse({}), 'scratch_identity');
  }
  override call(x: tf.Tensor): tf.Tensor {
    return x;
  }
  override forward(x: tf.Tensor): ForwardPass {
    return { inputs: x, outputs: x };
  }
  override backward(dOutputs: tf.Tensor, _pass: ForwardPass, need: boolean): Gradients {
    const scratch = tf.zeros([SCRATCH_FLOATS]);
    return { inputGradient: need ? tf.add(dOutputs, tf.sum(scratch)) : null, weightGradients: [] };
  }
  override compute_output_shape(shape: Shape): Shape {
    return [...shape];
  }
}

function model(scratchLayers: number): keras.Sequential {
  const m = keras.Sequential([keras.Input({ shape: [4] }), Dense(3, { kernel_initializer: 'ones' })]);
  for (let i = 0; i < scratchLayers; i++) m.add(new ScratchIdentity());
  m.add(Dense(2, { kernel_initializer: 'ones' }));
  m.compile(keras.optimizers.SGD({ learning_rate: 0.1 }), 'mse');
  return m;
}

describe('training step memory', () => {
  const x = tf.tensor2d([[1, 2, 3, 4], [0, 1, 0, 1]]);
  const y = tf.tensor2d([[1, 0], [0, 1]]);

  it("holds one layer call's backward intermediates at a time, not every call's", async () => {
    const m = model(6);
    m.train_on_batch(x, y); // builds the optimizer
    const before = tf.memory().numTensors;
    const { peakBytes } = await tf.profile(() => void m.train_on_batch(x, y));
    // Six calls' scratch held until the step's end would peak above 6 MiB.
    expect(peakBytes).toBeGreaterThanOrEqual(SCRATCH_BYTES);
    expect(peakBytes).toBeLessThan(2 * SCRATCH_BYTES);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('gives the same update as the model without the identities', () => {
    const [a, b] = [model(3), model(0)];
    a.train_on_batch(x, y);
    b.train_on_batch(x, y);
    const [wa, wb] = [a.get_weights(), b.get_weights()];
    wa.forEach((w, i) => expect(w.arraySync()).toEqual(wb[i]!.arraySync()));
    tf.dispose([...wa, ...wb]);
    a.dispose();
    b.dispose();
  });
});
