/**
 * Plain-loop references for convolution and pooling, in Float64Array, written from the
 * definitions (channels last, kernel [kh, kw, in / groups, filters]) and independent of the
 * code under test and of TensorFlow.js:
 *
 *   z[n, p, q, f] = Σ_{i, j, c} x[n, p·s + i·d − top, q·s + j·d − left, g·cg + c] · W[i, j, c, f] + b[f]
 *
 * with g = f's group, cg = channels per group, and zero outside the input. The gradients are
 * the same sum differentiated term by term: each term adds x·δ to ∂W and W·δ to ∂x.
 */
export interface Geometry {
  strides: [number, number];
  dilations: [number, number];
  padding: 'valid' | 'same';
  groups: number;
}

export interface Image {
  shape: [number, number, number, number];
  data: Float64Array;
}

function outSize(size: number, k: number, s: number, d: number, padding: 'valid' | 'same'): number {
  return padding === 'valid' ? Math.floor((size - d * (k - 1) - 1) / s) + 1 : Math.ceil(size / s);
}

function padBefore(size: number, out: number, k: number, s: number, d: number, padding: 'valid' | 'same'): number {
  if (padding === 'valid') return 0;
  return Math.floor(Math.max((out - 1) * s + (k - 1) * d + 1 - size, 0) / 2);
}

/** Visits every term x[n, r, t, cIn] · W[i, j, c, f] of every z[n, p, q, f]. */
function eachTerm(
  xShape: readonly number[],
  wShape: readonly number[],
  g: Geometry,
  visit: (xIndex: number, wIndex: number, zIndex: number) => void,
): [number, number, number, number] {
  const [n, h, w, cin] = xShape as [number, number, number, number];
  const [kh, kw, cg, f] = wShape as [number, number, number, number];
  const oh = outSize(h, kh, g.strides[0], g.dilations[0], g.padding);
  const ow = outSize(w, kw, g.strides[1], g.dilations[1], g.padding);
  const top = padBefore(h, oh, kh, g.strides[0], g.dilations[0], g.padding);
  const left = padBefore(w, ow, kw, g.strides[1], g.dilations[1], g.padding);
  const filtersPerGroup = f / g.groups;
  for (let b = 0; b < n; b++)
    for (let p = 0; p < oh; p++)
      for (let q = 0; q < ow; q++)
        for (let o = 0; o < f; o++) {
          const group = Math.floor(o / filtersPerGroup);
          for (let i = 0; i < kh; i++) {
            const r = p * g.strides[0] + i * g.dilations[0] - top;
            if (r < 0 || r >= h) continue;
            for (let j = 0; j < kw; j++) {
              const t = q * g.strides[1] + j * g.dilations[1] - left;
              if (t < 0 || t >= w) continue;
              for (let c = 0; c < cg; c++) {
                const xi = ((b * h + r) * w + t) * cin + group * cg + c;
                const wi = ((i * kw + j) * cg + c) * f + o;
                visit(xi, wi, ((b * oh + p) * ow + q) * f + o);
              }
            }
          }
        }
  return [n, oh, ow, f];
}

export function conv2dReference(x: Image, w: Image, bias: Float64Array | null, g: Geometry): Image {
  const [n, h, wd, cin] = x.shape;
  const [kh, kw, , f] = w.shape;
  const oh = outSize(h, kh, g.strides[0], g.dilations[0], g.padding);
  const ow = outSize(wd, kw, g.strides[1], g.dilations[1], g.padding);
  const z = new Float64Array(n * oh * ow * f);
  eachTerm([n, h, wd, cin], w.shape, g, (xi, wi, zi) => {
    z[zi]! += x.data[xi]! * w.data[wi]!;
  });
  if (bias !== null) for (let i = 0; i < z.length; i++) z[i]! += bias[i % f]!;
  return { shape: [n, oh, ow, f], data: z };
}

/** ∂C/∂x and ∂C/∂W of C = Σ δ ⊙ z, from the same terms. */
export function conv2dGradientsReference(x: Image, w: Image, delta: Float64Array, g: Geometry): { dx: Float64Array; dw: Float64Array } {
  const dx = new Float64Array(x.data.length);
  const dw = new Float64Array(w.data.length);
  eachTerm(x.shape, w.shape, g, (xi, wi, zi) => {
    dx[xi]! += w.data[wi]! * delta[zi]!;
    dw[wi]! += x.data[xi]! * delta[zi]!;
  });
  return { dx, dw };
}

/** Max or mean of each window, per channel; 'same' windows at the border hold fewer inputs. */
export function pool2dReference(x: Image, pool: [number, number], strides: [number, number], padding: 'valid' | 'same', mode: 'max' | 'average'): Image {
  const [n, h, w, c] = x.shape;
  const oh = padding === 'valid' ? Math.floor((h - pool[0]) / strides[0]) + 1 : Math.ceil(h / strides[0]);
  const ow = padding === 'valid' ? Math.floor((w - pool[1]) / strides[1]) + 1 : Math.ceil(w / strides[1]);
  const top = padBefore(h, oh, pool[0], strides[0], 1, padding);
  const left = padBefore(w, ow, pool[1], strides[1], 1, padding);
  const out = new Float64Array(n * oh * ow * c);
  for (let b = 0; b < n; b++)
    for (let p = 0; p < oh; p++)
      for (let q = 0; q < ow; q++)
        for (let ch = 0; ch < c; ch++) {
          let acc = mode === 'max' ? -Infinity : 0;
          let count = 0;
          for (let i = 0; i < pool[0]; i++)
            for (let j = 0; j < pool[1]; j++) {
              const r = p * strides[0] + i - top;
              const t = q * strides[1] + j - left;
              if (r < 0 || r >= h || t < 0 || t >= w) continue;
              const v = x.data[((b * h + r) * w + t) * c + ch]!;
              acc = mode === 'max' ? Math.max(acc, v) : acc + v;
              count++;
            }
          out[((b * oh + p) * ow + q) * c + ch] = mode === 'max' ? acc : acc / count;
        }
  return { shape: [n, oh, ow, c], data: out };
}

/**
 * ∂C/∂x of average pooling from its definition: each output's δ divided by the number of inputs in its
 * window (padding excluded, as the forward) and added to each of them.
 */
export function averagePool2dGradientReference(xShape: Image['shape'], dy: Float64Array, pool: [number, number], strides: [number, number], padding: 'valid' | 'same'): Float64Array {
  const [n, h, w, c] = xShape;
  const oh = padding === 'valid' ? Math.floor((h - pool[0]) / strides[0]) + 1 : Math.ceil(h / strides[0]);
  const ow = padding === 'valid' ? Math.floor((w - pool[1]) / strides[1]) + 1 : Math.ceil(w / strides[1]);
  const top = padBefore(h, oh, pool[0], strides[0], 1, padding);
  const left = padBefore(w, ow, pool[1], strides[1], 1, padding);
  const dx = new Float64Array(n * h * w * c);
  for (let b = 0; b < n; b++)
    for (let p = 0; p < oh; p++)
      for (let q = 0; q < ow; q++)
        for (let ch = 0; ch < c; ch++) {
          const inside: number[] = [];
          for (let i = 0; i < pool[0]; i++)
            for (let j = 0; j < pool[1]; j++) {
              const r = p * strides[0] + i - top;
              const t = q * strides[1] + j - left;
              if (r >= 0 && r < h && t >= 0 && t < w) inside.push(((b * h + r) * w + t) * c + ch);
            }
          for (const index of inside) dx[index] += dy[((b * oh + p) * ow + q) * c + ch]! / inside.length;
        }
  return dx;
}

/** Deterministic values in [-1, 1) (a linear congruential generator), so cases are reproducible. */
export function randomValues(size: number, seed: number): Float64Array {
  const out = new Float64Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // Rounded to float32, so the float32 tensors made from them hold the same numbers.
    out[i] = Math.fround((s / 2 ** 32) * 2 - 1);
  }
  return out;
}
