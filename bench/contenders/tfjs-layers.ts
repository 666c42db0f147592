/**
 * The baseline a teacher would otherwise use in Node: TensorFlow.js layers,
 * `tf.sequential` + `model.fit`, written the way its documentation shows.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { tf as tfc } from 'keras-like';
import type { ActivationName } from '../workloads.js';
import { type Contender, type FitHistory, weightTensors } from './contender.js';

const LOSS_NAMES = {
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
} as const;

export const tfjsLayers: Contender = {
  name: 'tfjs-layers',
  build(tf, workload, weights) {
    const model = tfl.sequential();
    workload.sizes.slice(1).forEach((units, i) => {
      const activation: ActivationName = workload.activations[i]!;
      model.add(tfl.layers.dense({ units, activation, ...(i === 0 ? { inputShape: [workload.sizes[0]!] } : {}) }));
    });
    model.compile({
      optimizer: tf.train.adam(workload.learningRate),
      loss: LOSS_NAMES[workload.loss],
      metrics: ['accuracy'],
    });
    const initial = weightTensors(tf, weights);
    model.setWeights(initial);
    tf.dispose(initial);
    return {
      async fit(x, y, epochs) {
        const history = await model.fit(x, y, { batchSize: workload.batchSize, epochs, verbose: 0, shuffle: true });
        return historyOf(history.history);
      },
      predict: (x) => model.predict(x) as tfc.Tensor,
      dispose: () => model.dispose(),
    };
  },
};

/** tfjs-layers names the accuracy `acc` (older releases) or `accuracy`. */
function historyOf(logs: Record<string, Array<number | tfc.Tensor>>): FitHistory {
  const numbers = (values: Array<number | tfc.Tensor> | undefined) =>
    (values ?? []).map((v) => (typeof v === 'number' ? v : v.dataSync()[0]!));
  return { loss: numbers(logs.loss), accuracy: numbers(logs.acc ?? logs.accuracy) };
}
