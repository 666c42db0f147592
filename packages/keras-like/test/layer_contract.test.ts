/**
 * The Layer contract other layers build on: lists of inputs / outputs, masks, sublayers, and
 * calling a layer like a function.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import { BatchNormalization } from '../src/layers/batch_normalization.js';
import { Dense } from '../src/layers/dense.js';
import { Layer, layerSchema, type CallOptions, type ForwardPass, type Gradients, type Masks, type Shape } from '../src/layers/layer.js';

/** y = a ⊙ b · w: two inputs, one output, backward by autodiff. */
class ScaledProduct extends Layer<tf.Tensor[]> {
  w: tf.Variable | null = null;
  constructor() {
    super(layerSchema.parse({}), 'scaled_product');
  }
  override build(shapes: Shape[]): void {
    this.w = this.add_weight({ name: 'w', shape: [shapes[0]![1]!], initializer: (s) => tf.fill(s, 3) });
    super.build(shapes);
  }
  override call([a, b]: tf.Tensor[]): tf.Tensor {
    return tf.mul(tf.mul(a!, b!), this.w!);
  }
  override compute_output_shape(shapes: Shape[]): Shape {
    return [...shapes[0]!];
  }
}

/** [x + 1, 2x]: one input, two outputs, backward by autodiff. */
class TwoOutputs extends Layer<tf.Tensor, tf.Tensor[]> {
  constructor() {
    super(layerSchema.parse({}), 'two_outputs');
  }
  override call(x: tf.Tensor): tf.Tensor[] {
    return [tf.add(x, 1), tf.mul(x, 2)];
  }
}

/** Keras's Masking(0): the mask is "some feature is not 0"; the values pass through. */
class ZeroMasking extends Layer {
  constructor() {
    super(layerSchema.parse({}), 'zero_masking');
  }
  override call(x: tf.Tensor): tf.Tensor {
    return x;
  }
  override forward(x: tf.Tensor): ForwardPass {
    return { inputs: x, outputs: x };
  }
  override backward(dOutputs: tf.Tensor, _pass: ForwardPass, need: boolean): Gradients {
    return { inputGradient: need ? dOutputs : null, weightGradients: [] };
  }
  override compute_mask(x: tf.Tensor): Masks {
    return tf.any(tf.notEqual(x, 0), -1);
  }
  override compute_output_shape(shape: Shape): Shape {
    return [...shape];
  }
}

/** Records the mask it was given (its sum: how many timesteps are kept), for the test to read. */
class MaskReader extends Layer {
  readonly seen: number[] = [];
  constructor(readonly passMask: boolean) {
    super(layerSchema.parse({}), 'mask_reader');
    this.supports_masking = passMask;
  }
  override call(x: tf.Tensor, options: CallOptions = {}): tf.Tensor {
    const mask = options.mask as tf.Tensor | null;
    this.seen.push(mask === null || mask === undefined ? -1 : tf.tidy(() => tf.sum(tf.cast(mask, 'int32')).arraySync() as number));
    return x;
  }
  override compute_output_shape(shape: Shape): Shape {
    return [...shape];
  }
}

/** A layer made of layers: its own weights, then a BatchNormalization, then a Dense (Keras's order). */
class Holder extends Layer {
  readonly bn = this.track(BatchNormalization({ name: 'bn' }));
  readonly dense = this.track(Dense(2, { name: 'd' }));
  constructor() {
    super(layerSchema.parse({}), 'holder');
  }
  override build(shape: Shape): void {
    this.add_weight({ name: 'scale', shape: [1], initializer: (s) => tf.ones(s) });
    this.add_weight({ name: 'count', shape: [1], initializer: (s) => tf.zeros(s), trainable: false });
    this.bn.build(shape);
    this.dense.build(shape);
    super.build(shape);
  }
  override call(x: tf.Tensor): tf.Tensor {
    return this.dense.apply(this.bn.apply(x));
  }
}

const names = (vs: tf.Variable[]) => vs.map((v) => v.name.replace(/_\d+$/, ''));

describe('Layer contract', () => {
  it('takes a list of inputs: build gets one shape per input, backward one gradient per input (checked against tf.grads)', () => {
    const layer = new ScaledProduct();
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[5, 6], [7, 8]]);
    const out = layer.apply([a, b]);
    expect(layer.build_input_shape).toEqual([[null, 2], [null, 2]]);
    expect(out.arraySync()).toEqual([[15, 36], [63, 96]]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const pass = layer.forward([a, b], true);
      const dy = tf.tensor2d([[1, -1], [0.5, 2]]);
      const g = layer.backward(dy, pass, true);
      const f = (x: tf.Tensor, y: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.mul(tf.mul(x, y), w), dy));
      const [da, db, dw] = tf.grads(f)([a, b, layer.w!]);
      expect((g.inputGradient as tf.Tensor[]).map((t) => t.arraySync())).toEqual([da!.arraySync(), db!.arraySync()]);
      expect(g.weightGradients[0]!.arraySync()).toEqual(dw!.arraySync());
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, out]);
    layer.dispose();
  });

  it('returns a list of outputs: compute_output_shape gives one shape each, backward takes one ∂C/∂output each', () => {
    const layer = new TwoOutputs();
    expect(layer.compute_output_shape([null, 3])).toEqual([[null, 3], [null, 3]]);
    const x = tf.tensor2d([[1, 2, 3]]);
    tf.tidy(() => {
      const pass = layer.forward(x, true);
      const g = layer.backward([tf.tensor2d([[1, 1, 1]]), tf.tensor2d([[1, 0, -1]])], pass, true);
      // ∂/∂x (⟨x + 1, d₁⟩ + ⟨2x, d₂⟩) = d₁ + 2 d₂
      expect((g.inputGradient as tf.Tensor).arraySync()).toEqual([[3, 1, -1]]);
    });
    x.dispose();
  });

  it('is called like a function, as in Python: layer(x) is layer.apply(x)', () => {
    const dense = Dense(1, { kernel_initializer: 'ones', bias_initializer: 'zeros' });
    const x = tf.tensor2d([[1, 2, 3]]);
    const viaCall = dense(x);
    const viaApply = dense.apply(x);
    expect(viaCall.arraySync()).toEqual([[6]]);
    expect(viaApply.arraySync()).toEqual([[6]]);
    expect(dense.name).toMatch(/^dense/);
    expect(dense).toBeInstanceOf(Layer);
    tf.dispose([x, viaCall, viaApply]);
    dense.dispose();
  });

  it('propagates masks through a Sequential model as Keras does: supporting layers pass them on, others end them', () => {
    // Keras 3: Masking computes the mask; Dense supports masking and passes it on; a layer without
    // supports_masking receives the mask but its outputs have none.
    const first = new MaskReader(true);
    const stopper = new MaskReader(false);
    const after = new MaskReader(true);
    const model = keras.Sequential([keras.Input({ shape: [3, 2] }), new ZeroMasking(), first, Dense(2), stopper, after]);
    const x = tf.tensor3d([[[1, 0], [0, 0], [0, 2]], [[0, 0], [0, 0], [3, 3]]]);
    const y = model.predict(x, { verbose: 0 });
    expect(first.seen).toEqual([3]);
    expect(stopper.seen).toEqual([3]);
    expect(after.seen).toEqual([-1]);
    model.compile('sgd', 'mse');
    model.fit(x, tf.zerosLike(y), { epochs: 1, verbose: 0, batch_size: 2 });
    expect(first.seen.at(-1)).toBe(3);
    expect(after.seen.at(-1)).toBe(-1);
    expect(Dense(1).supports_masking).toBe(true);
    expect(new ZeroMasking().supports_masking).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });

  it("orders a holder's weights as Keras 3 does: its own, then each tracked layer's; freezing propagates", () => {
    // Printed by Keras 3.16 for the same Holder (own scale/count, then BatchNormalization, then Dense):
    //   weights        ['holder/scale', 'holder/count', 'holder/bn/gamma', 'holder/bn/beta', 'holder/bn/moving_mean', 'holder/bn/moving_variance', 'holder/d/kernel', 'holder/d/bias']
    //   trainable      ['holder/scale', 'holder/bn/gamma', 'holder/bn/beta', 'holder/d/kernel', 'holder/d/bias']
    //   non_trainable  ['holder/count', 'holder/bn/moving_mean', 'holder/bn/moving_variance']
    //   with d frozen: trainable ['holder/scale', 'holder/bn/gamma', 'holder/bn/beta'],
    //                  non_trainable [..., 'holder/d/kernel', 'holder/d/bias']
    const holder = new Holder();
    holder.build([null, 3]);
    expect(names(holder.weights)).toEqual(['holder/scale', 'holder/count', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance', 'd/kernel', 'd/bias']);
    expect(names(holder.trainable_weights)).toEqual(['holder/scale', 'bn/gamma', 'bn/beta', 'd/kernel', 'd/bias']);
    expect(names(holder.non_trainable_weights)).toEqual(['holder/count', 'bn/moving_mean', 'bn/moving_variance']);
    holder.dense.trainable = false;
    expect(names(holder.trainable_weights)).toEqual(['holder/scale', 'bn/gamma', 'bn/beta']);
    expect(names(holder.non_trainable_weights)).toEqual(['holder/count', 'bn/moving_mean', 'bn/moving_variance', 'd/kernel', 'd/bias']);
    holder.dense.trainable = true;
    holder.trainable = false;
    expect([holder.dense.trainable, holder.bn.trainable]).toEqual([false, false]);
    expect(holder.trainable_weights).toEqual([]);
    expect(holder.count_params()).toBe(2 + 4 * 3 + 3 * 2 + 2);
    expect(holder._flatten_layers().map((l) => l.name)).toEqual(['holder', 'bn', 'd']);
    const before = tf.memory().numTensors;
    holder.dispose();
    expect(tf.memory().numTensors).toBe(before - 8);
  });

  it('trains a holder inside a model through its autodiff backward, updating the tracked layers', () => {
    const holder = new Holder();
    const model = keras.Sequential([keras.Input({ shape: [3] }), holder]);
    model.compile(keras.optimizers.SGD({ learning_rate: 0.1 }), 'mse');
    const kernelBefore = holder.dense.get_weights()[0]!;
    const x = tf.tensor2d([[1, 2, 3], [0, 1, 0], [2, 2, 1]]);
    const y = tf.tensor2d([[1, 0], [0, 1], [1, 1]]);
    model.fit(x, y, { epochs: 2, verbose: 0 });
    const kernelAfter = holder.dense.get_weights()[0]!;
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(kernelAfter, kernelBefore))).arraySync() as number)).toBeGreaterThan(1e-4);
    tf.dispose([x, y, kernelBefore, kernelAfter]);
    model.dispose();
  });
});
