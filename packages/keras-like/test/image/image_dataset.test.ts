import 'keras-like';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { image_dataset_from_directory, keras } from 'keras-like';

let root: string;
/** Each file's one gray level: the file's class and number, so a batch tells which files it holds. */
const level = (cls: number, i: number) => 40 * cls + i;

function png(path: string, width: number, height: number, value: number | ((x: number, y: number) => number)): void {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = typeof value === 'number' ? value : value(x, y);
  writeFileSync(path, encode({ width, height, data, depth: 8, channels: 1 }));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'keras-like-dataset-'));
  const classes = { cats: 4, dogs: 3, zebras: 2 } as const;
  Object.entries(classes).forEach(([name, n], cls) => {
    mkdirSync(join(root, 'pets', name, 'nested'), { recursive: true });
    for (let i = 0; i < n; i++) png(join(root, 'pets', name, i === n - 1 ? 'nested' : '', `${i}.png`), 6, 4, level(cls, i));
  });
  writeFileSync(join(root, 'pets', 'cats', 'notes.txt'), 'not an image');
  mkdirSync(join(root, 'pets', '.hidden'));
  png(join(root, 'pets', '.hidden', 'x.png'), 2, 2, 0);
  // One image for the resize arithmetic: a 1x2 image [0, 100].
  mkdirSync(join(root, 'one', 'a'), { recursive: true });
  png(join(root, 'one', 'a', 'x.png'), 2, 1, (x) => 100 * x);
  mkdirSync(join(root, 'gif', 'a'), { recursive: true });
  writeFileSync(join(root, 'gif', 'a', 'x.gif'), 'GIF89a');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const quiet = { verbose: false } as const;
const log = () => vi.spyOn(console, 'log').mockImplementation(() => {});

describe('image_dataset_from_directory', () => {
  it('lists class folders (sorted, hidden ones skipped) and their images recursively, as Keras', () => {
    const spy = log();
    const ds = image_dataset_from_directory(join(root, 'pets'), { shuffle: false, image_size: [4, 6], batch_size: 4, color_mode: 'grayscale' });
    expect(spy).toHaveBeenCalledWith('Found 9 files belonging to 3 classes.');
    spy.mockRestore();
    expect(ds.class_names).toEqual(['cats', 'dogs', 'zebras']);
    expect(ds.file_paths.map((p) => p.slice(root.length + 6))).toEqual([
      'cats/0.png', 'cats/1.png', 'cats/2.png', 'cats/nested/3.png',
      'dogs/0.png', 'dogs/1.png', 'dogs/nested/2.png', 'zebras/0.png', 'zebras/nested/1.png',
    ]);
    expect(ds.__len__()).toBe(3);
    const batches = [...ds] as Array<[tf.Tensor, tf.Tensor]>;
    expect(batches.map(([x]) => x.shape)).toEqual([[4, 4, 6, 1], [4, 4, 6, 1], [1, 4, 6, 1]]);
    expect(batches.flatMap(([, y]) => Array.from(y.dataSync()))).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2]);
    expect(batches[0]![1].dtype).toBe('int32');
    // Images are float32 in [0, 255], unscaled: each file's own gray level.
    expect(batches.flatMap(([x]) => Array.from(tf.tidy(() => x.mean([1, 2, 3])).dataSync()))).toEqual([0, 1, 2, 3, 40, 41, 42, 80, 81]);
    tf.dispose(batches.flat());
  });

  it('keeps each image with its label through the seeded shuffle, and reshuffles each epoch', () => {
    const make = () => image_dataset_from_directory(join(root, 'pets'), { ...quiet, seed: 5, image_size: 4, batch_size: 9, color_mode: 'grayscale', label_mode: 'categorical' });
    const epoch = (ds: ReturnType<typeof make>) => {
      const [[x, y]] = [...ds] as Array<[tf.Tensor, tf.Tensor]>;
      const levels = Array.from(tf.tidy(() => x!.mean([1, 2, 3])).dataSync());
      const classes = Array.from(tf.tidy(() => y!.argMax(1)).dataSync());
      expect(y!.shape).toEqual([9, 3]);
      tf.dispose([x!, y!]);
      return levels.map((v, i) => [v, classes[i]!]);
    };
    const ds = make();
    const first = epoch(ds);
    const second = epoch(ds);
    for (const [v, cls] of [...first, ...second]) expect(Math.floor(v! / 40)).toBe(cls);
    expect(first).not.toEqual(second);
    expect(first.map(([v]) => v).sort((a, b) => a! - b!)).toEqual([0, 1, 2, 3, 40, 41, 42, 80, 81]);
    // The first epoch follows file_paths; the same seed gives the same epochs.
    expect(ds.file_paths.map((p) => Number(/(\d)\.png$/.exec(p)![1]) + 40 * ['cats', 'dogs', 'zebras'].indexOf(p.split('/').at(-2) === 'nested' ? p.split('/').at(-3)! : p.split('/').at(-2)!))).toEqual(first.map(([v]) => v));
    const again = make();
    expect([epoch(again), epoch(again)]).toEqual([first, second]);
  });

  it("splits with validation_split and subset 'both' into disjoint subsets, the last fraction for validation", () => {
    const spy = log();
    const [train, val] = image_dataset_from_directory(join(root, 'pets'), { ...quiet, validation_split: 0.34, subset: 'both', seed: 1, image_size: 2, batch_size: 2 });
    expect(spy).toHaveBeenCalledWith('Using 6 files for training.');
    expect(spy).toHaveBeenCalledWith('Using 3 files for validation.');
    spy.mockRestore();
    expect(train.file_paths.length).toBe(6);
    expect(val.file_paths.length).toBe(3);
    expect(new Set([...train.file_paths, ...val.file_paths]).size).toBe(9);
    const training = image_dataset_from_directory(join(root, 'pets'), { ...quiet, validation_split: 0.34, subset: 'training', seed: 1, image_size: 2 });
    expect(training.file_paths).toEqual(train.file_paths);
  });

  it("label_mode 'binary' gives float32 [batch, 1]; labels null gives images only", () => {
    const spy = log();
    const binary = image_dataset_from_directory(join(root, 'pets'), { ...quiet, class_names: ['dogs', 'cats'], label_mode: 'binary', shuffle: false, image_size: 2 });
    spy.mockRestore();
    expect(binary.class_names).toEqual(['dogs', 'cats']);
    const [x, y] = binary.__getitem__(0) as [tf.Tensor, tf.Tensor];
    expect(y.shape).toEqual([7, 1]);
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(x.shape).toEqual([7, 2, 2, 3]);
    // Without labels Keras walks the whole tree, hidden folders included: 10 files.
    const images = image_dataset_from_directory(join(root, 'pets'), { ...quiet, labels: null, shuffle: false, image_size: 2, color_mode: 'rgba', batch_size: 10 });
    expect(images.class_names).toBeNull();
    const only = images.__getitem__(0) as tf.Tensor;
    expect(only.shape).toEqual([10, 2, 2, 4]);
    tf.dispose([x, y, only]);
  });

  it("resizes as TensorFlow's half-pixel bilinear and nearest (hand-derived), and crops or pads to the aspect ratio", () => {
    const at = (options: Parameters<typeof image_dataset_from_directory>[1]) => {
      const ds = image_dataset_from_directory(join(root, 'one'), { ...quiet, shuffle: false, color_mode: 'grayscale', labels: null, ...options });
      const x = ds.__getitem__(0) as tf.Tensor;
      const values = x.arraySync();
      x.dispose();
      return values;
    };
    // Width 2 → 4: source x = (i + ½)·½ − ½ = −¼, ¼, ¾, 1¼, clamped to [0, 1]: 0, 25, 75, 100.
    expect(at({ image_size: [1, 4] })).toEqual([[[[0], [25], [75], [100]]]]);
    // Nearest with half-pixel centres: source ⌊(i + ½)·½⌋ = 0, 0, 1, 1.
    expect(at({ image_size: [1, 4], interpolation: 'nearest' })).toEqual([[[[0], [0], [100], [100]]]]);
    // A 1x2 image cropped to a square keeps its left-of-centre column (start ⌊(2 − 1)/2⌋ = 0).
    expect(at({ image_size: [2, 2], crop_to_aspect_ratio: true, interpolation: 'nearest' })).toEqual([[[[0], [0]], [[0], [0]]]]);
    // Padded to 2x2? Height 1 → ⌊2·1/1⌋ = 2, pad ⌊(2 − 1)/2⌋ = 0 rows each side: no change, then resized.
    expect(at({ image_size: [1, 2], pad_to_aspect_ratio: true })).toEqual([[[[0], [100]]]]);
    expect(at({ image_size: [1, 2], data_format: 'channels_first' })).toEqual([[[[0, 100]]]]);
  });

  it('is keras.utils.image_dataset_from_directory and keras.preprocessing.image_dataset_from_directory, and leaks nothing', () => {
    expect(keras.preprocessing.image_dataset_from_directory).toBe(keras.utils.image_dataset_from_directory);
    const before = tf.memory().numTensors;
    const ds = keras.utils.image_dataset_from_directory(join(root, 'pets'), { ...quiet, seed: 2, image_size: 3, batch_size: 4 });
    for (const batch of ds) tf.dispose(batch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("fails at the call on bad arguments, in Keras's words", () => {
    const dir = join(root, 'pets');
    expect(() => image_dataset_from_directory(dir, { validation_split: 0.2, subset: 'training' })).toThrow(
      'If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make sure that there is no overlap between the training and validation subset.',
    );
    expect(() => image_dataset_from_directory(dir, { validation_split: 0.2 })).toThrow('If `subset` is set, `validation_split` must be set, and inversely.');
    expect(() => image_dataset_from_directory(dir, { ...quiet, label_mode: 'binary' })).toThrow(
      "When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: class_names=['cats', 'dogs', 'zebras']",
    );
    expect(() => image_dataset_from_directory(dir, { class_names: ['cats', 'cows'] })).toThrow(
      "The `class_names` passed did not match the names of the subdirectories of the target directory. Expected: ['cats', 'dogs', 'zebras'] (or a subset of it), but received: class_names=['cats', 'cows']",
    );
    expect(() => image_dataset_from_directory(dir, { ...quiet, labels: [0, 1] })).toThrow(
      'Expected the lengths of `labels` to match the number of files in the target directory. len(labels) is 2 while we found 10 files',
    );
    expect(() => image_dataset_from_directory(dir, { label_mode: 'sparse' } as never)).toThrow(
      'image_dataset_from_directory: `label_mode` must be one of "int", "categorical", "binary", or None. Received: label_mode=\'sparse\'',
    );
    expect(() => image_dataset_from_directory(dir, { image_size: [2, 0] })).toThrow(
      'image_dataset_from_directory: `image_size` must be a tuple of 2 integers [height, width] (or one integer for both). Received: image_size=[2, 0]',
    );
    expect(() => image_dataset_from_directory(dir, { interpolation: 'bicubic' } as never)).toThrow("`interpolation` must be 'bilinear' or 'nearest'");
    expect(() => image_dataset_from_directory(dir, { crop_to_aspect_ratio: true, pad_to_aspect_ratio: true })).toThrow(
      'Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.',
    );
    expect(() => image_dataset_from_directory(join(root, 'nowhere'))).toThrow('is not a readable directory');
    expect(() => image_dataset_from_directory(join(root, 'gif'), quiet)).toThrow('keras-like decodes PNG and JPEG images; 1 BMP/GIF file(s) found');
    const empty = mkdtempSync(join(tmpdir(), 'keras-like-empty-'));
    mkdirSync(join(empty, 'a'));
    expect(() => image_dataset_from_directory(empty, quiet)).toThrow(`No images found in directory ${empty}. Allowed formats: ('.bmp', '.gif', '.jpeg', '.jpg', '.png')`);
    rmSync(empty, { recursive: true });
  });
});
