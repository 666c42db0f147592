// A stand-in for @tensorflow/tfjs-node (whose install downloads libtensorflow): it registers a
// backend named 'tensorflow' that runs tfjs-backend-cpu's kernels, as the real one registers
// its native kernels under that name.
const tf = require('@tensorflow/tfjs-core');
const { MathBackendCPU } = require('@tensorflow/tfjs-backend-cpu');
for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);
