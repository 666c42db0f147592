/**
 * Bad input to recurrent networks and embeddings (issue 16): each is a Keras-worded
 * ValueError at the call that received it.
 */
import { keras, tf, Dense, Embedding, Flatten, LSTM, Sequential, SimpleRNN } from 'keras-like';
import { using, type ErrorArea } from './error_case.js';

const quiet = { verbose: 0 } as const;

export const RECURRENT_AREA: ErrorArea = {
  title: 'Recurrent layers and embeddings',
  intro:
    'Recurrent layers take [batch, timesteps, features] and check it when the input arrives; Embedding checks every token against its vocabulary, since reading a row that does not exist would silently give zeros.',
  cases: [
    {
      description: 'a token ≥ input_dim into an Embedding',
      code: 'model.fit([[1, 2, 12]], [1])  // Embedding(10, 4, { input_length: 3 })',
      run: () => {
        keras.backend.clear_session();
        return using(
          () => Sequential([Embedding(10, 4, { input_length: 3 }), Flatten(), Dense(1)]),
          (m) => {
            m.compile({ optimizer: 'adam', loss: 'mse' });
            return m.fit([[1, 2, 12]], [1], quiet);
          },
        );
      },
      error: 'ValueError',
      message:
        'Exception encountered when calling Embedding.call() of layer "embedding": indices[0,2] = 12 is not in [0, 10). Tokens must be integers from 0 to input_dim − 1 = 9: raise input_dim to the vocabulary size.',
    },
    {
      description: 'a 2-D array into an LSTM (one feature per step, without its axis)',
      code: 'model.fit(tf.zeros([4, 10]), y)  // LSTM(4, { input_shape: [10, 1] })',
      run: () => {
        keras.backend.clear_session();
        return using(
          () => Sequential([LSTM(4, { input_shape: [10, 1] }), Dense(1)]),
          (m) => {
            m.compile({ optimizer: 'adam', loss: 'mse' });
            return using(() => tf.zeros([4, 10]), (x) => using(() => tf.zeros([4, 1]), (y) => m.fit(x, y, quiet)));
          },
        );
      },
      error: 'ValueError',
      message: 'Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (4, 10)',
    },
    {
      description: 'a 2-D input_shape for an LSTM',
      code: "model.add(LSTM(4, { input_shape: [8] }))",
      run: () => {
        keras.backend.clear_session();
        return using(() => Sequential(), (m) => m.add(LSTM(4, { input_shape: [8] })));
      },
      error: 'ValueError',
      message: 'Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (None, 8)',
    },
    {
      description: 'units=0',
      code: 'LSTM(0)',
      run: () => LSTM(0),
      error: 'ValueError',
      message: 'Received an invalid value for argument `units`, expected a positive integer, got 0.',
    },
    {
      description: 'a stateful layer given another batch size',
      code: 'layer.apply(tf.zeros([2, 4, 1]))  // SimpleRNN(2, { stateful: true }), first called on a batch of 3',
      run: () => {
        keras.backend.clear_session();
        const layer = SimpleRNN(2, { stateful: true });
        try {
          tf.dispose(using(() => tf.zeros([3, 4, 1]), (x) => layer.apply(x)) as tf.Tensor);
          return using(() => tf.zeros([2, 4, 1]), (x) => layer.apply(x));
        } finally {
          layer.dispose();
        }
      },
      error: 'ValueError',
      message:
        'If an RNN is stateful, the batch size of the input sequences must be the same as the batch size of the initial state. \n- Expected batch size: 3\n- Received batch size: 2',
    },
  ],
};
