/** `keras.callbacks`: hooks into `fit`, `evaluate` and `predict`. */
export { Callback, type Logs, type CallbackParams } from './callback.js';
export { CallbackList } from './callback_list.js';
export { History, HistoryCallback } from './history.js';
export { ProgbarLogger, ProgbarLoggerCallback } from './progbar_logger.js';
// Callbacks that watch training (issue 5).
export { EarlyStopping } from './early_stopping.js';
export { ReduceLROnPlateau } from './reduce_lr_on_plateau.js';
export { LearningRateScheduler, type Schedule } from './learning_rate_scheduler.js';
export { TerminateOnNaN } from './terminate_on_nan.js';
export { LambdaCallback } from './lambda_callback.js';
export { CSVLogger } from './csv_logger.js';
export { ModelCheckpoint } from './model_checkpoint.js';
export { BackupAndRestore, BackupAndRestoreCallback, type BackupAndRestoreOptions } from './backup_and_restore.js';
