/**
 * PIL's `Image.resize(size, resample, box)`, which Keras's `load_img` calls, computed the way
 * Pillow computes it so the pixels match:
 *
 * - `'nearest'`: source pixel ⌊box₀ + (x + ½)·scale⌋, the offset accumulated pixel by pixel;
 * - the filters (`'bilinear'`, `'bicubic'` a = −½, `'lanczos'` a = 3, `'box'`, `'hamming'`):
 *   a separable convolution, horizontal pass then vertical pass. Output pixel x has centre
 *   c = box₀ + (x + ½)·scale in the source; its weights are filter((i − c + ½)/s) for the
 *   source pixels i within `support · s` of c, where s = max(scale, 1) widens the filter when
 *   shrinking (antialiasing), normalised to sum to 1, then rounded to fixed point with 22
 *   fractional bits; each pass rounds and clips to 0-255 (8-bit modes);
 * - 'RGBA' and 'LA' are resized premultiplied by alpha, as PIL does for filters.
 */
import { Image } from './image.js';

export type Interpolation = 'nearest' | 'bilinear' | 'bicubic' | 'lanczos' | 'box' | 'hamming';

interface Filter {
  readonly support: number;
  readonly weight: (x: number) => number;
}

const sinc = (x: number) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

const FILTERS: Record<Exclude<Interpolation, 'nearest'>, Filter> = {
  box: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
  hamming: {
    support: 1,
    weight: (x) => {
      const t = Math.abs(x);
      if (t === 0) return 1;
      if (t >= 1) return 0;
      // 0.54f and 0.46f: single-precision constants in Pillow.
      return (Math.sin(Math.PI * t) / (Math.PI * t)) * (Math.fround(0.54) + Math.fround(0.46) * Math.cos(Math.PI * t));
    },
  },
  bicubic: {
    support: 2,
    weight: (x) => {
      const a = -0.5;
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
  lanczos: { support: 3, weight: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
};

const PRECISION_BITS = 32 - 8 - 2;

interface Coefficients {
  /** First source index of each output pixel. */
  readonly start: Int32Array;
  /** Number of source pixels of each output pixel. */
  readonly count: Int32Array;
  /** `ksize` fixed-point weights per output pixel. */
  readonly weights: Int32Array;
  readonly ksize: number;
}

/** The weights of one axis: `inSize` source pixels, the box [in0, in1), `outSize` outputs. */
function coefficients(inSize: number, in0: number, in1: number, outSize: number, filter: Filter): Coefficients {
  // The box is a float in Pillow, so in1 − in0 is a single-precision difference.
  const scale = Math.fround(Math.fround(in1) - Math.fround(in0)) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const row = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = Math.fround(in0) + (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let sum = 0;
    for (let x = 0; x < xmax; x++) {
      row[x] = filter.weight((x + xmin - center + 0.5) * (1 / filterScale));
      sum += row[x]!;
    }
    for (let x = 0; x < xmax; x++) {
      const w = sum !== 0 ? row[x]! / sum : row[x]!;
      // Round half away from zero into 22 fractional bits.
      weights[xx * ksize + x] = Math.trunc(w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
    }
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { start, count, weights, ksize };
}

/** One pass over rows (`horizontal`) or columns, 8-bit channels, with Pillow's rounding and clipping. */
function pass8(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  c: Coefficients,
  horizontal: boolean,
  rowOffset: number,
  outRows: number,
): Uint8Array {
  const outWidth = horizontal ? c.start.length : width;
  const out = new Uint8Array(outWidth * outRows * channels);
  const half = 1 << (PRECISION_BITS - 1);
  for (let y = 0; y < outRows; y++) {
    for (let x = 0; x < outWidth; x++) {
      const o = horizontal ? x : y;
      const first = c.start[o]!;
      const n = c.count[o]!;
      const k = o * c.ksize;
      for (let ch = 0; ch < channels; ch++) {
        let ss = half;
        for (let i = 0; i < n; i++) {
          const at = horizontal ? ((y + rowOffset) * width + first + i) * channels + ch : ((first + i) * width + x) * channels + ch;
          ss += src[at]! * c.weights[k + i]!;
        }
        const v = ss >> PRECISION_BITS;
        out[(y * outWidth + x) * channels + ch] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return out;
}

/** `resize` for the 32-bit 'I' mode: weights in double precision, rounded half away from zero. */
function pass32(src: Int32Array, width: number, channels: number, inSize: number, in0: number, in1: number, outSize: number, otherSize: number, filter: Filter, horizontal: boolean): Int32Array {
  const scale = Math.fround(Math.fround(in1) - Math.fround(in0)) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const outWidth = horizontal ? outSize : width;
  const out = new Int32Array(outWidth * (horizontal ? otherSize : outSize) * channels);
  for (let o = 0; o < outSize; o++) {
    const center = Math.fround(in0) + (o + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    // Pillow multiplies by 1 / scale (not divides): the last bit decides ties in the rounding.
    const w: number[] = [];
    for (let i = 0; i < xmax; i++) w.push(filter.weight((i + xmin - center + 0.5) * (1 / filterScale)));
    const sum = w.reduce((a, b) => a + b, 0);
    for (let other = 0; other < otherSize; other++) {
      let ss = 0;
      for (let i = 0; i < xmax; i++) {
        const at = horizontal ? other * width + xmin + i : (xmin + i) * width + other;
        ss += src[at]! * (sum !== 0 ? w[i]! / sum : w[i]!);
      }
      out[horizontal ? other * outWidth + o : o * outWidth + other] = ss >= 0 ? Math.trunc(ss + 0.5) : Math.trunc(ss - 0.5);
    }
  }
  return out;
}

/** PIL's premultiplication of colour by alpha (`RGBA` → `RGBa`): c·a/255 rounded. */
function premultiply(data: Uint8Array, channels: number): Uint8Array {
  const out = new Uint8Array(data);
  for (let p = 0; p < data.length; p += channels) {
    const alpha = data[p + channels - 1]!;
    for (let ch = 0; ch < channels - 1; ch++) {
      const t = data[p + ch]! * alpha + 128;
      out[p + ch] = ((t >> 8) + t) >> 8;
    }
  }
  return out;
}

/** PIL's `RGBa` → `RGBA`: c·255/a, clipped; fully transparent or opaque pixels unchanged. */
function unpremultiply(data: Uint8Array, channels: number): Uint8Array {
  const out = new Uint8Array(data);
  for (let p = 0; p < data.length; p += channels) {
    const alpha = data[p + channels - 1]!;
    if (alpha === 0 || alpha === 255) continue;
    for (let ch = 0; ch < channels - 1; ch++) out[p + ch] = Math.min(255, Math.floor((255 * data[p + ch]!) / alpha));
  }
  return out;
}

/**
 * `img.resize([width, height], resample, box)`: `box` = [left, top, right, bottom] is the
 * source region (the whole image by default; `keep_aspect_ratio` passes a centred crop).
 */
export function resize(img: Image, width: number, height: number, interpolation: Interpolation, box?: readonly [number, number, number, number]): Image {
  const [x0, y0, x1, y1] = box ?? [0, 0, img.width, img.height];
  if (width === img.width && height === img.height && x0 === 0 && y0 === 0 && x1 === img.width && y1 === img.height) return img;
  const channels = img.channels;
  if (interpolation === 'nearest') {
    const out = img.mode === 'I' ? new Int32Array(width * height) : new Uint8Array(width * height * channels);
    const xscale = (Math.fround(x1) - Math.fround(x0)) / width;
    const yscale = (Math.fround(y1) - Math.fround(y0)) / height;
    const xin = new Int32Array(width);
    let xo = x0 + xscale * 0.5;
    for (let x = 0; x < width; x++, xo += xscale) xin[x] = Math.min(img.width - 1, Math.floor(xo));
    let yo = y0 + yscale * 0.5;
    for (let y = 0; y < height; y++, yo += yscale) {
      const yi = Math.min(img.height - 1, Math.floor(yo));
      for (let x = 0; x < width; x++) {
        for (let ch = 0; ch < channels; ch++) out[(y * width + x) * channels + ch] = img.data[(yi * img.width + xin[x]!) * channels + ch]!;
      }
    }
    return new Image(img.mode, width, height, out);
  }
  const filter = FILTERS[interpolation];
  if (img.mode === 'I') {
    let data = img.data as Int32Array;
    let w = img.width;
    const needH = width !== img.width || x0 !== 0 || x1 !== width;
    const needV = height !== img.height || y0 !== 0 || y1 !== height;
    if (needH) {
      data = pass32(data, w, 1, img.width, x0, x1, width, img.height, filter, true);
      w = width;
    }
    if (needV) data = pass32(data, w, 1, img.height, y0, y1, height, w, filter, false);
    return new Image('I', width, height, data);
  }
  const alpha = img.mode === 'RGBA' || img.mode === 'LA';
  let data = alpha ? premultiply(img.data as Uint8Array, channels) : (img.data as Uint8Array);
  const vertical = coefficients(img.height, y0, y1, height, filter);
  const needH = width !== img.width || x0 !== 0 || x1 !== width;
  const needV = height !== img.height || y0 !== 0 || y1 !== height;
  let w = img.width;
  let rows = img.height;
  if (needH) {
    // Only the source rows the vertical pass reads, as Pillow does.
    const firstRow = vertical.start[0]!;
    const lastRow = vertical.start[height - 1]! + vertical.count[height - 1]!;
    const horizontal = coefficients(img.width, x0, x1, width, filter);
    data = pass8(data, img.width, img.height, channels, horizontal, true, firstRow, lastRow - firstRow);
    for (let i = 0; i < height; i++) vertical.start[i] = vertical.start[i]! - firstRow;
    w = width;
    rows = lastRow - firstRow;
  }
  if (needV) data = pass8(data, w, rows, channels, vertical, false, 0, height);
  return new Image(img.mode, width, height, alpha ? unpremultiply(data, channels) : data);
}
