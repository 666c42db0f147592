/** `keras.models`. */
export { Sequential, SequentialModel, type SequentialOptions, type FitOptions, type EvaluateOptions, type PredictOptions, type OnBatchOptions, type EvaluateResult, type FitArgs, type EvaluateArgs, type PredictArgs } from './sequential.js';
export type { CompileOptions } from './compile.js';
export { Progbar } from './progbar.js';
