import 'keras-like';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNotFoundError, keras, pad_sequences } from 'keras-like';
import { RandomState, shuffledRange } from '../../src/datasets/numpy_random.js';
import { parseNpy } from '../../src/datasets/npy.js';
import { unpickle } from '../../src/datasets/pickle.js';

type TensorJson = { shape: number[]; values: number[] };
type SplitJson = [[TensorJson | number[][], TensorJson], [TensorJson | number[][], TensorJson]];
const fixtures = new URL('../../../../test/fixtures/keras/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('datasets.json', fixtures), 'utf8')) as {
  load_data: Record<string, SplitJson>;
  random_state_shuffle: Array<{ seed: number; n: number; first: number[]; sum_of_squares_weighted: number }>;
};
const home = fileURLToPath(new URL('datasets/', fixtures));
let saved: string | undefined;
beforeAll(() => {
  saved = process.env.KERAS_HOME;
  process.env.KERAS_HOME = home;
});
afterAll(() => {
  if (saved === undefined) delete process.env.KERAS_HOME;
  else process.env.KERAS_HOME = saved;
});

/** Compares a loader's result with Keras's: tensors by shape and values, word lists as lists. */
function expectSplits(actual: [[tf.Tensor | number[][], tf.Tensor], [tf.Tensor | number[][], tf.Tensor]], expected: SplitJson): void {
  actual.forEach((split, s) =>
    split.forEach((part, p) => {
      const want = expected[s]![p]!;
      if (Array.isArray(want)) expect(part).toEqual(want);
      else {
        const t = part as tf.Tensor;
        expect([t.shape, Array.from(t.dataSync())]).toEqual([want.shape, want.values.map((v) => Math.fround(v))]);
      }
    }),
  );
  tf.dispose(actual.flat().filter((p): p is tf.Tensor => p instanceof tf.Tensor));
}

describe('keras.datasets: the values Keras 3 loads from the same files', () => {
  it('mnist, fashion_mnist (npz; gzipped IDX)', () => {
    const mnist = keras.datasets.mnist.load_data();
    expect(mnist[0][0].dtype).toBe('float32');
    expect(mnist[0][1].dtype).toBe('int32');
    expectSplits(mnist, golden.load_data.mnist!);
    expectSplits(keras.datasets.fashion_mnist.load_data(), golden.load_data.fashion_mnist!);
  });

  it('cifar10 (TF2 layout) and cifar100 fine / coarse (Keras 3 layout): Python 2 pickles, channels last', () => {
    expectSplits(keras.datasets.cifar10.load_data(), golden.load_data.cifar10!);
    expectSplits(keras.datasets.cifar100.load_data(), golden.load_data.cifar100_fine!);
    expectSplits(keras.datasets.cifar100.load_data({ label_mode: 'coarse' }), golden.load_data.cifar100_coarse!);
  });

  it("imdb and reuters: object arrays, Keras's shuffle and every option", () => {
    expectSplits(keras.datasets.imdb.load_data(), golden.load_data.imdb!);
    expectSplits(
      keras.datasets.imdb.load_data({ num_words: 20, skip_top: 3, maxlen: 9, seed: 5, start_char: null, oov_char: null, index_from: 0 }),
      golden.load_data.imdb_options!,
    );
    expectSplits(keras.datasets.imdb.load_data({ num_words: 15, oov_char: 9, index_from: 2 }), golden.load_data.imdb_oov!);
    expectSplits(keras.datasets.reuters.load_data(), golden.load_data.reuters!);
    expectSplits(keras.datasets.reuters.load_data({ num_words: 12, test_split: 0.4, maxlen: 8, seed: 1 }), golden.load_data.reuters_options!);
    expect(keras.datasets.reuters.get_label_names()).toHaveLength(46);
  });

  it('boston_housing (float64 npz), with test_split and seed', () => {
    expectSplits(keras.datasets.boston_housing.load_data(), golden.load_data.boston_housing!);
    expectSplits(keras.datasets.boston_housing.load_data({ test_split: 0.5, seed: 3 }), golden.load_data.boston_housing_split!);
  });

  it("the notebook's cell: imdb with num_words, then pad_sequences", () => {
    const [[x_train, y_train]] = keras.datasets.imdb.load_data({ num_words: 10 });
    const padded = pad_sequences(x_train, { maxlen: 5 });
    expect(padded.shape).toEqual([30, 5]);
    expect(Math.max(...padded.dataSync())).toBeLessThan(10);
    tf.dispose([padded, y_train]);
  });

  it('get_word_index reads imdb_word_index.json (a prototype-free object)', () => {
    const index = keras.datasets.imdb.get_word_index();
    expect(index.the).toBe(1);
    expect(index.constructor).toBe(4);
  });

  it('path= reads a file elsewhere; a relative path is inside the cache, an absolute one is used as is', () => {
    const absolute = join(home, 'datasets', 'mnist.npz');
    const a = keras.datasets.mnist.load_data({ path: absolute });
    const b = keras.datasets.mnist.load_data('mnist.npz');
    expect(a[1][1].arraySync()).toEqual(b[1][1].arraySync());
    tf.dispose([...a.flat(), ...b.flat()]);
  });
});

describe('the readers', () => {
  it("NumPy's RandomState(seed).shuffle, bit for bit", () => {
    for (const c of golden.random_state_shuffle) {
      const rng = new RandomState(c.seed);
      const order = c.seed === 113 ? null : shuffledRange(c.n, rng);
      if (order) {
        expect(order.slice(0, 30)).toEqual(c.first);
        expect(order.reduce((s, v, i) => s + ((v * i) % 1000003), 0)).toBe(c.sum_of_squares_weighted);
      }
    }
    // seed 113: two shuffles from one generator, as imdb draws train then test.
    const rng = new RandomState(113);
    const [ten, twelve] = golden.random_state_shuffle.filter((c) => c.seed === 113);
    expect(shuffledRange(10, rng)).toEqual(ten!.first);
    expect(shuffledRange(12, rng)).toEqual(twelve!.first);
  });

  it('refuses a pickle that names any global but NumPy array reconstruction, as Keras', () => {
    // pickle.dumps(os.system) at protocol 2: GLOBAL 'posix system'.
    const evil = new Uint8Array([0x80, 0x02, 0x63, ...Buffer.from('posix\nsystem\n'), 0x71, 0x00, 0x2e]);
    expect(() => unpickle(evil)).toThrow('Refusing to deserialize `posix.system` while loading a Keras dataset. The file may be corrupted or malicious.');
  });

  it('reads .npy headers of versions 1 and 2 and refuses other files', () => {
    const header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
    const pad = 64 - ((12 + header.length + 1) % 64);
    const text = `${header}${' '.repeat(pad)}\n`;
    const bytes = Buffer.concat([Buffer.from([0x93, ...Buffer.from('NUMPY'), 2, 0]), Buffer.from(new Uint32Array([text.length]).buffer), Buffer.from(text), Buffer.from(new Int32Array([7, -3]).buffer)]);
    expect(parseNpy(bytes, 'x.npy')).toMatchObject({ dtype: '<i4', shape: [2] });
    expect(Array.from(parseNpy(bytes, 'x.npy').data as ArrayLike<number>)).toEqual([7, -3]);
    expect(() => parseNpy(new Uint8Array(10), 'x.npy')).toThrow('x.npy is not a NumPy .npy file.');
  });
});

describe('missing files and bad arguments', () => {
  let empty: string;
  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'keras-like-home-'));
  });
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('say which file to place where (nothing is downloaded)', () => {
    process.env.KERAS_HOME = empty;
    try {
      const call = () => keras.datasets.mnist.load_data();
      expect(call).toThrow(FileNotFoundError);
      expect(call).toThrow(
        `mnist.load_data(): the dataset file is not on this machine, and keras-like does not download. Download https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz (the file Keras's load_data fetches) and place it at ${join(empty, 'datasets', 'mnist.npz')}, or set KERAS_HOME to the folder holding datasets/.`,
      );
      expect(() => keras.datasets.cifar10.load_data()).toThrow(`place it at ${join(empty, 'datasets', 'cifar-10-batches-py-target', 'cifar-10-batches-py', 'data_batch_1')} (extracted)`);
      expect(() => keras.datasets.fashion_mnist.load_data()).toThrow(join(empty, 'datasets', 'fashion-mnist', 'train-labels-idx1-ubyte.gz'));
      writeFileSync(join(empty, 'bad.npz'), 'not a zip');
      expect(() => keras.datasets.mnist.load_data({ path: join(empty, 'bad.npz') })).toThrow('is not a NumPy .npz (zip) file');
    } finally {
      process.env.KERAS_HOME = home;
    }
  });

  it("fail at the call in Keras's words", () => {
    expect(() => keras.datasets.cifar100.load_data({ label_mode: 'medium' } as never)).toThrow(
      'cifar100.load_data: `label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode=\'medium\'',
    );
    expect(() => keras.datasets.boston_housing.load_data({ test_split: 1 })).toThrow('`test_split` must be between 0 and 1 (exclusive of 1). Received: test_split=1');
    expect(() => keras.datasets.imdb.load_data({ maxlen: 1 })).toThrow('After filtering for sequences shorter than maxlen=1, no sequence was kept. Increase maxlen.');
    expect(() => keras.datasets.imdb.load_data({ num_word: 10 } as never)).toThrow('Did you mean `num_words`?');
  });
});
