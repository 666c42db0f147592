// Options keras-like's declarations must accept (test/full/package.test.ts, "option types").
import { keras, Dense, Sequential, Input, tf } from 'keras-like';

Dense(10, { activation: 'relu' });
Dense(10, 'relu', { use_bias: false, kernelInitializer: 'zeros' });
keras.layers.Conv2D(8, 3, { padding: 'same', strides: [2, 2], data_format: 'channels_last' });
keras.layers.Conv1D(4, 3, 1, 'CAUSAL');
keras.layers.MaxPooling2D(2, null, 'same', 'channels_first');
keras.layers.LSTM(8, { return_sequences: true, dropout: 0.1 });
keras.layers.Dropout(0.5, { seed: 1 });
keras.optimizers.Adam({ learning_rate: 0.01, beta_1: 0.9, amsgrad: true });
keras.optimizers.SGD(0.1);
keras.optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
keras.metrics.AUC({ curve: 'PR', num_thresholds: 100 });
keras.metrics.Precision({ thresholds: 0.5 });
keras.losses.BinaryCrossentropy({ from_logits: true, reduction: 'sum' });
const schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 1000, 0.96);
const decayRate: number = schedule.get_config().decay_rate;
const model = Sequential([Input({ shape: [4] }), Dense(1)]);
model.compile({ loss: 'mse', optimizer: 'adam', metrics: ['mae'] });
model.fit(tf.zeros([8, 4]), tf.zeros([8, 1]), { epochs: 1, batch_size: 4, verbose: 0, validation_split: 0.25 });
// The custom-optimizer recipe of docs/optimizers.md, against the packed declarations.
const signSchema = keras.optimizers.baseOptimizerSchema.extend({ scale: keras.optimizers.nonNegativeFloat(1) });
type SignSGDOptions = keras.optimizers.OptimizerOptions<typeof signSchema>;
class SignSGD extends keras.optimizers.Optimizer<'steps'> {
  static override readonly class_name = 'SignSGD';
  readonly scale: number;
  constructor(...given: keras.optimizers.OptimizerArgs<SignSGDOptions>) {
    const args = keras.optimizers.parseOptimizerArgs('SignSGD', signSchema, given);
    super(args, { learning_rate: 0.1, name: 'sign_sgd' });
    this.scale = args.scale;
  }
  override build(variables: tf.Variable[]): void {
    super.build(variables);
    this.add_optimizer_variables(variables, 'steps');
  }
  update_step(g: Float32Array, w: Float32Array, lr: number, _slots: keras.optimizers.Slots<'steps'>): void {
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * this.scale * Math.sign(g[i]!);
  }
}
model.compile({ loss: 'mse', optimizer: new SignSGD(0.01, 2, { globalClipnorm: 1 }) });
console.log(decayRate);
