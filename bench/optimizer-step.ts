/**
 * W3: one Adam step, keras-like's `optimizers.Adam` against TensorFlow.js's own
 * `tf.train.adam`, on the same backend, the same variables and the same gradients.
 *
 *   KERAS_LIKE_BACKEND=wasm npx -y pnpm@12.4.2 exec tsx bench/optimizer-step.ts
 *   KERAS_LIKE_BACKEND=cpu  npx -y pnpm@12.4.2 exec tsx bench/optimizer-step.ts [--quick]
 *
 * Two shapes of work: ~1M parameters in 4 variables (kernel-bound), and the
 * 8-12-8-1 classroom net (dispatch-bound). The contenders run in alternating
 * blocks (A B, B A, ...) so drift in machine load hits both alike; the medians of
 * the blocks are compared. Ratio = tf.train.adam time / keras-like time (> 1: keras-like is faster).
 */
import { optimizers, tf } from 'keras-like';

interface Workload {
  name: string;
  shapes: number[][];
  stepsPerBlock: number;
}

const quick = process.argv.includes('--quick');
const blocks = quick ? 4 : 10;

const WORKLOADS: Workload[] = [
  // a 784-1024-192 MLP's weights: 1,000,640 parameters
  { name: '~1M parameters (784x1024, 1024, 1024x192, 192)', shapes: [[784, 1024], [1024], [1024, 192], [192]], stepsPerBlock: quick ? 3 : 10 },
  // the seed notebook's Pima net: 8-12-8-1, 221 parameters in 6 variables
  { name: 'classroom net 8-12-8-1 (221 parameters)', shapes: [[8, 12], [12], [12, 8], [8], [8, 1], [1]], stepsPerBlock: quick ? 200 : 1000 },
];

/** Deterministic values in [-0.5, 0.5): both contenders see the same numbers. */
function filled(shape: number[], seed: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (((i * 2654435761 + seed * 40503) >>> 0) % 1000) / 1000 - 0.5;
  return tf.tensor(values, shape);
}

interface Contender {
  label: string;
  step(): void;
  /** Forces the backend to finish (a host read of one variable). */
  sync(): void;
  dispose(): void;
}

function kerasLike(workload: Workload, gradients: tf.Tensor[]): Contender {
  const variables = workload.shapes.map((shape, k) => tf.variable(filled(shape, k)));
  const optimizer = optimizers.Adam({ learning_rate: 0.001 });
  const pairs = gradients.map((g, k) => [g, variables[k]!] as [tf.Tensor, tf.Variable]);
  return {
    label: 'keras-like optimizers.Adam',
    step: () => optimizer.apply_gradients(pairs),
    sync: () => void variables[0]!.dataSync(),
    dispose: () => tf.dispose(variables),
  };
}

function tfjsAdam(workload: Workload, gradients: tf.Tensor[]): Contender {
  const variables = workload.shapes.map((shape, k) => tf.variable(filled(shape, k)));
  // Keras's defaults, including epsilon 1e-7 (tf.train.adam's own default is 1e-8).
  const optimizer = tf.train.adam(0.001, 0.9, 0.999, 1e-7);
  const named = variables.map((v, k) => ({ name: v.name, tensor: gradients[k]! }));
  return {
    label: 'tf.train.adam',
    step: () => optimizer.applyGradients(named),
    sync: () => void variables[0]!.dataSync(),
    dispose: () => {
      optimizer.dispose();
      tf.dispose(variables);
    },
  };
}

function timeBlock(contender: Contender, steps: number): number {
  const start = performance.now();
  for (let i = 0; i < steps; i++) contender.step();
  contender.sync();
  return (performance.now() - start) / steps;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function formatMs(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

console.log(`W3 optimizer step: Adam, backend ${tf.getBackend()}, ${blocks} alternating blocks${quick ? ' (quick)' : ''}`);
for (const workload of WORKLOADS) {
  const gradients = workload.shapes.map((shape, k) => filled(shape, 100 + k));
  const contenders = [kerasLike(workload, gradients), tfjsAdam(workload, gradients)];
  for (const c of contenders) timeBlock(c, Math.max(2, Math.floor(workload.stepsPerBlock / 5))); // warm-up (JIT, kernels)
  const times = contenders.map(() => [] as number[]);
  for (let b = 0; b < blocks; b++) {
    const order = b % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) times[i]!.push(timeBlock(contenders[i]!, workload.stepsPerBlock));
  }
  const [ours, theirs] = times.map(median) as [number, number];
  console.log(`\n${workload.name}`);
  contenders.forEach((c, i) => console.log(`  ${c.label.padEnd(28)} ${formatMs(median(times[i]!)).padStart(10)} per step (median of ${blocks} blocks)`));
  console.log(`  ratio tf.train.adam / keras-like: ${(theirs / ours).toFixed(2)}x`);
  contenders.forEach((c) => c.dispose());
  tf.dispose(gradients);
}
