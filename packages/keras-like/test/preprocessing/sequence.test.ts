import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras, pad_sequences, TimeseriesGenerator, timeseries_dataset_from_array } from 'keras-like';
import { closeTo, golden } from './golden.js';

describe('pad_sequences', () => {
  it.each(golden.pad_sequences.map((c) => [JSON.stringify(c.kwargs), c] as const))('matches Keras 3 with %s', (_, c) => {
    const x = pad_sequences(c.sequences, c.kwargs);
    expect(x.dtype).toBe(c.dtype);
    expect(x.arraySync()).toEqual(c.result);
    x.dispose();
  });

  it("is keras.utils.pad_sequences and keras.preprocessing.sequence.pad_sequences, with maxlen positional", () => {
    const a = keras.utils.pad_sequences([[1, 2, 3]], 2);
    const b = keras.preprocessing.sequence.pad_sequences(new Set([new Int32Array([1, 2, 3])]), { maxlen: 2 });
    expect(a.arraySync()).toEqual([[2, 3]]);
    expect(b.arraySync()).toEqual([[2, 3]]);
    tf.dispose([a, b]);
  });

  it('fails at the call on bad input, in Keras\'s words', () => {
    expect(() => pad_sequences([[1], 2] as never)).toThrow('`sequences` must be a list of iterables. Found non-iterable: 2 at position 1');
    expect(() => pad_sequences(5 as never)).toThrow('`sequences` must be iterable. Received: 5');
    expect(() => pad_sequences([[[1, 2]], [[1]]])).toThrow('Shape of sample (1,) of sequence at position 1 is different from expected shape (2,)');
    expect(() => pad_sequences([[1]], { padding: 'both' } as never)).toThrow("pad_sequences: `padding` must be 'pre' or 'post' (pad before or after each sequence). Received: padding='both'");
    expect(() => pad_sequences([[1]], { dtype: 'int64' } as never)).toThrow("`dtype` must be 'int32' (Keras's default) or 'float32'");
    expect(() => pad_sequences([[1, Number.NaN]])).toThrow('pad_sequences: sequences must hold finite numbers. Received: NaN in the sequence at position 0');
  });
});

describe('TimeseriesGenerator', () => {
  const data = Array.from({ length: 20 }, (_, i) => [2 * i, 2 * i + 1]);
  const targets = Array.from({ length: 20 }, (_, i) => 10 * i);

  it.each(golden.timeseries_generator.map((c) => [JSON.stringify(c.kwargs), c] as const))('matches Keras 3 with %s', (_, c) => {
    const gen = TimeseriesGenerator(data, targets, c.kwargs as never);
    expect(gen.__len__()).toBe(c.length);
    const batches = [...gen];
    expect(batches.length).toBe(c.length);
    batches.forEach(([x, y], i) => {
      closeTo(x.arraySync(), c.batches[i]![0]);
      closeTo(y.arraySync(), c.batches[i]![1]);
    });
    tf.dispose(batches.flat());
  });

  it('takes length positionally (TimeseriesGenerator(series, series, n_input, batch_size=1)) and indexes like a PyDataset', () => {
    const gen = keras.preprocessing.sequence.TimeseriesGenerator(targets, targets, 3, { batch_size: 1 });
    expect(gen.length).toBe(3);
    const [x, y] = gen.__getitem__(0);
    expect(x.arraySync()).toEqual([[0, 10, 20]]);
    expect(y.arraySync()).toEqual([30]);
    expect(() => gen.__getitem__(gen.__len__())).toThrow('Batch index out of range: 17 (the dataset has 17 batches).');
    tf.dispose([x, y]);
  });

  it('shuffles rows from the seeded global generator', () => {
    keras.utils.set_random_seed(3);
    const gen = TimeseriesGenerator(targets, targets, { length: 2, batch_size: 50, shuffle: true });
    const [x, y] = gen.__getitem__(0);
    const rows = (y.arraySync() as number[]).map((v) => v / 10);
    expect(rows.every((r) => r >= 2 && r <= 19)).toBe(true);
    expect(new Set(rows).size).toBeGreaterThan(5);
    // Each window is the two steps before its target row.
    expect(x.arraySync()).toEqual(rows.map((r) => [10 * (r - 2), 10 * (r - 1)]));
    tf.dispose([x, y]);
  });

  it('fails at the constructor on bad input, in Keras\'s words', () => {
    expect(() => TimeseriesGenerator(data, targets.slice(1), { length: 2 })).toThrow(
      'Data and targets have to be of same length. Data length is 20 while target length is 19',
    );
    expect(() => TimeseriesGenerator(data, targets, { length: 5, start_index: 10, end_index: 12 })).toThrow(
      '`start_index+length=15 > end_index=12` is disallowed, as no part of the sequence would be left to be used as current step.',
    );
    expect(() => TimeseriesGenerator(data, targets, { length: 0 })).toThrow('TimeseriesGenerator: `length` must be a positive integer. Received: length=0');
  });
});

describe('timeseries_dataset_from_array', () => {
  const series = Array.from({ length: 30 }, (_, i) => i);

  it.each(golden.timeseries_dataset_from_array.map((c) => [JSON.stringify(c.kwargs), c] as const))('matches Keras 3 with %s', (_, c) => {
    const ds =
      c.targets === null
        ? timeseries_dataset_from_array(series, null, c.kwargs as never)
        : timeseries_dataset_from_array(series.slice(0, -3), series.slice(3).map((v) => v * 10), c.kwargs as never);
    const batches = [...ds];
    expect(ds.__len__()).toBe(c.batches.length);
    batches.forEach((batch, i) => {
      if (c.targets === null) closeTo((batch as tf.Tensor).arraySync(), c.batches[i]);
      else {
        const [x, y] = batch as [tf.Tensor, tf.Tensor];
        closeTo(x.arraySync(), (c.batches[i] as unknown[])[0]);
        closeTo(y.arraySync(), (c.batches[i] as unknown[])[1]);
      }
    });
    tf.dispose(batches.flat());
  });

  it('shuffles the windows each epoch, reproducibly for a seed, keeping each window with its target', () => {
    const epochs = (seed: number) => {
      const ds = timeseries_dataset_from_array(series, series, { sequence_length: 4, batch_size: 100, shuffle: true, seed });
      return [0, 1].map(() => {
        const [[x, y]] = [...ds] as Array<[tf.Tensor, tf.Tensor]>;
        const pair = [x!.arraySync() as number[][], y!.arraySync() as number[]] as const;
        tf.dispose([x!, y!]);
        return pair;
      });
    };
    const a = epochs(7);
    expect(a).toEqual(epochs(7));
    expect(a[0]![1]).not.toEqual(a[1]![1]);
    for (const [x, y] of a) {
      expect([...y].sort((p, q) => p - q)).toEqual(series.slice(0, 27));
      x.forEach((window, i) => expect(window).toEqual([0, 1, 2, 3].map((k) => y[i]! + k)));
    }
  });

  it('yields single samples when batch_size is null', () => {
    const ds = timeseries_dataset_from_array(series, series, { sequence_length: 3, batch_size: null });
    const [x, y] = ds.__getitem__(1) as [tf.Tensor, tf.Tensor];
    expect(x.arraySync()).toEqual([1, 2, 3]);
    expect(y.arraySync()).toEqual(1);
    tf.dispose([x, y]);
  });

  it('fails at the call on bad indices, in Keras\'s words', () => {
    expect(() => timeseries_dataset_from_array(series, null, { sequence_length: 3, start_index: 40 })).toThrow(
      '`start_index` must be lower than the length of the data. Received: start_index=40, for data of length 30',
    );
    expect(() => timeseries_dataset_from_array(series, null, { sequence_length: 3, sampling_rate: 0 })).toThrow(
      '`sampling_rate` must be higher than 0. Received: sampling_rate=0',
    );
    expect(() => timeseries_dataset_from_array(series, null, { sequence_length: 3, start_index: 5, end_index: 4 })).toThrow(
      '`end_index` must be higher than `start_index`. Received: start_index=5, and end_index=4',
    );
  });

  it('leaves no tensor behind but the batches it handed out', () => {
    const before = tf.memory().numTensors;
    const ds = timeseries_dataset_from_array(series, series, { sequence_length: 3, batch_size: 8 });
    for (const batch of ds) tf.dispose(batch);
    expect(tf.memory().numTensors).toBe(before);
  });
});
