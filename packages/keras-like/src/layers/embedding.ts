/**
 * `keras.layers.Embedding(input_dim, output_dim, {mask_zero, ...})`: turns integer tokens into
 * dense vectors by looking up rows of the `embeddings` matrix [input_dim, output_dim].
 *
 *   forward:  a[b, t] = E[x[b, t]]                    (a row lookup: one-hot(x) · E)
 *   backward: ∂C/∂E[k] = Σ over every (b, t) with x[b, t] = k of ∂C/∂a[b, t]
 *
 * The backward is BP4 for a one-hot input: only the rows that were looked up get a gradient,
 * summed over their occurrences. Tokens are not differentiable, so there is no ∂C/∂x.
 * A token outside [0, input_dim) is an error at the call (reading a zero row would be silent).
 * With `mask_zero`, token 0 is padding: the mask `x ≠ 0` goes to the next layers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';
import { ValueError } from '../errors.js';
import { get as getInitializer, type InitializerIdentifier } from '../initializers.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { callable } from '../utils/callable.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Masks, type Shape } from './layer.js';
import { configOf } from './rnn/recurrent_cell.js';

/** Backends whose tensors live in JavaScript's memory (cpu) or the wasm heap: there the lookup copies rows on the host. */
const LOOKUP_ON_HOST = new Set(['cpu', 'wasm']);

const identifier = <T>() => z.custom<T>((v) => v !== undefined).nullish();
const positive = (name: string) =>
  z.number({ error: `\`${name}\` must be a positive integer` }).int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' });

const embeddingSchema = layerSchema.extend({
  input_dim: positive('input_dim'),
  output_dim: positive('output_dim'),
  embeddings_initializer: identifier<InitializerIdentifier>().transform((v) => v ?? 'uniform'),
  embeddings_regularizer: identifier<RegularizerIdentifier>(),
  activity_regularizer: identifier<RegularizerIdentifier>(),
  embeddings_constraint: identifier<ConstraintIdentifier>(),
  mask_zero: z.boolean().default(false),
  /** TF2's length of the sequences: the input shape [input_length] when no input_shape is given (Keras 3 deprecates it). */
  input_length: z.number().int().positive({ error: 'must be a positive integer' }).nullish(),
});

/** Keyword arguments of `Embedding`. */
export type EmbeddingOptions = Omit<KerasOptions<typeof embeddingSchema>, 'input_dim' | 'output_dim'>;

export class EmbeddingLayer extends Layer {
  static readonly class_name = 'Embedding';
  readonly output_dim: number;
  readonly mask_zero: boolean;
  readonly input_length: number | null;
  readonly embeddings_initializer;
  readonly embeddings_regularizer;
  readonly embeddings_constraint;
  embeddings: tf.Variable | null = null;
  /** The vocabulary size: tokens are 0 … input_dim − 1. (Layer's `input_dim` keyword is this argument here.) */
  readonly vocabulary: number;

  /**
   * @param input_dim the vocabulary size (the largest token + 1).
   * @param output_dim the size of each vector.
   * @param options.embeddings_initializer Defaults to `'uniform'` (U(−0.05, 0.05)).
   * @param options.mask_zero token 0 is padding, masked for the next layers. Defaults to `false`.
   * @param options.input_length TF2's sequence length, accepted: it sets the input shape.
   */
  constructor(input_dim: number | (EmbeddingOptions & { input_dim: number; output_dim: number }), output_dim?: number, options?: EmbeddingOptions) {
    const args = parseArgs('Embedding', embeddingSchema, ['input_dim', 'output_dim'], [input_dim, output_dim, options]);
    const inputShape = args.input_shape ?? (args.input_length != null && args.batch_input_shape === undefined ? [args.input_length] : undefined);
    // `input_dim` is the vocabulary here, not Layer's "features of a 2-D input" keyword.
    super({ ...args, input_dim: undefined, input_shape: inputShape }, 'embedding');
    this.vocabulary = args.input_dim;
    this.output_dim = args.output_dim;
    this.mask_zero = args.mask_zero;
    this.input_length = args.input_length ?? null;
    this.embeddings_initializer = getInitializer(args.embeddings_initializer);
    this.embeddings_regularizer = getRegularizer(args.embeddings_regularizer);
    this.activity_regularizer = getRegularizer(args.activity_regularizer);
    this.embeddings_constraint = getConstraint(args.embeddings_constraint);
    this.supports_masking = args.mask_zero;
  }

  /** Keras's `input_dim` attribute: the vocabulary size. */
  get input_dim(): number {
    return this.vocabulary;
  }

  override build(inputShape: Shape): void {
    this.embeddings = this.add_weight({
      name: 'embeddings',
      shape: [this.vocabulary, this.output_dim],
      initializer: (shape) => this.embeddings_initializer(shape),
      regularizer: this.embeddings_regularizer,
      constraint: this.embeddings_constraint,
    });
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training: boolean): ForwardPass<tf.Tensor> {
    const ids = inputs.dtype === 'int32' ? inputs : tf.cast(inputs, 'int32');
    // a[b, t] = E[x[b, t]]
    const rows = LOOKUP_ON_HOST.has(tf.getBackend()) ? this.lookUpOnHost(ids, inputs.shape) : this.lookUp(ids, inputs.shape);
    return { inputs, outputs: tf.reshape(rows, [...inputs.shape, this.output_dim]), saved: ids };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<tf.Tensor>, needInputGradient: boolean): Gradients {
    // ∂C/∂E[k] = Σ_{(b,t): x[b,t]=k} ∂C/∂a[b,t]
    const weightGradients = this.trainable
      ? // scatterND adds the updates of repeated indices (wasm has no UnsortedSegmentSum kernel).
        [tf.scatterND(tf.reshape(pass.saved!, [-1, 1]), tf.reshape(dOutputs, [-1, this.output_dim]), [this.vocabulary, this.output_dim])]
      : [];
    return { inputGradient: needInputGradient ? tf.zerosLike(pass.inputs) : null, weightGradients };
  }

  /** With `mask_zero`: true where the token is not 0. */
  override compute_mask(inputs: tf.Tensor, _mask: Masks): Masks {
    return this.mask_zero ? tf.notEqual(inputs, 0) : null;
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [...inputShape, this.output_dim];
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      input_dim: this.vocabulary,
      output_dim: this.output_dim,
      embeddings_initializer: configOf(this.embeddings_initializer),
      embeddings_regularizer: configOf(this.embeddings_regularizer),
      activity_regularizer: configOf(this.activity_regularizer),
      embeddings_constraint: configOf(this.embeddings_constraint),
      mask_zero: this.mask_zero,
      // Keras's quantization is not in keras-like: its "none", as Keras writes it.
      quantization_config: null,
    };
  }

  /**
   * The rows of E copied in JavaScript, on cpu and wasm: their gather kernels read the tokens on
   * the host too, and then fetch each value through generic index arithmetic, 5-8× slower than
   * copying whole rows (W6's 6400 rows of 16: 35-57 ms against 4-11 ms a batch). The one read of
   * the tokens also checks them, so Keras's error costs no read of its own.
   */
  private lookUpOnHost(ids: tf.Tensor, shape: readonly number[]): tf.Tensor {
    const tokens = ids.dataSync();
    this.checkTokens(tokens, shape);
    const table = this.embeddings!.dataSync() as Float32Array;
    const dim = this.output_dim;
    const rows = new Float32Array(tokens.length * dim);
    for (let i = 0; i < tokens.length; i++) rows.set(table.subarray(tokens[i]! * dim, (tokens[i]! + 1) * dim), i * dim);
    return tf.tensor2d(rows, [tokens.length, dim]);
  }

  /** The backend's gather elsewhere (WebGL and WebGPU read a zero row for a token out of range, so the tokens are checked first: one host read per batch). */
  private lookUp(ids: tf.Tensor, shape: readonly number[]): tf.Tensor {
    this.checkTokens(ids.dataSync(), shape);
    return tf.gather(this.embeddings!, tf.reshape(ids, [-1]));
  }

  /** Each token checked to lie in [0, input_dim), as TensorFlow's gather checks on CPU, with Keras's error. */
  private checkTokens(tokens: ArrayLike<number>, shape: readonly number[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const v = tokens[i]!;
      if (v < 0 || v >= this.vocabulary) {
        const index = unravel(i, shape).join(',');
        throw new ValueError(
          `Exception encountered when calling Embedding.call() of layer "${this.name}": indices[${index}] = ${v} is not in [0, ${this.vocabulary}). ` +
            `Tokens must be integers from 0 to input_dim − 1 = ${this.vocabulary - 1}: raise input_dim to the vocabulary size.`,
        );
      }
    }
  }
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const out: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    out.unshift(flat % shape[axis]!);
    flat = Math.floor(flat / shape[axis]!);
  }
  return out;
}

export const Embedding = callable(EmbeddingLayer);
export type Embedding = EmbeddingLayer;
