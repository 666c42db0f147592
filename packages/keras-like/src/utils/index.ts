/** `keras.utils`. */
export { set_random_seed } from './random.js';
