/** `keras.models`. */
export { Sequential, SequentialModel, type SequentialOptions } from './sequential.js';
export { Model, ModelClass, type ModelOptions, type ModelArgs, type InputData, type Predictions, type SymbolicOutputs, type SymbolicStructure, type FitOptions, type EvaluateOptions, type PredictOptions, type OnBatchOptions, type EvaluateResult, type FitArgs, type EvaluateArgs, type PredictArgs } from './model.js';
export type { BatchGenerator, PyDatasetLike } from './generator_adapter.js';
export type { KerasTensorDict, KerasTensorList } from './structure.js';
export type { CompileOptions } from './compile.js';
export { Progbar } from './progbar.js';
// `keras.models.load_model`, `save_model`, `model_from_json` (issue 17).
export { load_model, save_model, model_from_json } from '../saving/index.js';
