/**
 * keras-like, driven exactly as a ported notebook drives it:
 *
 *   const model = Sequential();
 *   model.add(Dense(12, { input_dim: 8, activation: 'relu' }));
 *   model.compile({ optimizer: optimizers.Adam(), loss: 'binary_crossentropy', metrics: ['accuracy'] });
 *   model.fit(x, y, { batch_size: 10, epochs: 20, verbose: 0 });
 */
import * as kerasLike from 'keras-like';
import type { tf as tfc } from 'keras-like';
import { type Contender, weightTensors } from './contender.js';

/**
 * The slice of keras-like's public API this contender uses. Sequential and Dense
 * are being written alongside the benchmark (issue 8 wires them in when they
 * land); until then the harness reports keras-like as unavailable.
 */
interface KerasLikeApi {
  Sequential(): {
    add(layer: unknown): void;
    compile(options: { optimizer: unknown; loss: string; metrics: string[] }): void;
    fit(x: tfc.Tensor, y: tfc.Tensor, options: { batch_size: number; epochs: number; verbose: 0 }): unknown;
    predict(x: tfc.Tensor, options: { verbose: 0 }): tfc.Tensor;
    set_weights(weights: tfc.Tensor[]): void;
    dispose(): void;
  };
  Dense(units: number, options: { activation: string; input_dim?: number }): unknown;
  optimizers: { Adam(options: { learning_rate: number }): unknown };
}

interface KerasHistory {
  history: Record<string, number[] | undefined>;
}

export function kerasLikeAvailable(): boolean {
  return typeof (kerasLike as Partial<Record<string, unknown>>)['Sequential'] === 'function';
}

export const kerasLikeContender: Contender = {
  name: 'keras-like',
  build(tf, workload, weights) {
    if (!kerasLikeAvailable()) throw new Error('keras-like does not export Sequential yet');
    const { Sequential, Dense, optimizers } = kerasLike as unknown as KerasLikeApi;
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
        const { history } = (await model.fit(x, y, { batch_size: workload.batchSize, epochs, verbose: 0 })) as KerasHistory;
        return { loss: history.loss ?? [], accuracy: history.accuracy ?? [] };
      },
      predict: (x) => model.predict(x, { verbose: 0 }),
      dispose: () => model.dispose(),
    };
  },
};
