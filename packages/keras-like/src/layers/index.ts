// Filled in by its issue; see docs/architecture.md for the layout.
export {};
// Regularization and reshaping layers (issue 5).
export { Dropout } from './dropout.js';
export { Flatten } from './flatten.js';
export { Reshape } from './reshape.js';
export { GaussianNoise } from './gaussian_noise.js';
export { ActivityRegularization } from './activity_regularization.js';
