import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import { Dense } from '../src/layers/dense.js';
import { Layer, layerSchema, type Shape } from '../src/layers/layer.js';

/** A user layer with only `call`: y = x² ⊙ w. Its backward comes from autodiff. */
class Square extends Layer {
  w: tf.Variable | null = null;
  constructor(options: { name?: string } = {}) {
    super(layerSchema.parse(options), 'square');
  }
  override build(inputShape: Shape): void {
    this.w = this.add_weight({ name: 'w', shape: [inputShape[1]!], initializer: (s) => tf.fill(s, 2) });
    this.add_weight({ name: 'count', shape: [1], initializer: (s) => tf.zeros(s), trainable: false });
    super.build(inputShape);
  }
  override call(x: tf.Tensor): tf.Tensor {
    return tf.mul(tf.square(x), this.w!);
  }
}

describe('Layer', () => {
  it('falls back to autodiff for a layer that only implements call', () => {
    const layer = new Square();
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const out = layer.apply(x);
    expect(out.arraySync()).toEqual([[2, 8], [18, 32]]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const pass = layer.forward(x, true);
      const g = layer.backward(tf.onesLike(pass.outputs), pass, true);
      // ∂/∂x (w x²) = 2 w x = 4x; ∂/∂w Σ_batch x² = [1 + 9, 4 + 16]
      expect(g.inputGradient!.arraySync()).toEqual([[4, 8], [12, 16]]);
      expect(g.weightGradients.map((t) => t.arraySync())).toEqual([[10, 20]]);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, out]);
    layer.dispose();
  });

  it('trains inside a Sequential model through the autodiff fallback', () => {
    // y = w ⊙ x² with w starting at 2; targets made with w = 3, so SGD must move w towards 3.
    const model = keras.Sequential([keras.Input({ shape: [2] }), new Square()]);
    model.compile(keras.optimizers.SGD({ learning_rate: 0.01 }), 'mse');
    const x = [[1, 2], [2, 1], [1, 1]];
    const y = x.map((row) => row.map((v) => 3 * v * v));
    const before = model.evaluate(x, y, { verbose: 0 }) as number;
    model.fit(x, y, { epochs: 300, verbose: 0 });
    const after = model.evaluate(x, y, { verbose: 0 }) as number;
    expect(after).toBeLessThan(before / 100);
    const w = model.get_weights()[0]!.arraySync() as number[];
    w.forEach((v) => expect(v).toBeCloseTo(3, 2));
    model.dispose();
  });

  it('keeps trainable and non-trainable weights apart, and freezes with trainable = false', () => {
    const layer = new Square();
    layer.build([null, 2]);
    expect(layer.trainable_weights).toHaveLength(1);
    expect(layer.non_trainable_weights).toHaveLength(1);
    expect(layer.weights[0]).toBe(layer.w);
    expect(layer.count_params()).toBe(3);
    layer.trainable = false;
    expect(layer.trainable_weights).toHaveLength(0);
    expect(layer.non_trainable_weights).toHaveLength(2);
    layer.dispose();
  });

  it("shows the class's Keras name in summaries: a static class_name, else the class name", () => {
    expect(Dense(1).className).toBe('Dense');
    expect(new Square().className).toBe('Square');
    class Named extends Square {
      static readonly class_name = 'MyLayer';
    }
    expect(new Named().className).toBe('MyLayer');
  });

  it('apply converts arrays and frees what it made, also for identity layers', () => {
    const before = tf.memory().numTensors;
    const out = keras.layers.InputLayer({ shape: [2] }).apply([[1, 2]]);
    expect(out.arraySync()).toEqual([[1, 2]]);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('must implement call or forward', () => {
    class Empty extends Layer {
      constructor() {
        super(layerSchema.parse({}), 'empty');
      }
    }
    expect(() => new Empty().apply([[1]])).toThrow('Layer Empty ("empty") must implement `call` or `forward`.');
  });

  it('get_weights returns copies; set_weights checks count and shapes', () => {
    const layer = Dense(2);
    layer.build([null, 3]);
    const [kernel] = layer.get_weights();
    kernel!.dispose();
    expect(layer.get_weights()[0]!.shape).toEqual([3, 2]);
    expect(() => layer.set_weights([tf.zeros([3, 2])])).toThrow(
      `You called \`set_weights(weights)\` on layer "${layer.name}" with a weight list of length 1, but the layer was expecting 2 weights.`,
    );
    expect(() => layer.set_weights([tf.zeros([2, 2]), tf.zeros([2])])).toThrow(
      `Layer ${layer.name} weight shape (3, 2) is not compatible with provided weight shape (2, 2).`,
    );
    const ones = tf.ones([3, 2]);
    layer.set_weights([ones, [1, 2]]);
    ones.dispose();
    expect(layer.get_weights()[1]!.arraySync()).toEqual([1, 2]);
    layer.dispose();
  });

  it('cannot count parameters before it is built', () => {
    const layer = Dense(2, { name: 'unbuilt' });
    expect(() => layer.count_params()).toThrow("You tried to call `count_params` on layer 'unbuilt', but the layer isn't built.");
  });

  it('names layers dense, dense_1... until clear_session, and variables never collide', () => {
    keras.backend.clear_session();
    const a = Dense(1);
    const b = Dense(1);
    expect([a.name, b.name]).toEqual(['dense', 'dense_1']);
    a.build([null, 1]);
    keras.backend.clear_session();
    const c = Dense(1);
    expect(c.name).toBe('dense');
    // Same Keras name as `a`, yet TensorFlow.js variables must have distinct names.
    expect(() => c.build([null, 1])).not.toThrow();
    expect(c.kernel!.name).not.toBe(a.kernel!.name);
    a.dispose();
    c.dispose();
  });
});
