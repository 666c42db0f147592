/**
 * The custom-optimizer recipe of docs/optimizers.md ("Writing your own optimizer"), as a user
 * writes it: only the package's public entry, the same declaration and validation the built-in
 * optimizers use (`baseOptimizerSchema.extend`, `OptimizerOptions`, `OptimizerArgs`,
 * `parseOptimizerArgs`). The repository's type-check compiles this file; the tests run it.
 * The numbers are derived by hand from signSGD's rule, w ← w − lr · scale · sign(g).
 */
import { describe, expect, it } from 'vitest';
import { keras, optimizers, tf, Dense, Input, Sequential, ValueError } from 'keras-like';

// --- the recipe, as docs/optimizers.md shows it ---
const schema = optimizers.baseOptimizerSchema.extend({ scale: optimizers.nonNegativeFloat(1) });
type SignSGDOptions = optimizers.OptimizerOptions<typeof schema>;

class SignSGD extends optimizers.Optimizer<'steps'> {
  static override readonly class_name = 'SignSGD';
  readonly scale: number;
  constructor(...given: optimizers.OptimizerArgs<SignSGDOptions>) {
    const args = optimizers.parseOptimizerArgs('SignSGD', schema, given); // defaults, Keras-worded errors
    super(args, { learning_rate: 0.1, name: 'sign_sgd' });
    this.scale = args.scale;
  }
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, 'steps'); // a slot per variable, zeros
  }
  update_step(g: Float32Array, w: Float32Array, lr: number, slots: optimizers.Slots<'steps'>): void {
    for (let i = 0; i < w.length; i++) {
      w[i] = w[i]! - lr * this.scale * Math.sign(g[i]!);
      if (g[i] !== 0) slots.steps[i] = slots.steps[i]! + 1;
    }
  }
  override get_config() {
    return { ...super.get_config(), scale: this.scale };
  }
}
// --- end of the recipe ---

function closeTo(actual: tf.Tensor, expected: number[]): void {
  const values = Array.from(actual.dataSync());
  expect(values.length).toBe(expected.length);
  values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
}

describe('a custom optimizer written from the public API (docs/optimizers.md)', () => {
  it('takes its arguments as the built-in optimizers do: positional in Keras order, keywords, camelCase', () => {
    // Keras's order: learning_rate, then the schema's own keys (scale), then the shared ones.
    const positional = new SignSGD(0.5, 2);
    expect([positional.learning_rate, positional.scale]).toEqual([0.5, 2]);
    const keywords = new SignSGD({ learning_rate: 0.5, scale: 2, clipvalue: 1 });
    // Named as Keras auto-names: sign_sgd, then sign_sgd_1, ... in the session.
    expect(keywords.get_config()).toMatchObject({ name: 'sign_sgd_1', learning_rate: 0.5, scale: 2, clipvalue: 1 });
    const camel = new SignSGD({ learningRate: 0.25, globalClipnorm: 1 });
    expect(camel.get_config()).toMatchObject({ learning_rate: 0.25, global_clipnorm: 1, scale: 1 });
    expect(new SignSGD().get_config()).toMatchObject({ learning_rate: 0.1, scale: 1 });
  });

  it('rejects bad arguments at the constructor, in the built-in optimizers\' words', () => {
    expect(() => new SignSGD({ scale: -1 })).toThrow(ValueError);
    expect(() => new SignSGD({ scale: -1 })).toThrow('SignSGD: `scale` must be a float >= 0. Received: scale=-1');
    // @ts-expect-error: a misspelt keyword is a compile error too
    expect(() => new SignSGD({ scael: 2 })).toThrow("Unrecognized keyword arguments passed to SignSGD: {'scael': 2}. Did you mean `scale`?");
    // @ts-expect-error: `scale` is a number
    expect(() => new SignSGD({ scale: 'big' })).toThrow("SignSGD: `scale` must be a float >= 0. Received: scale='big'");
    expect(() => new SignSGD({ scale: 1, clipnorm: 1, clipvalue: 1 })).toThrow('Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set');
    expect(() => new SignSGD({ scale: 1, Scale: 2 } as SignSGDOptions)).toThrow('Did you mean `scale`?');
  });

  it('steps with the shared machinery (clipping, its slot) and its own rule', () => {
    const w = tf.variable(tf.tensor1d([1, 1, 1]), true, 'custom_optimizer_w');
    const g = tf.tensor1d([-3, 0, 0.01]);
    const optimizer = new SignSGD({ scale: 2, clipvalue: 1 });
    optimizer.apply_gradients([[g, w]]);
    // lr 0.1 · scale 2 · sign(g) = [-0.2, 0, 0.2]; clipping to [-1, 1] keeps the signs.
    closeTo(w, [1.2, 1, 0.8]);
    const steps = optimizer.get_slot(w, 'steps');
    closeTo(steps, [1, 0, 1]);
    expect(optimizer.iterations).toBe(1);
    tf.dispose([w, g, steps]);
  });

  it('trains a model through compile / fit, without growing the tensor count', () => {
    keras.utils.set_random_seed(3);
    const model = Sequential([Input({ shape: [2] }), Dense(1, { use_bias: false })]);
    model.set_weights([tf.tensor2d([[0.5], [-0.5]])]);
    model.compile({ optimizer: new SignSGD(0.01), loss: 'mse' });
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = tf.tensor2d([[1], [2]]);
    // Predictions [-0.5, -0.5] are below the targets: every weight's gradient is negative, so each
    // epoch (one batch) adds lr · scale = 0.01 to each weight.
    model.fit(x, y, { epochs: 1, batch_size: 2, verbose: 0 });
    const before = tf.memory().numTensors;
    model.fit(x, y, { epochs: 2, batch_size: 2, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const [kernel] = model.get_weights();
    closeTo(kernel!, [0.53, -0.47]);
    tf.dispose([x, y, kernel!]);
    model.dispose();
  });
});
