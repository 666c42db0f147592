/**
 * `keras.activations`: Keras 3's activation functions (`relu`, `sigmoid`, `softmax`, ...),
 * `get` / `serialize` / `deserialize`, and the engine's `getActivation`, which pairs each
 * activation with its derivative (see docs/architecture.md, "Activation").
 */
export * from './activations/functions.js';
export { get, serialize, deserialize, getActivation, ACTIVATION_NAMES } from './activations/get.js';
export type { ActivationFunction, ActivationIdentifier } from './activations/get.js';
export type { Activation, FusedActivationName } from './activations/activation.js';
