/**
 * The three convolutions a convolutional layer's forward and backward need, on images laid
 * out [batch, height, width, channels] and kernels [kh, kw, in_channels / groups, filters]
 * (Keras's layout), built from TensorFlow.js kernels that every backend has:
 *
 *   forward          z = x ⋆ W                       tf.conv2d / tf.fused.conv2d
 *   backprop-input   ∂C/∂x = δ ⋆ᵀ W                  tf.conv2dTranspose (Conv2DBackpropInput)
 *   backprop-filter  ∂C/∂W = patches(x)ᵀ · δ         image patches times δ, one matMul
 *
 * ⋆ is the cross-correlation deep learning calls convolution:
 *   z[n, p, q, f] = Σ_{i, j, c} x[n, p·s + i·d − pad, q·s + j·d − pad, c] · W[i, j, c, f]
 * with stride s, dilation d and `pad` zeros before the first row / column ('same').
 *
 * Backprop-filter is Dense's BP4 (∂C/∂W = a_prevᵀ · δ) with each row of a_prev replaced by the
 * patch of x the kernel saw at one output position. It is written as patches · δ because the
 * wasm backend has no Conv2DBackpropFilter kernel. A dilated kernel is the kernel with d − 1
 * zeros between its taps (`dilateKernel`), which lets backprop-input use tf.conv2dTranspose,
 * whose kernels take no dilation. `groups` splits the channels into independent convolutions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../activations.js';
import { matMul } from './mat_mul.js';

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

/** ∂C/∂x = δ ⋆ᵀ W: each output's error spread back over the inputs its window read, weighted by W. */
export function conv2dBackpropInput(delta: tf.Tensor, kernel: tf.Tensor, inputShape: readonly number[], g: ConvGeometry): tf.Tensor {
  const holed = dilateKernel(kernel, g.dilations);
  const [n, h, w, c] = inputShape as [number, number, number, number];
  const groupShape: [number, number, number, number] = [n, h, w, c / g.groups];
  return perGroup(g.groups, [delta, holed], (dg, wg) =>
    tf.conv2dTranspose(dg as Tensor4D, wg as Tensor4D, groupShape, [g.strides[0], g.strides[1]], g.padding),
  );
}

/** ∂C/∂W = patches(x)ᵀ · δ: for each tap (i, j, c), the inputs it multiplied times the errors they fed. */
export function conv2dBackpropFilter(x: tf.Tensor, delta: tf.Tensor, kernelShape: readonly number[], g: ConvGeometry): tf.Tensor {
  const [kh, kw, c, f] = kernelShape as [number, number, number, number];
  const [, oh, ow] = delta.shape as [number, number, number, number];
  return perGroup(g.groups, [x, delta], (xg, dg) => {
    const rows = imagePatches(xg, [kh, kw], [oh, ow], g); // [N·oh·ow, kh·kw·c]
    const deltaRows = tf.reshape(dg, [-1, f / g.groups]); // [N·oh·ow, filters]
    return tf.reshape(matMul(rows, deltaRows, true, false), [kh, kw, c, f / g.groups]);
  });
}

/**
 * Each output position's input window as one row, [N·oh·ow, kh·kw·c] (TensorFlow's
 * extract_image_patches): the patch seen by tap (i, j) is x shifted by (i·d, j·d) and read
 * every s-th row and column, so the rows are kh·kw strided slices side by side.
 */
export function imagePatches(x: tf.Tensor, [kh, kw]: readonly [number, number], [oh, ow]: readonly [number, number], g: ConvGeometry): tf.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [s0, s1] = g.strides;
  const [d0, d1] = g.dilations;
  const padded = tf.pad(x, [[0, 0], samePadding(g, h, kh, oh, 0), samePadding(g, w, kw, ow, 1), [0, 0]]);
  const span = [(oh - 1) * s0 + 1, (ow - 1) * s1 + 1];
  const taps: tf.Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const begin = [0, i * d0, j * d1, 0];
      taps.push(
        s0 === 1 && s1 === 1
          ? tf.slice(padded, begin, [n, oh, ow, c])
          : tf.stridedSlice(padded, begin, [n, begin[1]! + span[0]!, begin[2]! + span[1]!, c], [1, s0, s1, 1]),
      );
    }
  }
  return tf.reshape(taps.length === 1 ? taps[0]! : tf.concat(taps, 3), [n * oh * ow, kh * kw * c]);
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
 * The kernel a dilation d reads: d − 1 zeros between taps, [(kh − 1)·d + 1, (kw − 1)·d + 1, c, f].
 * Made by giving each tap d − 1 zero neighbours ([kh, d, kw, d, c, f]) and trimming the last ones.
 */
export function dilateKernel(kernel: tf.Tensor, [d0, d1]: readonly [number, number]): tf.Tensor {
  if (d0 === 1 && d1 === 1) return kernel;
  const [kh, kw, c, f] = kernel.shape as [number, number, number, number];
  const spaced = tf.pad(tf.reshape(kernel, [kh, 1, kw, 1, c, f]), [[0, 0], [0, d0 - 1], [0, 0], [0, d1 - 1], [0, 0], [0, 0]]);
  return tf.slice(tf.reshape(spaced, [kh * d0, kw * d1, c, f]), [0, 0, 0, 0], [(kh - 1) * d0 + 1, (kw - 1) * d1 + 1, c, f]);
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
