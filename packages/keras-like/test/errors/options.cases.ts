/**
 * Bad constructor arguments (PORTING_SPEC §6): every public constructor gets a
 * misspelt keyword, a value of the wrong type and, where it has a snake_case
 * argument, both spellings of it; then the out-of-range values students reach for.
 */
import { keras, Dense, Dropout, LSTM, LSTMCell, SGD } from 'keras-like';
import { snakeToCamel } from '../../src/options/parse.js';
import { repr } from '../../src/options/repr.js';
import { jsText, type ErrorArea, type ErrorCase } from './error_case.js';

/** One public constructor, called with keyword arguments only: `keras.<path>({...required, ...})`. */
export interface ConstructorSpec {
  /** Where it lives under `keras`: `'layers.Dense'`, `'optimizers.schedules.CosineDecay'`. */
  readonly path: string;
  /** Arguments it cannot do without. */
  readonly required?: Readonly<Record<string, unknown>>;
  /** A real argument; its misspelling must name it. */
  readonly key: string;
  /** One argument given a value of the wrong type (a number as a string, a student's CSV habit). */
  readonly wrong: Readonly<Record<string, unknown>>;
  /** A snake_case argument and a valid value, for the both-spellings case (none when it has no such argument). */
  readonly camel?: Readonly<Record<string, unknown>>;
}

// A named function, so the docs' code column can show it by name.
function schedule(_epoch: number): number {
  return 0.1;
}

const layer = (name: string, required: Record<string, unknown>, key: string, wrong: Record<string, unknown>): ConstructorSpec => ({
  path: `layers.${name}`,
  required,
  key,
  wrong,
  camel: name === 'InputLayer' ? { batch_size: 4 } : { input_shape: [3] },
});

const OPTIMIZER_NAMES = ['SGD', 'RMSprop', 'Adam', 'AdamW', 'Adadelta', 'Adagrad', 'Adamax', 'Nadam', 'Ftrl', 'Lion', 'Lamb', 'Adafactor'] as const;

const lossSpec = (name: string, key = 'reduction', wrong: Record<string, unknown> = { reduction: 3 }, camel?: Record<string, unknown>): ConstructorSpec => ({
  path: `losses.${name}`,
  key,
  wrong,
  ...(camel ? { camel } : {}),
});

const metricSpec = (name: string, key = 'name', wrong: Record<string, unknown> = { name: 3 }, camel?: Record<string, unknown>): ConstructorSpec => ({
  path: `metrics.${name}`,
  key,
  wrong,
  ...(camel ? { camel } : {}),
});

/** Every public constructor of the `keras` namespace (options.test.ts checks none is missing). */
export const CONSTRUCTORS: readonly ConstructorSpec[] = [
  layer('Dense', { units: 2 }, 'units', { units: '2' }),
  layer('Activation', { activation: 'relu' }, 'activation', { trainable: 'yes' }),
  layer('Dropout', { rate: 0.5 }, 'rate', { rate: '0.5' }),
  layer('Flatten', {}, 'data_format', { data_format: 3 }),
  layer('Reshape', { target_shape: [3] }, 'target_shape', { target_shape: '3' }),
  layer('GaussianNoise', { stddev: 0.1 }, 'stddev', { stddev: '0.1' }),
  layer('ActivityRegularization', {}, 'l1', { l1: '0.01' }),
  layer('BatchNormalization', {}, 'momentum', { momentum: '0.9' }),
  layer('Conv2D', { filters: 2, kernel_size: 3 }, 'filters', { filters: '2' }),
  layer('Conv1D', { filters: 2, kernel_size: 3 }, 'filters', { filters: '2' }),
  layer('ZeroPadding2D', {}, 'data_format', { data_format: 3 }),
  layer('GlobalAveragePooling2D', {}, 'keepdims', { keepdims: 'yes' }),
  layer('GlobalAveragePooling1D', {}, 'keepdims', { keepdims: 'yes' }),
  layer('GlobalMaxPooling2D', {}, 'keepdims', { keepdims: 'yes' }),
  layer('GlobalMaxPooling1D', {}, 'keepdims', { keepdims: 'yes' }),
  layer('MaxPooling2D', {}, 'pool_size', { padding: 3 }),
  layer('MaxPooling1D', {}, 'pool_size', { padding: 3 }),
  layer('AveragePooling2D', { pool_size: 2 }, 'pool_size', { padding: 3 }),
  layer('AveragePooling1D', { pool_size: 2 }, 'pool_size', { padding: 3 }),
  layer('Conv2DTranspose', { filters: 2, kernel_size: 3 }, 'output_padding', { filters: '2' }),
  layer('Conv1DTranspose', { filters: 2, kernel_size: 3 }, 'output_padding', { filters: '2' }),
  layer('DepthwiseConv2D', { kernel_size: 3 }, 'depth_multiplier', { depth_multiplier: '2' }),
  layer('DepthwiseConv1D', { kernel_size: 3 }, 'depth_multiplier', { depth_multiplier: '2' }),
  layer('SeparableConv2D', { filters: 2, kernel_size: 3 }, 'pointwise_initializer', { filters: '2' }),
  layer('SeparableConv1D', { filters: 2, kernel_size: 3 }, 'pointwise_initializer', { filters: '2' }),
  layer('Cropping2D', {}, 'cropping', { trainable: 'yes' }),
  layer('Cropping1D', {}, 'cropping', { trainable: 'yes' }),
  layer('UpSampling2D', {}, 'interpolation', { trainable: 'yes' }),
  layer('UpSampling1D', {}, 'size', { trainable: 'yes' }),
  layer('ZeroPadding1D', {}, 'padding', { trainable: 'yes' }),
  layer('SpatialDropout2D', { rate: 0.5 }, 'rate', { rate: '0.5' }),
  layer('SpatialDropout1D', { rate: 0.5 }, 'rate', { rate: '0.5' }),
  layer('InputLayer', { shape: [3] }, 'shape', { shape: '3' }),
  ...['SimpleRNN', 'LSTM', 'GRU', 'SimpleRNNCell', 'LSTMCell', 'GRUCell'].map((name) => layer(name, { units: 2 }, 'units', { units: '2' })),
  layer('RNN', { cell: LSTMCell(2) }, 'return_sequences', { return_sequences: 'yes' }),
  layer('TimeDistributed', { layer: Dense(2) }, 'layer', { layer: 'dense' }),
  layer('Bidirectional', { layer: LSTM(2) }, 'merge_mode', { merge_mode: 'max' }),
  layer('Embedding', { input_dim: 10, output_dim: 4 }, 'input_dim', { input_dim: '10' }),
  layer('Masking', {}, 'mask_value', { mask_value: 'zero' }),
  layer('RepeatVector', { n: 3 }, 'n', { n: '3' }),
  layer('Add', {}, 'name', { name: 3 }),
  layer('Subtract', {}, 'name', { name: 3 }),
  layer('Multiply', {}, 'name', { name: 3 }),
  layer('Average', {}, 'name', { name: 3 }),
  layer('Maximum', {}, 'name', { name: 3 }),
  layer('Minimum', {}, 'name', { name: 3 }),
  layer('Concatenate', {}, 'axis', { axis: '1' }),
  layer('Dot', { axes: 1 }, 'normalize', { normalize: 'yes' }),
  layer('TextVectorization', {}, 'max_tokens', { max_tokens: '100' }),
  { path: 'preprocessing.text.Tokenizer', key: 'num_words', wrong: { num_words: '100' }, camel: { num_words: 100 } },
  { path: 'layers.Input', required: { shape: [3] }, key: 'shape', wrong: { shape: '3' }, camel: { batch_size: 4 } },
  { path: 'Sequential', key: 'name', wrong: { trainable: 'yes' } },
  ...OPTIMIZER_NAMES.map((name) => ({ path: `optimizers.${name}`, key: 'learning_rate', wrong: { learning_rate: '0.01' }, camel: { learning_rate: 0.01 } })),
  { path: 'optimizers.schedules.ExponentialDecay', required: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.9 }, key: 'staircase', wrong: { staircase: 'yes' }, camel: { decay_rate: 0.9 } },
  { path: 'optimizers.schedules.InverseTimeDecay', required: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 }, key: 'staircase', wrong: { staircase: 'yes' }, camel: { decay_rate: 0.5 } },
  { path: 'optimizers.schedules.PiecewiseConstantDecay', required: { boundaries: [10], values: [0.1, 0.01] }, key: 'values', wrong: { boundaries: '10' } },
  { path: 'optimizers.schedules.PolynomialDecay', required: { initial_learning_rate: 0.1, decay_steps: 10 }, key: 'power', wrong: { power: '2' }, camel: { end_learning_rate: 0.001 } },
  { path: 'optimizers.schedules.CosineDecay', required: { initial_learning_rate: 0.1, decay_steps: 10 }, key: 'alpha', wrong: { alpha: '0' }, camel: { warmup_steps: 2 } },
  { path: 'optimizers.schedules.CosineDecayRestarts', required: { initial_learning_rate: 0.1, first_decay_steps: 10 }, key: 't_mul', wrong: { t_mul: '2' }, camel: { m_mul: 0.5 } },
  { path: 'callbacks.EarlyStopping', key: 'patience', wrong: { patience: '3' }, camel: { restore_best_weights: true } },
  { path: 'callbacks.ReduceLROnPlateau', key: 'factor', wrong: { factor: '0.5' }, camel: { min_lr: 0.001 } },
  { path: 'callbacks.LearningRateScheduler', required: { schedule }, key: 'verbose', wrong: { verbose: 'yes' } },
  { path: 'callbacks.TerminateOnNaN', key: 'raise_error', wrong: { raise_error: 'yes' }, camel: { raise_error: true } },
  { path: 'callbacks.LambdaCallback', key: 'on_epoch_end', wrong: { on_epoch_end: 3 }, camel: { on_epoch_end: schedule } },
  { path: 'callbacks.CSVLogger', required: { filename: 'log.csv' }, key: 'separator', wrong: { append: 'yes' } },
  { path: 'callbacks.ModelCheckpoint', required: { filepath: 'model-{epoch:02d}.keras' }, key: 'save_best_only', wrong: { save_best_only: 'yes' }, camel: { save_weights_only: false } },
  { path: 'callbacks.BackupAndRestore', required: { backup_dir: 'backup' }, key: 'double_checkpoint', wrong: { double_checkpoint: 'yes' }, camel: { delete_checkpoint: false } },
  { path: 'callbacks.ProgbarLogger', key: 'count_mode', wrong: { count_mode: 3 }, camel: { count_mode: 'steps' } },
  { path: 'regularizers.L1', key: 'l1', wrong: { l1: '0.01' } },
  { path: 'regularizers.L2', key: 'l2', wrong: { l2: '0.01' } },
  { path: 'regularizers.L1L2', key: 'l2', wrong: { l1: '0.01' } },
  { path: 'regularizers.OrthogonalRegularizer', key: 'factor', wrong: { factor: '0.01' } },
  { path: 'constraints.MaxNorm', key: 'axis', wrong: { max_value: '2' }, camel: { max_value: 2 } },
  { path: 'constraints.MinMaxNorm', key: 'rate', wrong: { rate: '1' }, camel: { min_value: 0.5 } },
  { path: 'constraints.UnitNorm', key: 'axis', wrong: { axis: 'rows' } },
  { path: 'initializers.RandomNormal', key: 'stddev', wrong: { stddev: '0.05' } },
  { path: 'initializers.TruncatedNormal', key: 'stddev', wrong: { stddev: '0.05' } },
  { path: 'initializers.RandomUniform', key: 'maxval', wrong: { maxval: '1' } },
  { path: 'initializers.VarianceScaling', key: 'scale', wrong: { scale: '1' } },
  ...['GlorotUniform', 'GlorotNormal', 'HeUniform', 'HeNormal', 'LecunUniform', 'LecunNormal'].map((name) => ({
    path: `initializers.${name}`,
    key: 'seed',
    wrong: { seed: '42' },
  })),
  { path: 'initializers.Constant', key: 'value', wrong: { value: 'one' } },
  { path: 'initializers.Identity', key: 'gain', wrong: { gain: '1' } },
  { path: 'initializers.Orthogonal', key: 'gain', wrong: { gain: '1' } },
  lossSpec('BinaryCrossentropy', 'from_logits', { from_logits: 'yes' }, { from_logits: true }),
  lossSpec('CategoricalCrossentropy', 'from_logits', { from_logits: 'yes' }, { from_logits: true }),
  lossSpec('SparseCategoricalCrossentropy', 'from_logits', { from_logits: 'yes' }, { from_logits: true }),
  lossSpec('BinaryFocalCrossentropy', 'gamma', { gamma: '2' }, { apply_class_balancing: true }),
  lossSpec('CategoricalFocalCrossentropy', 'gamma', { gamma: '2' }, { label_smoothing: 0.1 }),
  lossSpec('Huber', 'delta', { delta: '1' }),
  lossSpec('CosineSimilarity', 'axis', { axis: 'last' }),
  ...['MeanSquaredError', 'MeanAbsoluteError', 'MeanAbsolutePercentageError', 'MeanSquaredLogarithmicError', 'Hinge', 'SquaredHinge', 'CategoricalHinge', 'KLDivergence', 'LogCosh', 'Poisson'].map((name) => lossSpec(name)),
  metricSpec('BinaryAccuracy', 'threshold', { threshold: '0.5' }),
  metricSpec('BinaryCrossentropy', 'from_logits', { from_logits: 'yes' }, { from_logits: true }),
  metricSpec('CategoricalCrossentropy', 'from_logits', { from_logits: 'yes' }, { from_logits: true }),
  metricSpec('SparseCategoricalCrossentropy', 'from_logits', { from_logits: 'yes' }, { from_logits: true }),
  metricSpec('CosineSimilarity', 'axis', { axis: 'last' }),
  metricSpec('TopKCategoricalAccuracy', 'k', { k: '5' }),
  metricSpec('SparseTopKCategoricalAccuracy', 'k', { k: '5' }),
  metricSpec('AUC', 'curve', { num_thresholds: '200' }, { num_thresholds: 100 }),
  metricSpec('Precision', 'thresholds', { class_id: '1' }, { class_id: 1 }),
  metricSpec('Recall', 'thresholds', { class_id: '1' }, { class_id: 1 }),
  ...['TruePositives', 'TrueNegatives', 'FalsePositives', 'FalseNegatives'].map((name) => metricSpec(name, 'thresholds', { thresholds: 'half' })),
  metricSpec('R2Score', 'num_regressors', { num_regressors: '1' }, { num_regressors: 0 }),
  ...[
    'Accuracy', 'CategoricalAccuracy', 'SparseCategoricalAccuracy', 'Mean', 'MeanSquaredError', 'MeanAbsoluteError',
    'MeanAbsolutePercentageError', 'MeanSquaredLogarithmicError', 'RootMeanSquaredError', 'Hinge', 'SquaredHinge',
    'CategoricalHinge', 'KLDivergence', 'LogCoshError', 'Poisson',
  ].map((name) => metricSpec(name)),
];

/** Constructors that take no arguments: any keyword is unknown. */
export const NO_ARGUMENT_CONSTRUCTORS: readonly string[] = ['constraints.NonNeg', 'initializers.Zeros', 'initializers.Ones', 'callbacks.History'];

type Constructor = new (options: Record<string, unknown>) => unknown;

/** `keras.<path>`. */
export function constructorAt(path: string): Constructor {
  let value: unknown = keras;
  for (const part of path.split('.')) value = (value as Record<string, unknown>)[part];
  if (typeof value !== 'function') throw new Error(`keras.${path} is not a constructor`);
  return value as Constructor;
}

const ownerOf = (path: string) => path.split('.').at(-1)!;

function regexEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Swaps the last two letters: `momentum` → `momenutm`, the slip a "did you mean" must catch. */
export function misspell(key: string): string {
  return key.length < 2 ? `${key}${key}` : `${key.slice(0, -2)}${key.at(-1)}${key.at(-2)}`;
}

function constructorCases(spec: ConstructorSpec): ErrorCase[] {
  const Ctor = constructorAt(spec.path);
  const owner = ownerOf(spec.path);
  const call = (options: Record<string, unknown>) => ({
    code: `keras.${spec.path}(${jsText({ ...spec.required, ...options })})`,
    run: () => new Ctor({ ...spec.required, ...options }),
  });
  const typo = misspell(spec.key);
  const [wrongKey, wrongValue] = Object.entries(spec.wrong)[0]!;
  const cases: ErrorCase[] = [
    {
      description: `${owner}: misspelt keyword \`${typo}\``,
      ...call({ [typo]: 1 }),
      error: 'ValueError',
      message: `Unrecognized keyword arguments passed to ${owner}: {'${typo}': 1}. Did you mean \`${spec.key}\`?`,
    },
    {
      description: `${owner}: \`${wrongKey}\` of the wrong type`,
      ...call(spec.wrong),
      error: 'ValueError',
      message: new RegExp(`^${regexEscape(owner)}: \`${wrongKey}\` must .+\\. Received: ${regexEscape(`${wrongKey}=${repr(wrongValue)}`)}$`),
    },
  ];
  if (spec.camel) {
    const [snake, value] = Object.entries(spec.camel)[0]!;
    const camel = snakeToCamel(snake);
    cases.push({
      description: `${owner}: both \`${snake}\` and \`${camel}\``,
      ...call({ [snake]: value, [camel]: value }),
      error: 'ValueError',
      message: `${owner}: both \`${snake}\` and \`${camel}\` were given; they are the same argument, give only one.`,
    });
  }
  return cases;
}

function noArgumentCase(path: string): ErrorCase {
  const Ctor = constructorAt(path);
  const owner = ownerOf(path);
  return {
    description: `${owner}: any keyword (it takes none)`,
    code: `keras.${path}({ axis: 0 })`,
    run: () => new Ctor({ axis: 0 }),
    error: 'ValueError',
    message: `Unrecognized keyword arguments passed to ${owner}: {'axis': 0}. ${owner} takes no arguments.`,
  };
}

const LEARNING_RATE_MESSAGE =
  'must be a float >= 0, a LearningRateSchedule, or a function that takes no arguments and returns the learning rate';

/** Every optimizer: a negative learning rate, and the TF2 `lr` given together with `learning_rate`. */
const optimizerCases: ErrorCase[] = OPTIMIZER_NAMES.flatMap((name): ErrorCase[] => {
  const Ctor = constructorAt(`optimizers.${name}`);
  return [
    {
      description: `${name}: negative learning rate`,
      code: `keras.optimizers.${name}({ learning_rate: -0.01 })`,
      run: () => new Ctor({ learning_rate: -0.01 }),
      error: 'ValueError',
      message: `${name}: \`learning_rate\` ${LEARNING_RATE_MESSAGE}. Received: learning_rate=-0.01`,
    },
    {
      description: `${name}: both \`lr\` and \`learning_rate\``,
      code: `keras.optimizers.${name}({ lr: 0.1, learning_rate: 0.1 })`,
      run: () => new Ctor({ lr: 0.1, learning_rate: 0.1 }),
      error: 'ValueError',
      message: `${name}: both \`lr\` and \`learning_rate\` were given; \`lr\` is the TF2 name of \`learning_rate\`, give only one.`,
    },
  ];
});

/** Values of the right type but out of range, with Keras's wording where Keras checks them. */
const outOfRangeCases: ErrorCase[] = [
  {
    description: 'momentum > 1 (Keras\'s own message)',
    code: 'SGD({ momentum: 2 })',
    run: () => SGD({ momentum: 2 }),
    error: 'ValueError',
    message: 'SGD: `momentum` must be a float between [0, 1]. Received: momentum=2',
  },
  {
    description: 'negative momentum',
    code: 'SGD({ lr: 0.01, momentum: -0.9 })',
    run: () => SGD({ lr: 0.01, momentum: -0.9 }),
    error: 'ValueError',
    message: 'SGD: `momentum` must be a float between [0, 1]. Received: momentum=-0.9',
  },
  {
    description: 'RMSprop rho > 1',
    code: 'keras.optimizers.RMSprop({ rho: 2 })',
    run: () => keras.optimizers.RMSprop({ rho: 2 }),
    error: 'ValueError',
    message: 'RMSprop: `rho` must be a float between [0, 1]. Received: rho=2',
  },
  {
    description: 'Adam beta_1 > 1',
    code: 'keras.optimizers.Adam({ beta_1: 1.5 })',
    run: () => keras.optimizers.Adam({ beta_1: 1.5 }),
    error: 'ValueError',
    message: 'Adam: `beta_1` must be a float between [0, 1]. Received: beta_1=1.5',
  },
  {
    description: 'two clipping rules at once',
    code: 'SGD({ clipnorm: 1, clipvalue: 0.5 })',
    run: () => SGD({ clipnorm: 1, clipvalue: 0.5 }),
    error: 'ValueError',
    message: 'SGD: Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm=1, clipvalue=0.5, global_clipnorm=null',
  },
  {
    description: 'dropout rate of 1',
    code: 'Dropout(1)',
    run: () => Dropout(1),
    error: 'ValueError',
    message: 'Dropout: `rate` must be a float in the range [0, 1). Received: rate=1',
  },
  {
    description: 'dropout rate given in percent',
    code: 'Dropout(20)',
    run: () => Dropout(20),
    error: 'ValueError',
    message: 'Dropout: `rate` must be a float in the range [0, 1). Received: rate=20',
  },
  {
    description: 'zero units',
    code: 'Dense(0)',
    run: () => Dense(0),
    error: 'ValueError',
    message: 'Dense: `units` must be a positive integer. Received: units=0',
  },
  {
    description: 'negative units',
    code: 'Dense(-8)',
    run: () => Dense(-8),
    error: 'ValueError',
    message: 'Dense: `units` must be a positive integer. Received: units=-8',
  },
  {
    description: 'fractional units',
    code: 'Dense(2.5)',
    run: () => Dense(2.5),
    error: 'ValueError',
    message: 'Dense: `units` must be a positive integer. Received: units=2.5',
  },
  {
    description: 'input_shape as a number, not a list',
    code: 'Dense(2, { input_shape: 8 })',
    run: () => Dense(2, { input_shape: 8 as never }),
    error: 'ValueError',
    message: 'Dense: `input_shape` must be an array of positive integers, such as [8]. Received: input_shape=8',
  },
  {
    description: 'misspelt activation name',
    code: "Dense(2, { activation: 'relux' })",
    run: () => Dense(2, { activation: 'relux' }),
    error: 'ValueError',
    message: "Could not interpret activation function identifier: 'relux'. Did you mean 'relu'?",
  },
  {
    description: 'misspelt initializer name',
    code: "Dense(2, { kernel_initializer: 'unifrom' })",
    run: () => Dense(2, { kernel_initializer: 'unifrom' }),
    error: 'ValueError',
    message: "Could not interpret initializer identifier: 'unifrom'. Did you mean 'uniform'?",
  },
  {
    description: 'misspelt regularizer name',
    code: "Dense(2, { kernel_regularizer: 'l3' })",
    run: () => Dense(2, { kernel_regularizer: 'l3' }),
    error: 'ValueError',
    message: "Could not interpret regularizer identifier: 'l3'. Did you mean 'l1'?",
  },
  {
    description: 'misspelt optimizer name',
    code: "keras.optimizers.get('adamm')",
    run: () => keras.optimizers.get('adamm'),
    error: 'ValueError',
    message: "Could not interpret optimizer identifier: 'adamm'. Did you mean 'Adam'?",
  },
  {
    description: 'misspelt loss name',
    code: "keras.losses.get('mean_squared_eror')",
    run: () => keras.losses.get('mean_squared_eror'),
    error: 'ValueError',
    message: "Could not interpret loss identifier: 'mean_squared_eror'. Did you mean 'mean_squared_error'?",
  },
  {
    description: 'BatchNormalization momentum > 1',
    code: 'keras.layers.BatchNormalization({ momentum: 2 })',
    run: () => keras.layers.BatchNormalization({ momentum: 2 }),
    error: 'ValueError',
    message: 'BatchNormalization: `momentum` must be a float between [0, 1]. Received: momentum=2',
  },
  {
    description: 'ReduceLROnPlateau factor ≥ 1 (Keras\'s own message)',
    code: 'keras.callbacks.ReduceLROnPlateau({ factor: 1 })',
    run: () => keras.callbacks.ReduceLROnPlateau({ factor: 1 }),
    error: 'ValueError',
    message: 'ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0',
  },
  {
    description: 'negative patience',
    code: 'keras.callbacks.EarlyStopping({ patience: -1 })',
    run: () => keras.callbacks.EarlyStopping({ patience: -1 }),
    error: 'ValueError',
    message: 'EarlyStopping: `patience` must be a non-negative integer. Received: patience=-1',
  },
  {
    description: 'negative l2 factor',
    code: 'keras.regularizers.l2(-0.01)',
    run: () => keras.regularizers.l2(-0.01),
    error: 'ValueError',
    message: 'L2: `l2` must be a non-negative float. Received: l2=-0.01',
  },
  {
    description: 'schedule with zero decay steps',
    code: 'keras.optimizers.schedules.ExponentialDecay(0.1, 0, 0.9)',
    run: () => keras.optimizers.schedules.ExponentialDecay(0.1, 0, 0.9),
    error: 'ValueError',
    message: 'ExponentialDecay: `decay_steps` must be > 0. Received: decay_steps=0',
  },
  {
    description: 'top-k metric with k = 0',
    code: 'keras.metrics.TopKCategoricalAccuracy({ k: 0 })',
    run: () => keras.metrics.TopKCategoricalAccuracy({ k: 0 }),
    error: 'ValueError',
    message: 'TopKCategoricalAccuracy: `k` must be a positive integer. Received: k=0',
  },
  {
    description: 'negative relu cap',
    code: 'keras.activations.relu(x, { max_value: -1 })',
    run: () => keras.activations.relu([1, -1], { max_value: -1 }),
    error: 'ValueError',
    message: 'relu: `max_value` must be a non-negative float or null. Received: max_value=-1',
  },
  {
    description: 'negative random seed',
    code: 'keras.utils.set_random_seed(-1)',
    run: () => keras.utils.set_random_seed(-1),
    error: 'TypeError',
    message: 'set_random_seed: `seed` must be a non-negative integer. Received: seed=-1',
  },
];

export const OPTIONS_AREA: ErrorArea = {
  title: 'Constructor arguments',
  intro:
    'Every public constructor rejects a misspelt keyword (naming the closest valid one), a value of the wrong type, ' +
    'and the snake_case and camelCase spellings of one argument given together; the loop in ' +
    '`packages/keras-like/test/errors/options.test.ts` covers them all. Out-of-range values use Keras\'s wording where Keras checks them.',
  cases: [...outOfRangeCases, ...optimizerCases, ...CONSTRUCTORS.flatMap(constructorCases), ...NO_ARGUMENT_CONSTRUCTORS.map(noArgumentCase)],
};
