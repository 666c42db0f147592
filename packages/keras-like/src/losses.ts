/**
 * `keras.losses`: Keras 3's loss functions (`mean_squared_error(y_true, y_pred)` → per-sample
 * values) and classes (`BinaryCrossentropy({ from_logits: true })`, called as
 * `bce(y_true, y_pred, sample_weight?)`), `get` / `serialize` / `deserialize`, and the engine's
 * `getLoss`, which pairs each loss with its hand-written gradient (docs/architecture.md, "Loss").
 */
export * from './losses/functions.js';
export * from './losses/classes.js';
export { Loss, reduceValues, type LossFunction, type Reduction, type LossBaseOptions } from './losses/loss.js';
export { get, serialize, deserialize, getLoss, LOSS_NAMES } from './losses/get.js';
export type { LossFn, LossConfig, LossIdentifier } from './losses/get.js';
// TF2 / Keras 2 aliases that notebooks import: `keras.losses.mse`, `keras.losses.MSE`, ...
export {
  mean_squared_error as mse,
  mean_squared_error as MSE,
  mean_absolute_error as mae,
  mean_absolute_error as MAE,
  mean_absolute_percentage_error as mape,
  mean_absolute_percentage_error as MAPE,
  mean_squared_logarithmic_error as msle,
  mean_squared_logarithmic_error as MSLE,
  kl_divergence as kld,
  kl_divergence as KLD,
  kl_divergence as kullback_leibler_divergence,
  log_cosh as logcosh,
} from './losses/functions.js';
