import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { epochBatches } from '../src/models/data_adapter.js';

describe('epochBatches (batches cut on the host, one at a time)', () => {
  // 7 samples of shape [2, 3], int32 labels, float sample weights.
  const x = tf.tensor3d(Array.from({ length: 42 }, (_, i) => i), [7, 2, 3]);
  const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6], 'int32');
  const w = tf.tensor1d([0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
  const data = { x: [x], y: [y], sampleWeight: w };

  it('takes the shuffled rows in order: the same as gathering the shuffled dataset', () => {
    const order = Int32Array.from([3, 6, 0, 5, 1, 4, 2]);
    const batches = epochBatches(data, 3, order);
    expect(batches.count).toBe(3);
    const before = tf.memory().numTensors;
    for (let i = 0; i < batches.count; i++) {
      const batch = batches.batch(i);
      const rows = order.subarray(i * 3, Math.min(i * 3 + 3, 7));
      expect(batch.x[0]!.shape).toEqual([rows.length, 2, 3]);
      expect(batch.x[0]!.dtype).toBe('float32');
      expect(batch.y![0]!.dtype).toBe('int32');
      expect(batch.x[0]!.arraySync()).toEqual(tf.tidy(() => tf.gather(x, Array.from(rows)).arraySync()));
      expect(Array.from(batch.y![0]!.dataSync())).toEqual(Array.from(rows));
      expect(Array.from(batch.sampleWeight!.dataSync())).toEqual(Array.from(rows, (r) => (r + 1) / 2));
      tf.dispose([...batch.x, ...batch.y!, batch.sampleWeight!]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('without an order, batches are consecutive rows and the last one is short', () => {
    const batches = epochBatches({ x: [x], y: null, sampleWeight: null }, 4, null);
    expect(batches.count).toBe(2);
    const last = batches.batch(1);
    expect(last.y).toBeNull();
    expect(last.sampleWeight).toBeNull();
    expect(last.x[0]!.arraySync()).toEqual(tf.tidy(() => tf.slice(x, 4, 3).arraySync()));
    last.x[0]!.dispose();
  });
});
