/**
 * `keras.datasets`: Keras's built-in datasets, read from the files Keras caches
 * (`~/.keras/datasets/`; see cache.ts). Nothing is downloaded.
 */
export * as mnist from './mnist.js';
export * as fashion_mnist from './fashion_mnist.js';
export * as cifar10 from './cifar10.js';
export * as cifar100 from './cifar100.js';
export * as imdb from './imdb.js';
export * as reuters from './reuters.js';
export * as boston_housing from './boston_housing.js';
