/**
 * JavaScript collects objects, not tensors: a model a student drops (a new one per
 * loop iteration, as course notebooks do) would keep its weights on the backend for
 * the life of the process. Python Keras frees them when the model is
 * garbage-collected; keras-like does the same by disposing an owner's tensors once
 * the owner itself has been collected. `dispose()` remains the prompt way.
 */
import type * as tf from '@tensorflow/tfjs-core';

const registry = new FinalizationRegistry<tf.Tensor[]>((tensors) => {
  for (const tensor of tensors) if (!tensor.isDisposed) tensor.dispose();
});

/**
 * Disposes `tensors` after `owner` is garbage-collected. `tensors` is read at that
 * time, so the owner may keep pushing to it; it must not reference the owner.
 */
export function disposeWhenCollected(owner: object, tensors: tf.Tensor[]): void {
  registry.register(owner, tensors, owner);
}

/**
 * For owners disposed explicitly: nothing is left for the collector to do. Call it from
 * `dispose()`: the registry otherwise keeps the owner's entry (and the tensor objects it
 * lists) until its cleanup runs, which needs the event loop to turn, so a synchronous loop
 * that makes and disposes metrics or layers (a fit per iteration) would grow the heap.
 */
export function forgetOwner(owner: object): void {
  registry.unregister(owner);
}
