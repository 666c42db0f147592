/**
 * What Keras keeps on a variable and TensorFlow.js does not: its constraint and
 * its weight-decay path. Layers record it when they create a weight; optimizers
 * read it after each update (constraints run after the step, as in Keras).
 */
import type * as tf from '@tensorflow/tfjs-core';

export type ConstraintFn = (weight: tf.Tensor) => tf.Tensor;

const constraints = new WeakMap<tf.Variable, ConstraintFn>();

export function setVariableConstraint(variable: tf.Variable, constraint: ConstraintFn | null | undefined): void {
  if (constraint) constraints.set(variable, constraint);
  else constraints.delete(variable);
}

export function variableConstraint(variable: tf.Variable): ConstraintFn | undefined {
  return constraints.get(variable);
}
