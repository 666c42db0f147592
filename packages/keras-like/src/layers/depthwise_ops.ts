/**
 * The three operations of a depthwise convolution, on images [batch, height, width, channels]
 * and Keras's kernel [kh, kw, channels, depth_multiplier]: each input channel c is convolved
 * with its own dm kernels, giving output channels c·dm + m (no sum over channels):
 *
 *   forward          z[n, p, q, c·dm + m] = Σ_{i, j} x[n, p·s + i·d − pad, q·s + j·d − pad, c] · W[i, j, c, m]
 *   backprop-input   ∂C/∂x[·, c] = Σ_m δ̃[·, c·dm + m] ⋆ rot180(W[·, ·, c, m])     (per channel, the
 *                                                                               transposed convolution)
 *   backprop-filter  ∂C/∂W[i, j, c, m] = Σ_{n, p, q} x[n, p·s + i·d − pad, …, c] · δ[n, p, q, c·dm + m]
 *                                                                              (BP4 once per tap)
 *
 * The forward and backprop-input run TensorFlow.js's depthwise kernel (XNNPACK on wasm);
 * the filter gradient is a sum over the batch and positions per tap, kh·kw element-wise products.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../activations.js';
import { samePadding, spreadRows } from './conv_ops.js';

export interface DepthwiseGeometry {
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: 'valid' | 'same';
}

/** z = depthwise(x, W) + b, and σ(z) in the same kernel when TensorFlow.js can fuse it. */
export function depthwiseConv2d(x: tf.Tensor, kernel: tf.Tensor, g: DepthwiseGeometry, bias: tf.Tensor | null, activation?: Activation): tf.Tensor {
  return tf.fused.depthwiseConv2d({
    x: x as tf.Tensor4D,
    filter: kernel as tf.Tensor4D,
    strides: [g.strides[0], g.strides[1]],
    pad: g.padding,
    dataFormat: 'NHWC',
    dilations: [g.dilations[0], g.dilations[1]],
    bias: bias ?? undefined,
    activation: activation?.fusedName,
    leakyreluAlpha: activation?.leakyreluAlpha,
  });
}

/**
 * ∂C/∂x: δ spread to the stride and padded by (k − 1)·d − pad before (as conv_ops.ts's
 * conv2dBackpropInput), each of its in·dm channels convolved with its own kernel turned by
 * 180°, then the dm results of each input channel summed.
 */
export function depthwiseBackpropInput(delta: tf.Tensor, kernel: tf.Tensor, inputShape: readonly number[], g: DepthwiseGeometry): tf.Tensor {
  const [n, h, w, c] = inputShape as [number, number, number, number];
  const [kh, kw, , dm] = kernel.shape as [number, number, number, number];
  const [, oh, ow] = delta.shape as [number, number, number, number];
  const [top] = samePadding(g, h, kh, oh, 0);
  const [left] = samePadding(g, w, kw, ow, 1);
  const spread = spreadRows(delta, g.strides);
  const before = [(kh - 1) * g.dilations[0] - top, (kw - 1) * g.dilations[1] - left];
  const after = [h + (kh - 1) * g.dilations[0] - before[0]! - spread.shape[1]!, w + (kw - 1) * g.dilations[1] - before[1]! - spread.shape[2]!];
  const padded = tf.pad(spread, [[0, 0], [before[0]!, after[0]!], [before[1]!, after[1]!], [0, 0]]);
  // One kernel per output channel c·dm + m: rot180(W[·, ·, c, m]) as [kh, kw, c·dm, 1].
  const perOutput = tf.reshape(tf.reverse(kernel, [0, 1]), [kh, kw, c * dm, 1]);
  const dxPerOutput = tf.depthwiseConv2d(padded as tf.Tensor4D, perOutput as tf.Tensor4D, 1, 'valid', 'NHWC', [g.dilations[0], g.dilations[1]]);
  return dm === 1 ? dxPerOutput : tf.sum(tf.reshape(dxPerOutput, [n, h, w, c, dm]), 4);
}

/**
 * ∂C/∂W, tap by tap: for each tap (i, j), the inputs it read at every output position (a strided
 * slice of the padded x), each channel repeated dm times, times δ, summed over the batch and the
 * positions.
 */
export function depthwiseBackpropFilter(x: tf.Tensor, delta: tf.Tensor, kernelShape: readonly number[], g: DepthwiseGeometry): tf.Tensor {
  const [kh, kw, c, dm] = kernelShape as [number, number, number, number];
  const [n, h, w] = x.shape as [number, number, number, number];
  const [, oh, ow] = delta.shape as [number, number, number, number];
  const padded = tf.pad(x, [[0, 0], samePadding(g, h, kh, oh, 0), samePadding(g, w, kw, ow, 1), [0, 0]]);
  const deltas = tf.reshape(delta, [n, oh, ow, c, dm]);
  const taps: tf.Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const [r, t] = [i * g.dilations[0], j * g.dilations[1]];
      const seen = tf.stridedSlice(padded, [0, r, t, 0], [n, r + (oh - 1) * g.strides[0] + 1, t + (ow - 1) * g.strides[1] + 1, c], [1, g.strides[0], g.strides[1], 1]);
      // ∂C/∂W[i, j, c, m] = Σ_{n, p, q} seen[n, p, q, c] · δ[n, p, q, c, m]
      taps.push(tf.sum(tf.mul(tf.expandDims(seen, 4), deltas), [0, 1, 2]));
    }
  }
  return tf.reshape(tf.stack(taps), [kh, kw, c, dm]);
}
