/**
 * Decoders and pixel counts shared by the picture tests (plots, optimizer race):
 * a file is judged by what a viewer would show, not by how it was written.
 */
import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import { GifReader } from 'omggif';

export interface Picture {
  readonly width: number;
  readonly height: number;
  /** RGBA bytes, row by row from the top left. */
  readonly rgba: Uint8Array;
}

/** Decodes a PNG file to RGBA, failing if it is not a valid 8-bit RGB(A) PNG. */
export function readPng(path: string): Picture {
  const png = decode(readFileSync(path));
  if (png.depth !== 8 || (png.channels !== 3 && png.channels !== 4)) {
    throw new Error(`unexpected PNG layout: depth ${png.depth}, ${png.channels} channels`);
  }
  const rgba = new Uint8Array(png.width * png.height * 4);
  for (let i = 0; i < png.width * png.height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = png.data[i * png.channels + c]!;
    rgba[i * 4 + 3] = png.channels === 4 ? png.data[i * 4 + 3]! : 255;
  }
  return { width: png.width, height: png.height, rgba };
}

/** Decodes every frame of a GIF file (each frame composited over the previous ones). */
export function readGif(path: string): { width: number; height: number; frames: Picture[]; delays: number[] } {
  const reader = new GifReader(readFileSync(path));
  const frames: Picture[] = [];
  const delays: number[] = [];
  const canvas = new Uint8Array(reader.width * reader.height * 4);
  for (let i = 0; i < reader.numFrames(); i++) {
    reader.decodeAndBlitFrameRGBA(i, canvas);
    frames.push({ width: reader.width, height: reader.height, rgba: canvas.slice() });
    delays.push(reader.frameInfo(i).delay);
  }
  return { width: reader.width, height: reader.height, frames, delays };
}

/** How many distinct RGB colours the picture uses. */
export function distinctColours(picture: Picture): number {
  const seen = new Set<number>();
  for (let i = 0; i < picture.rgba.length; i += 4) {
    seen.add((picture.rgba[i]! << 16) | (picture.rgba[i + 1]! << 8) | picture.rgba[i + 2]!);
  }
  return seen.size;
}

/** How many pixels in rows [top, bottom) are within `tolerance` (per channel) of `rgb`. */
export function countNear(picture: Picture, rgb: readonly [number, number, number], tolerance = 24, top = 0, bottom = picture.height): number {
  let count = 0;
  for (let y = top; y < bottom; y++) {
    for (let x = 0; x < picture.width; x++) {
      const i = (y * picture.width + x) * 4;
      if (
        Math.abs(picture.rgba[i]! - rgb[0]) <= tolerance &&
        Math.abs(picture.rgba[i + 1]! - rgb[1]) <= tolerance &&
        Math.abs(picture.rgba[i + 2]! - rgb[2]) <= tolerance
      ) {
        count++;
      }
    }
  }
  return count;
}

/** How many pixels differ from `a` to `b` (same size). */
export function changedPixels(a: Picture, b: Picture): number {
  let count = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    if (a.rgba[i] !== b.rgba[i] || a.rgba[i + 1] !== b.rgba[i + 1] || a.rgba[i + 2] !== b.rgba[i + 2]) count++;
  }
  return count;
}

/** Dark pixels (text, axes) in rows [top, bottom). */
export function darkPixels(picture: Picture, top = 0, bottom = picture.height): number {
  return countNear(picture, [0, 0, 0], 90, top, bottom);
}
