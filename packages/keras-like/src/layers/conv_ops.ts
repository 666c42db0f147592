/**
 * The three convolutions a convolutional layer's forward and backward need, on images laid
 * out [batch, height, width, channels] and kernels [kh, kw, in_channels / groups, filters]
 * (Keras's layout). All three run as forward convolutions (tf.conv2d), the kernel every backend
 * runs fastest (XNNPACK on wasm), and the backprop-filter of a layer with few input channels as
 * Dense's BP4 on the image's patches:
 *
 *   forward          z = x ⋆ W
 *   backprop-input   ∂C/∂x = δ̃ ⋆ rot180(W)ᵀ      δ spread to stride s and padded: the
 *                                                 transposed convolution of δ with W
 *   backprop-filter  ∂C/∂W = x ⋆ δ                 x correlated with the error, summed over the batch
 *                    = Pᵀ · δ                      P: x's patches, one row per output position
 *
 * ⋆ is the cross-correlation deep learning calls convolution:
 *   z[n, p, q, f] = Σ_{i, j, c} x[n, p·s + i·d − pad, q·s + j·d − pad, c] · W[i, j, c, f]
 * with stride s, dilation d and `pad` zeros before the first row / column ('same').
 *
 * TensorFlow.js has dedicated kernels for the two backprops (Conv2DBackpropInput,
 * Conv2DBackpropFilter), but the wasm backend has no Conv2DBackpropFilter and its
 * Conv2DBackpropInput is 8× slower than a forward convolution of the same size (bench
 * probe: 282 against 36 ms on W4's second layer); written as forward convolutions they are
 * the same arithmetic. `groups` splits the channels into independent convolutions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../activations.js';

export interface ConvGeometry {
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: 'valid' | 'same';
  readonly groups: number;
}

type Tensor4D = tf.Tensor4D;

/**
 * z = x ⋆ W + b, and a = σ(z) in the same kernel when `activation` is given and TensorFlow.js
 * can fuse it (`fusedName`); with groups, one convolution per group of channels.
 */
export function conv2d(x: tf.Tensor, kernel: tf.Tensor, g: ConvGeometry, bias: tf.Tensor | null, activation?: Activation): tf.Tensor {
  if (g.groups === 1) {
    return tf.fused.conv2d({
      x: x as Tensor4D,
      filter: kernel as Tensor4D,
      strides: [g.strides[0], g.strides[1]],
      pad: g.padding,
      dataFormat: 'NHWC',
      dilations: [g.dilations[0], g.dilations[1]],
      bias: bias ?? undefined,
      activation: activation?.fusedName,
      leakyreluAlpha: activation?.leakyreluAlpha,
    });
  }
  const z = perGroup(g.groups, [x, kernel], (xg, wg) =>
    tf.conv2d(xg as Tensor4D, wg as Tensor4D, [g.strides[0], g.strides[1]], g.padding, 'NHWC', [g.dilations[0], g.dilations[1]]),
  );
  const zb = bias === null ? z : tf.add(z, bias);
  return activation === undefined ? zb : activation.forward(zb);
}

/**
 * ∂C/∂x = the transposed convolution of δ with W: each output's error spread back over the
 * inputs its window read, weighted by the same taps. Input row r received δ[p] · W[i] from every
 * (p, i) with p·s + i·d − pad = r, which is a forward convolution of
 *   δ̃ = δ with s − 1 zeros between rows (and columns), padded by (k − 1)·d − pad before,
 * with the kernel rotated by 180° and its in / out channels swapped (rot180(W)ᵀ), dilation d.
 * The padding is the convolution's own (explicit `pad`), not a padded copy of δ: the cpu kernel
 * then skips the taps that fall on it (W4's conv2: 40% of the multiply-adds) and no Pad kernel
 * copies δ; XNNPACK (wasm) reads a shared zero row there instead.
 */
export function conv2dBackpropInput(delta: tf.Tensor, kernel: tf.Tensor, inputShape: readonly number[], g: ConvGeometry): tf.Tensor {
  const [, h, w] = inputShape as [number, number, number, number];
  const [kh, kw] = kernel.shape as [number, number, number, number];
  const [, oh, ow] = delta.shape as [number, number, number, number];
  const [top] = samePadding(g, h, kh, oh, 0);
  const [left] = samePadding(g, w, kw, ow, 1);
  const spread = spreadRows(delta, g.strides); // [N, (oh − 1)·s + 1, (ow − 1)·s + 1, f]
  const before = [(kh - 1) * g.dilations[0] - top, (kw - 1) * g.dilations[1] - left] as const;
  const after = [h + (kh - 1) * g.dilations[0] - before[0] - spread.shape[1]!, w + (kw - 1) * g.dilations[1] - before[1] - spread.shape[2]!] as const;
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [before[0], after[0]], [before[1], after[1]], [0, 0]];
  return perGroup(g.groups, [spread, kernel], (dg, wg) =>
    tf.conv2d(dg as Tensor4D, rot180Transposed(wg) as Tensor4D, 1, pad, 'NHWC', [g.dilations[0], g.dilations[1]]),
  );
}

/**
 * ∂C/∂W[i, j, c, f] = Σ_{n, p, q} x[n, p·s + i·d − pad, q·s + j·d − pad, c] · δ[n, p, q, f]: for each
 * tap, the inputs it multiplied times the errors they fed (Dense's BP4, a_prevᵀ · δ, once per tap).
 * The same sums run one of two ways, whichever makes the backend pack the smaller operand (XNNPACK,
 * wasm's, repacks a product's second operand or a convolution's kernel for every new tensor):
 * - kh·kw·c ≤ f (a first layer: c = 1 or 3): Dense's BP4 on x's patches, ∂C/∂W = Pᵀ · δ, with
 *   P [N·oh·ow, kh·kw·c] no larger than δ [N·oh·ow, f] (`filterGradientFromPatches`; making P
 *   costs kh·kw·c / f ≤ 1 times the product's multiply-adds);
 * - otherwise one convolution in which the batch is summed like channels, δ the kernel
 *   (`filterGradientAsConvolution`).
 *
 * Returns [∂C/∂W] or, with `useBias`, [∂C/∂W, ∂C/∂b], where
 *   ∂C/∂b[f] = Σ_{n, p, q} δ[n, p, q, f]   (Dense's BP3, summed over the output positions too).
 * A sum over δ's rows makes wasm's and cpu's Sum transpose δ first; when ∂C/∂W is made from the
 * patches it already has δᵀ, and a sum along δᵀ's last axis needs no transpose.
 */
export function conv2dWeightGradients(x: tf.Tensor, delta: tf.Tensor, kernelShape: readonly number[], g: ConvGeometry, useBias: boolean): tf.Tensor[] {
  const [kh, kw, c] = kernelShape as [number, number, number, number]; // c: input channels per group
  const filters = delta.shape[3]!;
  // A tidy of its own frees the δ-sized temporaries as soon as the gradients are made.
  return tf.tidy(() => {
    if (kh * kw * c <= filters / g.groups) return filterGradientFromPatches(x, delta, kernelShape, g, useBias);
    const dW = filterGradientAsConvolution(x, delta, kernelShape, g);
    return useBias ? [dW, tf.sum(tf.reshape(delta, [-1, filters]), 0)] : [dW];
  });
}

/**
 * P[(n, p, q), (i, j, c)] = x[n, p·s + i·d − pad, q·s + j·d − pad, c], the inputs each output read
 * (im2col), made by a convolution of x with a one-hot kernel (tap (i, j, c) copied to its own column;
 * the stride, dilation and padding are the layer's); then ∂C/∂W = Pᵀ · δ, run as (δᵀ · P)ᵀ so that the
 * packed operand is P (wasm's matMul is many times slower with a transposed-operand flag).
 * ∂C/∂b, if asked for, is the sum of each row of that δᵀ.
 */
function filterGradientFromPatches(x: tf.Tensor, delta: tf.Tensor, kernelShape: readonly number[], g: ConvGeometry, useBias: boolean): tf.Tensor[] {
  const [kh, kw, c] = kernelShape as [number, number, number, number];
  const [n, h, w] = x.shape as [number, number, number, number];
  const [, oh, ow, f] = delta.shape as [number, number, number, number];
  const taps = kh * kw * c;
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], samePadding(g, h, kh, oh, 0), samePadding(g, w, kw, ow, 1), [0, 0]];
  const oneHot = tf.reshape(tf.eye(taps), [kh, kw, c, taps]) as Tensor4D; // row (i, j, c) of the identity
  const deltaT = tf.transpose(tf.reshape(delta, [n * oh * ow, f])); // [f, N·oh·ow]: a group's filters are a block of rows
  const xs = g.groups === 1 ? [x] : tf.split(x, g.groups, 3);
  const deltaTs = g.groups === 1 ? [deltaT] : tf.split(deltaT, g.groups, 0);
  const perGroupDW = xs.map((xg, i) => {
    const patches = tf.conv2d(xg as Tensor4D, oneHot, [g.strides[0], g.strides[1]], pad, 'NHWC', [g.dilations[0], g.dilations[1]]);
    const dWt = tf.matMul(deltaTs[i]!, tf.reshape(patches, [n * oh * ow, taps])); // [f / groups, kh·kw·c]
    return tf.reshape(tf.transpose(dWt), [kh, kw, c, f / g.groups]);
  });
  const dW = perGroupDW.length === 1 ? perGroupDW[0]! : tf.concat(perGroupDW, 3);
  return useBias ? [dW, tf.sum(deltaT, 1)] : [dW];
}

/**
 * ∂C/∂W as one convolution: x correlated with δ, the batch summed like channels, so x's channels
 * are the batch ([c, h, w, N]) and δ the kernel ([oh, ow, N, f]), stride d and dilation s, giving
 * [c, kh, kw, f].
 */
function filterGradientAsConvolution(x: tf.Tensor, delta: tf.Tensor, kernelShape: readonly number[], g: ConvGeometry): tf.Tensor {
  const [kh, kw, c] = kernelShape as [number, number, number, number];
  const [, h, w] = x.shape as [number, number, number, number];
  const [, oh, ow] = delta.shape as [number, number, number, number];
  const [rows, columns] = [samePadding(g, h, kh, oh, 0), samePadding(g, w, kw, ow, 1)];
  // 'valid' adds no zeros: skip the Pad kernel, which copies x on every backend.
  const padded = rows[0] + rows[1] + columns[0] + columns[1] === 0 ? x : tf.pad(x, [[0, 0], rows, columns, [0, 0]]);
  return perGroup(g.groups, [padded, delta], (xg, dg) => {
    const taps = tf.conv2d(
      tf.transpose(xg, [3, 1, 2, 0]) as Tensor4D,
      tf.transpose(dg, [1, 2, 0, 3]) as Tensor4D,
      [g.dilations[0], g.dilations[1]],
      'valid',
      'NHWC',
      [g.strides[0], g.strides[1]],
    ); // [c, ≥ kh, ≥ kw, f]: rows past kh would be taps beyond the kernel
    const [, th, tw, fg] = taps.shape as [number, number, number, number];
    const kernelTaps = th === kh && tw === kw ? taps : tf.slice(taps, [0, 0, 0, 0], [c, kh, kw, fg]);
    return tf.transpose(kernelTaps, [1, 2, 0, 3]);
  });
}

/** W[kh − 1 − i, kw − 1 − j, f, c]: the kernel turned by 180° with in and out channels swapped. */
function rot180Transposed(kernel: tf.Tensor): tf.Tensor {
  return tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]);
}

/**
 * δ with s − 1 zeros after each row and column but the last, [N, (oh − 1)·s + 1, (ow − 1)·s + 1, f]:
 * where a strided convolution's outputs sit on its input grid. Made by giving each value s − 1 zero
 * neighbours ([N, oh, s, ow, s, f]) and trimming the last ones.
 */
export function spreadRows(delta: tf.Tensor, [s0, s1]: readonly [number, number]): tf.Tensor {
  if (s0 === 1 && s1 === 1) return delta;
  const [n, oh, ow, f] = delta.shape as [number, number, number, number];
  const spaced = tf.pad(tf.reshape(delta, [n, oh, 1, ow, 1, f]), [[0, 0], [0, 0], [0, s0 - 1], [0, 0], [0, s1 - 1], [0, 0]]);
  return tf.slice(tf.reshape(spaced, [n, oh * s0, ow * s1, f]), [0, 0, 0, 0], [n, (oh - 1) * s0 + 1, (ow - 1) * s1 + 1, f]);
}

/**
 * The zeros 'same' adds before and after one axis, as TensorFlow: the total that makes ceil(n / s)
 * windows fit, half before (rounded down) and the rest after; none for 'valid'.
 */
export function samePadding(g: Pick<ConvGeometry, 'padding' | 'strides' | 'dilations'>, size: number, kernel: number, out: number, axis: 0 | 1): [number, number] {
  if (g.padding === 'valid') return [0, 0];
  const total = Math.max((out - 1) * g.strides[axis] + (kernel - 1) * g.dilations[axis] + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Runs `op` on each group of channels: the first operand split on its last axis (channels),
 * the second on its last axis too (a kernel's filters, or δ's), results joined on the last axis.
 */
function perGroup(groups: number, [a, b]: readonly [tf.Tensor, tf.Tensor], op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): tf.Tensor {
  if (groups === 1) return op(a, b);
  const as = tf.split(a, groups, a.rank - 1);
  const bs = tf.split(b, groups, b.rank - 1);
  return tf.concat(as.map((ag, i) => op(ag, bs[i]!)), -1);
}
