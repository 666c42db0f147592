/**
 * `keras.utils.image_dataset_from_directory(directory, {...})` (also
 * `keras.preprocessing.image_dataset_from_directory`): a folder of class sub-folders as a
 * dataset of `[images, labels]` batches for `fit`.
 *
 *   main_directory/
 *     cats/  a.png b.jpg ...      → label 0
 *     dogs/  c.png ...            → label 1
 *
 * As Keras: class names are the sub-folders, sorted (or `class_names`, in its order); files are
 * listed per class, recursively and sorted, then shuffled once with `seed` (before
 * `validation_split` takes the last fraction, so a seed keeps the subsets apart); images are
 * converted to `color_mode` and resized to `image_size` with TensorFlow's resize (half-pixel
 * bilinear by default, unlike `load_img`'s PIL resampling), optionally after a centred crop
 * (`crop_to_aspect_ratio`) or zero padding (`pad_to_aspect_ratio`) to the target's aspect ratio.
 * Images are float32 in [0, 255]; labels int32 `[batch]` ('int'), one-hot float32
 * ('categorical') or float32 `[batch, 1]` ('binary').
 *
 * Each batch is read from disk when reached. The training order is shuffled again on every
 * epoch (as `tf.data` reshuffles), from the generator seeded by `seed`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { type KerasOptions, parseOptions } from '../../options/parse.js';
import { repr } from '../../options/repr.js';
import { BatchDataset } from '../dataset.js';
import { random, seededGenerator, shuffledIndices } from '../random.js';
import { decodeImage } from './codecs.js';
import type { Image } from './image.js';
import { dataFormatSchema } from './options.js';

/** Keras's ALLOWLIST_FORMATS; keras-like decodes the PNG and JPEG ones. */
const ALLOWLIST_FORMATS = ['.bmp', '.gif', '.jpeg', '.jpg', '.png'] as const;
const DECODED = new Set(['.jpeg', '.jpg', '.png']);

const schema = z.object({
  labels: z
    .union([z.literal('inferred'), z.array(z.number().int().nonnegative())], {
      message: 'should be a list/tuple of integer labels, of the same size as the number of image files in the target directory, "inferred" or null',
    })
    .nullable()
    .default('inferred'),
  label_mode: z.enum(['int', 'categorical', 'binary'], { message: 'must be one of "int", "categorical", "binary", or None' }).nullable().default('int'),
  class_names: z.array(z.string(), { message: 'must be a list of sub-folder names' }).nullable().default(null),
  color_mode: z.enum(['grayscale', 'rgb', 'rgba'], { message: 'must be one of {"rgb", "rgba", "grayscale"}' }).default('rgb'),
  batch_size: z.number({ message: 'must be a positive integer or null' }).int({ message: 'must be a positive integer or null' }).positive({ message: 'must be a positive integer or null' }).nullable().default(32),
  image_size: z
    .union([z.number().int().positive(), z.custom<[number, number]>((v) => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n) && n > 0))], {
      message: 'must be a tuple of 2 integers [height, width] (or one integer for both)',
    })
    .default([256, 256]),
  shuffle: z.boolean({ message: 'must be a boolean' }).default(true),
  seed: z.number({ message: 'must be an integer or null' }).int({ message: 'must be an integer or null' }).nullable().default(null),
  validation_split: z.number({ message: 'must be between 0 and 1' }).gt(0, { message: 'must be between 0 and 1' }).lt(1, { message: 'must be between 0 and 1' }).nullable().default(null),
  subset: z.enum(['training', 'validation', 'both'], { message: 'must be either "training", "validation" or "both"' }).nullable().default(null),
  interpolation: z.enum(['bilinear', 'nearest'], { message: "must be 'bilinear' or 'nearest' (TensorFlow.js has no other resize kernel)" }).default('bilinear'),
  follow_links: z.boolean({ message: 'must be a boolean' }).default(false),
  crop_to_aspect_ratio: z.boolean({ message: 'must be a boolean' }).default(false),
  pad_to_aspect_ratio: z.boolean({ message: 'must be a boolean' }).default(false),
  data_format: dataFormatSchema,
  verbose: z.boolean({ message: 'must be a boolean' }).default(true),
});
export type ImageDatasetOptions = KerasOptions<typeof schema>;
type Options = z.output<typeof schema>;

/** The dataset `image_dataset_from_directory` returns: batches plus Keras's attributes. */
export class ImageDataset extends BatchDataset<[tf.Tensor, tf.Tensor] | tf.Tensor> {
  constructor(
    count: number,
    makeBatch: (index: number) => [tf.Tensor, tf.Tensor] | tf.Tensor,
    startEpoch: () => void,
    /** The classes, in label order (`null` with `labels: null`). */
    readonly class_names: string[] | null,
    /** The image files, in the dataset's (first-epoch) order. */
    readonly file_paths: string[],
  ) {
    super(count, makeBatch, startEpoch);
  }
}

export function image_dataset_from_directory(directory: string, options: ImageDatasetOptions & { subset: 'both' }): [ImageDataset, ImageDataset];
export function image_dataset_from_directory(directory: string, options?: ImageDatasetOptions): ImageDataset;
export function image_dataset_from_directory(directory: string, options?: ImageDatasetOptions): ImageDataset | [ImageDataset, ImageDataset] {
  const o = parseOptions('image_dataset_from_directory', schema, options);
  checkArguments(o);
  let labelMode = o.label_mode;
  let labels = o.labels;
  if (labels === null || labelMode === null) {
    labels = null;
    labelMode = null;
  }
  const seed = o.seed ?? Math.floor(random() * 1e6);
  const indexed = indexDirectory(directory, labels, o.class_names, o.verbose);
  const { classNames } = indexed;
  let { paths, labelList } = indexed;
  if (o.shuffle) {
    // One permutation for paths and labels, as Keras reseeds RandomState(seed) for each.
    const order = shuffledIndices(paths.length, undefined, seededGenerator(seed));
    paths = Array.from(order, (i) => paths[i]!);
    if (labelList) labelList = Array.from(order, (i) => labelList![i]!);
  }
  if (labelMode === 'binary' && classNames !== null && classNames.length !== 2) {
    throw new ValueError(`When passing \`label_mode="binary"\`, there must be exactly 2 class_names. Received: class_names=${repr(classNames)}`);
  }
  const size: [number, number] = typeof o.image_size === 'number' ? [o.image_size, o.image_size] : o.image_size;
  const make = (subsetPaths: string[], subsetLabels: number[] | null, shuffle: boolean, what: string) => {
    if (subsetPaths.length === 0) {
      throw new ValueError(`No ${what}images found in directory ${directory}. Allowed formats: ${pyTuple(ALLOWLIST_FORMATS)}`);
    }
    return makeDataset(subsetPaths, subsetLabels, classNames, labelMode, size, shuffle, seed, o);
  };
  if (o.subset === 'both') {
    const [trainPaths, trainLabels] = split(paths, labelList, o.validation_split!, 'training');
    const [valPaths, valLabels] = split(paths, labelList, o.validation_split!, 'validation');
    return [make(trainPaths, trainLabels, o.shuffle, 'training '), make(valPaths, valLabels, false, 'validation ')];
  }
  const [subsetPaths, subsetLabels] = o.validation_split ? split(paths, labelList, o.validation_split, o.subset!) : [paths, labelList];
  return make(subsetPaths, subsetLabels, o.shuffle, '');
}

function pyTuple(items: readonly string[]): string {
  return `(${items.map((s) => `'${s}'`).join(', ')})`;
}

/** Keras's argument checks (image_dataset_from_directory and check_validation_split_arg), in its words. */
function checkArguments(o: Options): void {
  if (o.labels !== 'inferred' && o.labels !== null && o.class_names) {
    throw new ValueError(`You can only pass \`class_names\` if \`labels="inferred"\`. Received: labels=${repr(o.labels)}, and class_names=${repr(o.class_names)}`);
  }
  if (o.crop_to_aspect_ratio && o.pad_to_aspect_ratio) {
    throw new ValueError('Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.');
  }
  if ((o.validation_split || o.subset) && !(o.validation_split && o.subset)) {
    throw new ValueError('If `subset` is set, `validation_split` must be set, and inversely.');
  }
  if (o.validation_split && o.shuffle && o.seed === null) {
    throw new ValueError(
      'If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make sure that there is no overlap between the training and validation subset.',
    );
  }
}

interface Indexed {
  paths: string[];
  labelList: number[] | null;
  classNames: string[] | null;
}

/** Keras's index_directory: class folders (sorted, not hidden), then each one's files, recursively and sorted. */
function indexDirectory(directory: string, labels: 'inferred' | number[] | null, classNamesGiven: string[] | null, verbose: boolean): Indexed {
  let entries: string[];
  try {
    entries = readdirSync(directory).sort();
  } catch {
    throw new ValueError(`image_dataset_from_directory: \`directory\` ${repr(directory)} is not a readable directory.`);
  }
  let subdirs = [''];
  if (labels === 'inferred') {
    subdirs = entries.filter((name) => !name.startsWith('.') && statSync(join(directory, name)).isDirectory());
    if (classNamesGiven !== null) {
      if (!classNamesGiven.every((c) => subdirs.includes(c))) {
        throw new ValueError(
          `The \`class_names\` passed did not match the names of the subdirectories of the target directory. Expected: ${repr(subdirs)} (or a subset of it), but received: class_names=${repr(classNamesGiven)}`,
        );
      }
      subdirs = classNamesGiven;
    }
  }
  const paths: string[] = [];
  const inferred: number[] = [];
  subdirs.forEach((subdir, classIndex) => {
    const root = join(directory, subdir);
    for (const file of walkImages(root)) {
      paths.push(join(directory, subdir, relative(root, file)));
      inferred.push(classIndex);
    }
  });
  const undecodable = paths.filter((p) => !DECODED.has(extensionOf(p)));
  if (undecodable.length > 0) {
    throw new ValueError(
      `image_dataset_from_directory: keras-like decodes PNG and JPEG images; ${undecodable.length} BMP/GIF file(s) found, such as ${repr(undecodable[0])}. Convert them to PNG first.`,
    );
  }
  let labelList: number[] | null = null;
  let classNames: string[] | null = subdirs;
  if (labels === 'inferred') labelList = inferred;
  else if (labels === null) classNames = null;
  else {
    if (labels.length !== paths.length) {
      throw new ValueError(
        `Expected the lengths of \`labels\` to match the number of files in the target directory. len(labels) is ${labels.length} while we found ${paths.length} files in directory ${directory}.`,
      );
    }
    labelList = [...labels];
    classNames = [...new Set(labels)].sort((a, b) => a - b).map(String);
  }
  if (verbose) {
    console.log(classNames === null ? `Found ${paths.length} files.` : `Found ${paths.length} files belonging to ${classNames.length} classes.`);
  }
  return { paths, labelList, classNames };
}

function extensionOf(path: string): string {
  const name = basename(path).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot);
}

/** os.walk order as Keras sorts it: directories by path, files sorted within each. */
function walkImages(root: string): string[] {
  const dirs: string[] = [];
  const visit = (dir: string) => {
    dirs.push(dir);
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) visit(full);
    }
  };
  visit(root);
  dirs.sort();
  const files: string[] = [];
  for (const dir of dirs) {
    const names = readdirSync(dir)
      .filter((name) => !statSync(join(dir, name)).isDirectory())
      .sort();
    for (const name of names) if ((ALLOWLIST_FORMATS as readonly string[]).includes(extensionOf(name))) files.push(join(dir, name));
  }
  return files;
}

/** Keras's get_training_or_validation_split: validation is the last fraction, after the shuffle. */
function split(paths: string[], labels: number[] | null, fraction: number, subset: 'training' | 'validation' | 'both'): [string[], number[] | null] {
  const validation = Math.trunc(fraction * paths.length);
  const training = paths.length - validation;
  if (subset === 'training') {
    console.log(`Using ${training} files for training.`);
    return [paths.slice(0, training), labels?.slice(0, training) ?? null];
  }
  console.log(`Using ${validation} files for validation.`);
  return [paths.slice(training), labels?.slice(training) ?? null];
}

function makeDataset(
  paths: string[],
  labels: number[] | null,
  classNames: string[] | null,
  labelMode: 'int' | 'categorical' | 'binary' | null,
  size: [number, number],
  shuffle: boolean,
  seed: number,
  o: Options,
): ImageDataset {
  const perBatch = o.batch_size ?? 1;
  const count = Math.ceil(paths.length / perBatch);
  const draw = seededGenerator(seed);
  let order: number[] = paths.map((_, i) => i);
  let epochs = 0;
  // The first epoch keeps the order the files were shuffled into (so file_paths lists it); later ones reshuffle.
  const startEpoch = () => {
    if (shuffle && epochs++ > 0) order = Array.from(shuffledIndices(paths.length, undefined, draw));
  };
  const makeBatch = (index: number): [tf.Tensor, tf.Tensor] | tf.Tensor => {
    const chosen = order.slice(index * perBatch, (index + 1) * perBatch);
    const images = tf.tidy(() => {
      const loaded = chosen.map((i) => loadImage(paths[i]!, size, o));
      return o.batch_size === null ? loaded[0]! : tf.stack(loaded);
    });
    if (labels === null || labelMode === null) return images;
    const values = chosen.map((i) => labels[i]!);
    const y = tf.tidy(() => {
      const classes = classNames?.length ?? 0;
      const t =
        labelMode === 'int' ? tf.tensor1d(values, 'int32')
        : labelMode === 'binary' ? tf.tensor2d(values, [values.length, 1], 'float32')
        : tf.cast(tf.oneHot(tf.tensor1d(values, 'int32'), classes), 'float32');
      return o.batch_size === null ? tf.squeeze(t, [0]) : t;
    });
    return [images, y];
  };
  return new ImageDataset(count, makeBatch, startEpoch, classNames, order.map((i) => paths[i]!));
}

/** One image as float32 [height, width, channels] (or channels first), resized as Keras's ops.image.resize. */
function loadImage(path: string, [height, width]: [number, number], o: Options): tf.Tensor3D {
  let img: Image = decodeImage(readFileSync(path), repr(path));
  if (o.color_mode === 'grayscale') {
    if (img.mode !== 'L' && img.mode !== 'I') img = img.convert('L');
  } else img = img.convert(o.color_mode === 'rgba' ? 'RGBA' : 'RGB');
  let x: tf.Tensor3D = tf.tensor3d(Float32Array.from(img.data), [img.height, img.width, img.channels], 'float32');
  const [h, w] = [img.height, img.width];
  if (o.crop_to_aspect_ratio) {
    const cropHeight = Math.max(Math.min(h, Math.trunc(Math.fround(w * height) / width)), 1);
    const cropWidth = Math.max(Math.min(w, Math.trunc(Math.fround(h * width) / height)), 1);
    x = tf.slice(x, [Math.trunc((h - cropHeight) / 2), Math.trunc((w - cropWidth) / 2), 0], [cropHeight, cropWidth, -1]);
  } else if (o.pad_to_aspect_ratio) {
    const padHeight = Math.max(h, Math.trunc(Math.fround(w * height) / width));
    const padWidth = Math.max(w, Math.trunc(Math.fround(h * width) / height));
    const top = Math.trunc((padHeight - h) / 2);
    const left = Math.trunc((padWidth - w) / 2);
    // Keras pads the same amount on both sides.
    x = tf.pad(x, [[top, top], [left, left], [0, 0]]);
  }
  const resized =
    o.interpolation === 'bilinear' ? tf.image.resizeBilinear(x, [height, width], false, true) : tf.image.resizeNearestNeighbor(x, [height, width], false, true);
  return o.data_format === 'channels_first' ? tf.transpose(resized, [2, 0, 1]) : resized;
}
