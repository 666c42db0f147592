/**
 * `keras.layers.Activation(activation)`: applies an activation function, `a = σ(x)`;
 * backward `∂C/∂x = ∂C/∂a ⊙ σ′(x)`. Also the helpers Dense shares with it for
 * layers whose output is an activation.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { getActivation, type Activation as EngineActivation, type ActivationIdentifier } from '../activations.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

/** What a layer ending in an activation keeps for its backward: `z` and `a = σ(z)`. */
export interface ActivationSaved {
  /** The pre-activation; `null` when the activation was fused and σ′ is read from `a` (see `canFuseInTraining`). */
  readonly z: tf.Tensor | null;
  readonly a: tf.Tensor;
}

/**
 * A layer whose output is `σ(z)`. When the loss can give δ = ∂C/∂z straight from the
 * logits (sigmoid + binary crossentropy, softmax + categorical crossentropy, as Keras's
 * TensorFlow backend does), the model starts this layer's backward from δ.
 */
export interface ActivatedLayer {
  readonly activation: EngineActivation;
  backwardFromDelta(delta: tf.Tensor, pass: ForwardPass<ActivationSaved>, needInputGradient: boolean): Gradients;
}

export function isActivatedLayer(layer: Layer): layer is Layer & ActivatedLayer {
  return 'activation' in layer && 'backwardFromDelta' in layer && typeof layer.backwardFromDelta === 'function';
}

/**
 * Activations whose derivative at z is fixed by a = σ(z) alone: relu′ is step(z) and z > 0
 * exactly when a > 0 (likewise leaky relu, for a positive slope); relu6′ is 1 exactly when
 * 0 < a < 6; linear′ is 1. For these, training keeps the one-op `tf.fused.matMul`
 * and passes `a` where the backward reads `z`.
 */
const DERIVATIVE_FROM_OUTPUT = new Set(['linear', 'relu', 'relu6', 'leakyrelu']);

export function canFuseInTraining(activation: EngineActivation): boolean {
  return activation.fusedName !== undefined && DERIVATIVE_FROM_OUTPUT.has(activation.fusedName);
}

/** BP1 / BP2: δ = ∂C/∂a ⊙ σ′(z). */
export function backwardThroughActivation(activation: EngineActivation, dA: tf.Tensor, saved: ActivationSaved): tf.Tensor {
  return activation.backward(dA, saved.z ?? saved.a, saved.a);
}

/** How Keras writes an activation in a layer config: its name. */
export function activationConfig(activation: EngineActivation): string {
  return activation.name;
}

const activationSchema = layerSchema.extend({
  activation: z.custom<ActivationIdentifier>((v) => v !== undefined, { error: 'must be an activation name or function' }),
});

/** Keyword arguments of `Activation`. */
export type ActivationOptions = Omit<KerasOptions<typeof activationSchema>, 'activation'>;

export class ActivationLayer extends Layer implements ActivatedLayer {
  static readonly class_name = 'Activation';
  readonly activation: EngineActivation;

  /**
   * @param activation a Keras name (`'relu'`, `'softmax'`...) or a function.
   * @param options.name / input_shape as for every layer.
   */
  constructor(activation: ActivationIdentifier | (ActivationOptions & { activation: ActivationIdentifier }), options?: ActivationOptions) {
    const args = parseArgs('Activation', activationSchema, ['activation'], [activation, options]);
    super(args, 'activation');
    // As in Keras, a mask passes through this layer unchanged.
    this.supports_masking = true;
    this.activation = getActivation(args.activation);
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return this.activation.forward(inputs);
  }

  override forward(inputs: tf.Tensor, _training = false): ForwardPass<ActivationSaved> {
    const a = this.activation.forward(inputs);
    return { inputs, outputs: a, saved: { z: inputs, a } };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<ActivationSaved>, needInputGradient: boolean): Gradients {
    if (!needInputGradient) return { inputGradient: null, weightGradients: [] };
    return { inputGradient: backwardThroughActivation(this.activation, dOutputs, pass.saved!), weightGradients: [] };
  }

  backwardFromDelta(delta: tf.Tensor, _pass: ForwardPass<ActivationSaved>, needInputGradient: boolean): Gradients {
    return { inputGradient: needInputGradient ? delta : null, weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), activation: activationConfig(this.activation) };
  }
}

export const Activation = callable(ActivationLayer);
export type Activation = ActivationLayer;
