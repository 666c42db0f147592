/**
 * A fit that diverges. The numbers are chosen so the first non-finite loss is known by hand:
 * Dense(1) from zero weights, mse, SGD with learning rate 1e6, x = 1, 2, 3, 4 and y = 2x,
 * one sample per batch, no shuffling. Per step, err = w·x + b − y, loss = err²,
 * w −= lr·2·err·x, b −= lr·2·err:
 *
 *   batch 0: err = −2,        loss = 4;        w = b = 4e6
 *   batch 1: err ≈ 1.2e7,     loss ≈ 1.4e14;   w ≈ −4.8e13, b ≈ −2.4e13
 *   batch 2: err ≈ −1.7e14,   loss ≈ 2.8e28;   w ≈ 1.0e21,  b ≈ 3.4e20
 *   batch 3: err ≈ 4.3e21,    loss ≈ 1.9e43 > float32's 3.4e38, so inf
 *
 * The epoch's loss (the mean of its batch losses) is first inf at epoch 1, batch 3;
 * later steps multiply inf by 0 and give NaN.
 */
import { keras, Dense, Sequential } from 'keras-like';
import { using, type ErrorArea } from './error_case.js';

export const DIVERGING_X = [[1], [2], [3], [4]];
export const DIVERGING_Y = [[2], [4], [6], [8]];
export const DIVERGING_FIT = { batch_size: 1, shuffle: false, verbose: 0 } as const;

/** The model of the derivation above, compiled. */
export function divergingModel(): Sequential {
  keras.backend.clear_session();
  const model = Sequential();
  model.add(Dense(1, { input_shape: [1], kernel_initializer: 'zeros' }));
  model.compile({ optimizer: keras.optimizers.SGD({ learning_rate: 1e6 }), loss: 'mse' });
  return model;
}

/** What training prints, checked by training_faults.test.ts and listed in docs/errors.md. */
export interface PrintedMessage {
  readonly description: string;
  readonly code: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export const TERMINATE_ON_NAN_PRINTED: PrintedMessage = {
  description: 'TerminateOnNaN stops at the first bad batch',
  code: 'model.fit(x, y, { epochs: 3, callbacks: [keras.callbacks.TerminateOnNaN()] })',
  stream: 'stdout',
  text: 'Epoch 1, batch 3: Invalid loss, terminating training',
};

export const NON_FINITE_LOSS_PRINTED: PrintedMessage = {
  description: 'the loss diverges and nothing stops training (printed once per fit)',
  code: 'model.fit(x, y, { epochs: 3 })',
  stream: 'stderr',
  text:
    'UserWarning: The loss is inf at epoch 1: training has diverged, and the next epochs will not recover. ' +
    'Lower the learning rate, or pass `callbacks: [keras.callbacks.TerminateOnNaN()]` to stop at the first bad batch.',
};

export const PRINTED_DURING_TRAINING: readonly PrintedMessage[] = [TERMINATE_ON_NAN_PRINTED, NON_FINITE_LOSS_PRINTED];

export const TRAINING_AREA: ErrorArea = {
  title: 'During training',
  intro:
    'A diverging fit (learning rate 1e6 on y = 2x; the derivation is in `training_faults.cases.ts`). ' +
    '`fit` never crashes on a NaN loss: it warns once, or TerminateOnNaN stops it, and `history` keeps every finished epoch. ' +
    'An exception thrown by a user callback surfaces unchanged, with its stack, and the weights stay as the last finished step left them.',
  cases: [
    {
      description: 'a NaN/inf loss with TerminateOnNaN({ raise_error: true })',
      code: 'model.fit(x, y, { callbacks: [keras.callbacks.TerminateOnNaN({ raise_error: true })] })',
      run: () => using(divergingModel, (m) => m.fit(DIVERGING_X, DIVERGING_Y, { ...DIVERGING_FIT, callbacks: [keras.callbacks.TerminateOnNaN({ raise_error: true })] })),
      error: 'RuntimeError',
      message: 'NaN or Inf loss encountered at epoch 1, batch 3. Loss value: inf. Terminating training immediately.',
    },
  ],
};
