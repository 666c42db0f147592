/**
 * Bad input to recurrent networks and embeddings (issue 16): each is a Keras-worded
 * ValueError at the call that received it.
 */
import { keras, tf, Bidirectional, Dense, Embedding, Flatten, LSTM, RNN, Sequential, SimpleRNN } from 'keras-like';
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
    {
      description: 'return_state with a Bidirectional merge, in a Sequential model (the merged output and four states)',
      code: 'Sequential([Bidirectional(LSTM(4, { return_state: true }), { input_shape: [5, 3] }), Dense(1)])',
      run: () => {
        keras.backend.clear_session();
        // The layers are made first so that their weights can be freed after the failed call.
        return using(
          () => Bidirectional(LSTM(4, { return_state: true }), { input_shape: [5, 3] }),
          (bidirectional) => using(() => Dense(1), (dense) => Sequential([bidirectional, dense])),
        );
      },
      error: 'ValueError',
      message:
        'All layers added to a Sequential model should have a single output tensor. For multi-output layers, use the functional API. Received: layer "bidirectional" with 5 outputs.',
    },
    {
      description: 'return_state with a Bidirectional merge, its list of outputs given to a Dense',
      code: 'Dense(1)(Bidirectional(LSTM(4, { return_state: true }))(keras.Input({ shape: [5, 3] })))',
      run: () => {
        keras.backend.clear_session();
        return using(
          () => Bidirectional(LSTM(4, { return_state: true })),
          (bidirectional) => Dense(1)(bidirectional(keras.Input({ shape: [5, 3] })) as keras.KerasTensor[]),
        );
      },
      error: 'ValueError',
      message: 'Layer "dense" expects 1 input(s), but it received 5 input tensors. Inputs received: (None, 8), (None, 4), (None, 4), (None, 4), (None, 4)',
    },
    {
      description: 'a cell of your own without `call`',
      code: 'RNN({ cell: { state_size: 4 } })',
      run: () => RNN({ cell: { state_size: 4 } } as never),
      error: 'ValueError',
      message: 'Argument `cell` should have a `call` method. Received: cell={state_size: 4}',
    },
    {
      description: 'a cell of your own without `state_size`',
      code: 'RNN({ call: (inputs, states) => [inputs, states] })',
      run: () => RNN({ call: (inputs: tf.Tensor, states: tf.Tensor[]) => [inputs, states] } as never),
      error: 'ValueError',
      message:
        'The RNN cell should have a `state_size` attribute (single integer or list of integers, one integer per RNN state). Received: cell={call: <function call>}',
    },
    {
      description: 'Bidirectional around a layer that is not recurrent',
      code: 'Bidirectional(Dense(4))',
      run: () => {
        keras.backend.clear_session();
        return Bidirectional(Dense(4) as never);
      },
      error: 'ValueError',
      message:
        'Bidirectional: `layer` must be a recurrent layer (RNN, LSTM, GRU or SimpleRNN) with `go_backwards`, `return_sequences` and `return_state`. Received: layer=<function dense>',
    },
    {
      description: 'a backward_layer that does not go backwards',
      code: 'Bidirectional(LSTM(4), { backward_layer: LSTM(4) })',
      run: () => Bidirectional(LSTM(4), { backward_layer: LSTM(4) }),
      error: 'ValueError',
      message:
        'Forward layer and backward layer should have different `go_backwards` value. Received: forward_layer.go_backwards False, backward_layer.go_backwards=False',
    },
    {
      description: 'a backward_layer that returns something else',
      code: 'Bidirectional(LSTM(4), { backward_layer: LSTM(4, { go_backwards: true, return_sequences: true }) })',
      run: () => Bidirectional(LSTM(4), { backward_layer: LSTM(4, { go_backwards: true, return_sequences: true }) }),
      error: 'ValueError',
      message:
        'Forward layer and backward layer are expected to have the same value for attribute "return_sequences", got "False" for forward layer and "True" for backward layer',
    },
    {
      description: 'a 2-D array into a Bidirectional LSTM',
      code: 'Bidirectional(LSTM(4)).apply(tf.zeros([2, 3]))',
      run: () => {
        keras.backend.clear_session();
        return using(() => tf.zeros([2, 3]), (x) => Bidirectional(LSTM(4)).apply(x));
      },
      error: 'ValueError',
      message: 'Input 0 of layer "bidirectional" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (2, 3)',
    },
  ],
};
