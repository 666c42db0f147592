/**
 * keras-like, driven exactly as a ported notebook drives it:
 *
 *   const model = Sequential();
 *   model.add(Dense(12, { input_dim: 8, activation: 'relu' }));
 *   model.compile({ optimizer: optimizers.Adam(), loss: 'binary_crossentropy', metrics: ['accuracy'] });
 *   model.fit(x, y, { batch_size: 10, epochs: 20, verbose: 0 });
 */
import { Dense, optimizers, Sequential } from 'keras-like';
import { type Contender, weightTensors } from './contender.js';

export const kerasLikeContender: Contender = {
  name: 'keras-like',
  build(tf, workload, weights) {
    const model = Sequential();
    workload.sizes.slice(1).forEach((units, i) => {
      const activation = workload.activations[i]!;
      model.add(Dense(units, i === 0 ? { input_dim: workload.sizes[0]!, activation } : { activation }));
    });
    model.compile({
      optimizer: optimizers.Adam({ learning_rate: workload.learningRate }),
      loss: workload.loss,
      metrics: ['accuracy'],
    });
    const initial = weightTensors(tf, weights);
    model.set_weights(initial);
    tf.dispose(initial);
    return {
      async fit(x, y, epochs) {
        // `fit` is synchronous, as in Python; `await` is what a notebook port may write, and costs nothing.
        const { history } = await model.fit(x, y, { batch_size: workload.batchSize, epochs, verbose: 0 });
        return { loss: history.loss ?? [], accuracy: history.accuracy ?? [] };
      },
      predict: (x) => model.predict(x, { verbose: 0 }),
      dispose: () => model.dispose(),
    };
  },
};
