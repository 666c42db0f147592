/** Keras's `Orthogonal` initializer. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import { RandomInitializer, gainSchema, seedField } from './initializer.js';

const orthogonalSchema = gainSchema.extend({ seed: seedField });
/** Keyword arguments of `Orthogonal`. */
export type OrthogonalOptions = KerasOptions<typeof orthogonalSchema>;

export class OrthogonalInitializer extends RandomInitializer {
  readonly gain: number;
  constructor(...args: [OrthogonalOptions?] | [number, (number | null)?]) {
    const o = parseArgs('Orthogonal', orthogonalSchema, ['gain', 'seed'], args);
    super(o.seed);
    this.gain = o.gain;
  }
  /** QR-decompose a normal draw of the flattened shape; sign-correct Q by diag(R) so it is uniformly distributed. */
  call(shape: number[]): tf.Tensor {
    if (shape.length < 2) {
      throw new ValueError(`The tensor to initialize must be at least two-dimensional. Received: shape=${repr(shape)} of rank ${shape.length}.`);
    }
    return tf.tidy(() => {
      const cols = shape[shape.length - 1]!;
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const a = tf.randomNormal([Math.max(rows, cols), Math.min(rows, cols)], 0, 1, 'float32', this.seed);
      const [q, r] = tf.linalg.qr(a);
      const signs = tf.sign(tf.sum(tf.mul(r, tf.eye(r.shape[0]!, r.shape[1]!)), 0));
      let orthogonal = tf.mul(q, signs);
      if (rows < cols) orthogonal = tf.transpose(orthogonal);
      return tf.reshape(tf.mul(orthogonal, this.gain), shape);
    });
  }
  override get_config() {
    return { gain: this.gain, ...super.get_config() };
  }
}
/** A random orthogonal matrix (rows or columns orthonormal) times `gain` (defaults to 1). Args: `gain`, `seed`. */
export const Orthogonal = callable(OrthogonalInitializer);
export type Orthogonal = OrthogonalInitializer;
