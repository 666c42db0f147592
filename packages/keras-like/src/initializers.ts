/**
 * `keras.initializers`: how a layer's weights start, as in Keras 3
 * (keras/src/initializers/). An initializer is called like a function,
 * `init(shape)` → a new `tf.Tensor`:
 *
 *   Dense(64, { kernel_initializer: 'he_uniform' })
 *   Dense(64, { kernel_initializer: keras.initializers.RandomUniform({ minval: 0, maxval: 1 }) })
 *
 * One file per family under ./initializers/.
 */
export { Initializer } from './initializers/initializer.js';
export * from './initializers/random.js';
export * from './initializers/variance_scaling.js';
export * from './initializers/constant.js';
export * from './initializers/orthogonal.js';
export * from './initializers/get.js';
import { Constant, Identity, Ones, Zeros } from './initializers/constant.js';
import { Orthogonal } from './initializers/orthogonal.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './initializers/random.js';
import { GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, VarianceScaling } from './initializers/variance_scaling.js';

// Keras 2 / TF2 lower-case factory names (`keras.initializers.glorot_uniform(seed=1)`).
export {
  GlorotUniform as glorot_uniform,
  GlorotNormal as glorot_normal,
  HeUniform as he_uniform,
  HeNormal as he_normal,
  LecunUniform as lecun_uniform,
  LecunNormal as lecun_normal,
  RandomUniform as random_uniform,
  RandomNormal as random_normal,
  TruncatedNormal as truncated_normal,
  Zeros as zeros,
  Ones as ones,
  Constant as constant,
  Identity as identity,
  Orthogonal as orthogonal,
  VarianceScaling as variance_scaling,
};
