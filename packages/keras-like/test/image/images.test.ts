import 'keras-like';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { keras } from 'keras-like';
import { array_to_img, img_to_array, load_img, save_img } from '../../src/utils/image/index.js';

interface LoadCase {
  file: string;
  kwargs: Record<string, unknown>;
  mode: string;
  size: [number, number];
  shape: [number, number, number];
  values: number[];
}
const fixtures = new URL('../../../../test/fixtures/keras/images/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('../images.json', fixtures), 'utf8')) as {
  load_img: LoadCase[];
  array_to_img: Array<{ x: number[]; shape: [number, number, number]; scale: boolean; mode: string; values: number[] }>;
};
const tmp = mkdtempSync(join(tmpdir(), 'keras-like-images-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const label = (c: LoadCase) => `${c.file} ${JSON.stringify(c.kwargs)}`;
// target_size is a tuple in Python, an array here.
const options = (c: LoadCase) => c.kwargs as Parameters<typeof load_img>[1];

describe('load_img + img_to_array', () => {
  const png = golden.load_img.filter((c) => c.file.endsWith('.png'));
  it.each(png.map((c) => [label(c), c] as const))("give Keras 3 + Pillow's pixels exactly: %s", (_, c) => {
    const img = load_img(new URL(c.file, fixtures), options(c));
    expect(img.mode).toBe(c.mode);
    expect(img.size).toEqual(c.size);
    const x = img_to_array(img);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual(c.shape);
    expect(Array.from(x.dataSync())).toEqual(c.values);
    x.dispose();
  });

  const jpegs = golden.load_img.filter((c) => c.file.endsWith('.jpg'));
  it.each(jpegs.map((c) => [label(c), c] as const))('decode JPEG within a few levels of libjpeg: %s', (_, c) => {
    const x = img_to_array(load_img(new URL(c.file, fixtures), options(c)));
    expect(x.shape).toEqual(c.shape);
    const values = x.dataSync();
    const diffs = c.values.map((v, i) => Math.abs(v - values[i]!));
    // jpeg-js and libjpeg differ in IDCT rounding (gray: at most 1 level) and in chroma upsampling
    // (jpeg-js repeats each chroma sample, libjpeg interpolates): on this noisy 16x12 photo, measured
    // max 23 / mean 5.3 levels in colour, max 5 / mean 0.65 in its grayscale (docs/preprocessing.md).
    const [maxDiff, meanDiff] = c.file === 'gray.jpg' ? [1, 0.1] : c.kwargs.color_mode === 'grayscale' ? [5, 0.7] : [23, 5.3];
    expect(Math.max(...diffs)).toBeLessThanOrEqual(maxDiff);
    expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThan(meanDiff);
    x.dispose();
  });

  it('reads bytes as well as paths, and is keras.preprocessing.image.load_img too', () => {
    const bytes = readFileSync(new URL('rgb.png', fixtures));
    const a = keras.preprocessing.image.img_to_array(keras.preprocessing.image.load_img(bytes));
    const b = keras.utils.img_to_array(keras.utils.load_img(new URL('rgb.png', fixtures).pathname));
    expect(a.arraySync()).toEqual(b.arraySync());
    tf.dispose([a, b]);
  });

  it("img_to_array's channels_first puts channels first", () => {
    const img = load_img(new URL('rgb.png', fixtures));
    const last = img_to_array(img);
    const first = img_to_array(img, { data_format: 'channels_first' });
    expect(first.shape).toEqual([3, 9, 13]);
    const back = tf.transpose(first, [1, 2, 0]);
    expect(back.arraySync()).toEqual(last.arraySync());
    tf.dispose([last, first, back]);
  });
});

describe('array_to_img and save_img', () => {
  it.each(golden.array_to_img.map((c) => [`${JSON.stringify(c.shape)} scale=${c.scale}`, c] as const))('array_to_img matches Keras 3: %s', (_, c) => {
    const x = tf.tensor3d(c.x, c.shape);
    const img = array_to_img(x, { scale: c.scale });
    expect(img.mode).toBe(c.mode);
    expect(Array.from(img.data)).toEqual(c.values);
    x.dispose();
  });

  it('save_img then load_img gives the same PNG pixels back (rgb, rgba, gray)', () => {
    for (const [shape, mode] of [[[4, 5, 3], 'rgb'], [[4, 5, 4], 'rgba'], [[4, 5, 1], 'grayscale']] as const) {
      const size = shape[0] * shape[1] * shape[2];
      const x = tf.tensor3d(Array.from({ length: size }, (_, i) => (i * 37) % 256), [...shape]);
      const path = join(tmp, `${mode}.png`);
      save_img(path, x, { scale: false });
      const y = img_to_array(load_img(path, { color_mode: mode }));
      expect(y.arraySync()).toEqual(x.arraySync());
      tf.dispose([x, y]);
    }
  });

  it('save_img writes JPEG by extension (jpg, lossy) and drops alpha with a warning', () => {
    const x = tf.tidy(() => tf.concat([tf.fill([16, 16, 3], 120), tf.fill([16, 16, 1], 255)], 2));
    const path = join(tmp, 'flat.jpg');
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...a: unknown[]) => warnings.push(a.join(' '));
    try {
      save_img(path, x, { scale: false });
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual(['UserWarning: The JPEG format does not support RGBA images, converting to RGB.']);
    expect(readFileSync(path).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const y = img_to_array(load_img(path));
    const values = y.dataSync();
    expect(Math.max(...Array.from(values, (v) => Math.abs(v - 120)))).toBeLessThanOrEqual(2);
    tf.dispose([x, y]);
  });

  it('leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    img_to_array(load_img(new URL('rgba.png', fixtures), { target_size: [3, 3], interpolation: 'bicubic' })).dispose();
    const img = array_to_img([[[1], [2]], [[3], [4]]]);
    expect(img.mode).toBe('L');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bad input', () => {
  it("fails at the call, in Keras's words", () => {
    const rgb = new URL('rgb.png', fixtures);
    expect(() => load_img(rgb, { color_mode: 'bgr' } as never)).toThrow('load_img: `color_mode` must be "grayscale", "rgb", or "rgba". Received: color_mode=\'bgr\'');
    expect(() => load_img(rgb, { target_size: [4, 4], interpolation: 'area' } as never)).toThrow(
      "load_img: `interpolation` must be one of the supported methods: nearest, bilinear, bicubic, hamming, box, lanczos. Received: interpolation='area'",
    );
    expect(() => load_img(rgb, { target_size: [0, 4] } as never)).toThrow('`target_size` must be [height, width], two positive integers');
    expect(() => load_img(new Uint8Array([1, 2, 3, 4]))).toThrow('cannot identify image file <bytes>: keras-like reads PNG and JPEG files.');
    expect(() => load_img(join(tmp, 'missing.png'))).toThrow('ENOENT');
    expect(() => array_to_img([[1, 2]])).toThrow('Expected image array to have rank 3 (single image). Got array with shape: (1, 2)');
    expect(() => array_to_img([[[1, 2]]])).toThrow('Unsupported channel number: 2');
    expect(() => img_to_array({} as never)).toThrow('img_to_array: `img` must be an image from load_img or array_to_img.');
    expect(() => save_img(join(tmp, 'x.gif'), [[[1]]])).toThrow('save_img: keras-like writes PNG and JPEG files; unknown file format "gif"');
  });
});
