/**
 * `keras.saving`: Keras 3's file formats. `save_model` / `load_model` (the `.keras` archive),
 * `save_weights` / `load_weights` (`.weights.h5`), legacy TF2 `.h5` reading, and the
 * serialization behind them. See docs/saving.md.
 */
export { save_model, load_model, model_from_json, KERAS_VERSION, type SaveModelOptions, type LoadModelOptions } from './model_file.js';
export { save_weights, load_weights, type SaveWeightsOptions, type LoadWeightsOptions } from './weights_file.js';
export { serializeModel as serialize_model, deserializeModel as deserialize_model, type CustomObjects } from './model_config.js';
export { save_tfjs, type TfjsModel } from './tfjs_format.js';
export {
  register_keras_serializable,
  custom_object_scope,
  CustomObjectScope,
  get_custom_objects,
  get_registered_name,
  get_registered_object,
  type RegisterOptions,
} from './object_registration.js';
