/**
 * The image object `load_img` returns and `array_to_img` makes: Keras hands back a PIL
 * `Image`, and this is the part of it a course uses — `size` ([width, height], as PIL),
 * `mode` and the pixels — with PIL's own mode conversions, so `img_to_array` gives the
 * numbers Keras gives.
 *
 * Modes (PIL's names): `'L'` 8-bit gray, `'LA'` gray + alpha, `'RGB'`, `'RGBA'`, and `'I'`
 * 32-bit integer gray (what PIL opens a 16-bit grayscale PNG as, values up to 65535).
 * Pixels are stored row by row, channels interleaved.
 */
import { ValueError } from '../../errors.js';

export type ImageMode = 'L' | 'LA' | 'RGB' | 'RGBA' | 'I';

const CHANNELS: Record<ImageMode, number> = { L: 1, LA: 2, RGB: 3, RGBA: 4, I: 1 };

export class Image {
  readonly mode: ImageMode;
  readonly width: number;
  readonly height: number;
  /** Row-major pixels, `channels` values each: Uint8Array, or Int32Array in mode 'I'. */
  readonly data: Uint8Array | Int32Array;

  constructor(mode: ImageMode, width: number, height: number, data: Uint8Array | Int32Array) {
    if (data.length !== width * height * CHANNELS[mode]) {
      throw new ValueError(`Image: ${mode} pixels of a ${width}x${height} image need ${width * height * CHANNELS[mode]} values, got ${data.length}.`);
    }
    this.mode = mode;
    this.width = width;
    this.height = height;
    this.data = data;
  }

  /** PIL's `img.size`: `[width, height]`. */
  get size(): [number, number] {
    return [this.width, this.height];
  }

  /** Values per pixel. */
  get channels(): number {
    return CHANNELS[this.mode];
  }

  /**
   * PIL's `img.convert(mode)`, for the conversions Keras's `load_img` makes:
   * to gray by ITU-R 601-2 luma in PIL's fixed point, L = (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16;
   * alpha dropped (not composited) or set to 255; gray copied to R, G and B;
   * 'I' clipped to [0, 255] when it becomes 8-bit, as PIL does.
   */
  convert(mode: ImageMode): Image {
    if (mode === this.mode) return this;
    const n = this.width * this.height;
    const from = this.channels;
    const to = CHANNELS[mode];
    const src = this.data;
    const out = mode === 'I' ? new Int32Array(n * to) : new Uint8Array(n * to);
    const clip = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
    for (let p = 0; p < n; p++) {
      const s = p * from;
      let gray: number;
      let r: number;
      let g: number;
      let b: number;
      if (from >= 3) {
        r = src[s]!;
        g = src[s + 1]!;
        b = src[s + 2]!;
        gray = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
      } else {
        gray = this.mode === 'I' && mode !== 'I' ? clip(src[s]!) : src[s]!;
        r = g = b = gray;
      }
      const alpha = from === 4 ? src[s + 3]! : from === 2 ? src[s + 1]! : 255;
      const d = p * to;
      if (to === 1) out[d] = gray;
      else if (to === 2) {
        out[d] = gray;
        out[d + 1] = alpha;
      } else {
        out[d] = r;
        out[d + 1] = g;
        out[d + 2] = b;
        if (to === 4) out[d + 3] = alpha;
      }
    }
    return new Image(mode, this.width, this.height, out);
  }

  toString(): string {
    return `<Image mode=${this.mode} size=${this.width}x${this.height}>`;
  }
}
