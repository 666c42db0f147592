/**
 * The cells of the example notebooks, one source for both kernels: each notebook is written
 * twice, for tslab (`<name>-tslab.ipynb`) and for Deno's Jupyter kernel (`<name>-deno.ipynb`),
 * with the same cells; only the kernelspec differs. test/full/example_notebooks.test.ts builds
 * them from here, executes them headless and, with KERAS_LIKE_UPDATE_NOTEBOOKS=1, writes the
 * executed notebooks (their outputs) back to this folder; it also fails when a committed
 * notebook's cells differ from these.
 *
 * - `pima`: the course's first Keras network (Pima diabetes): summary, fit's progress bar,
 *   plot_history inline, accuracy.
 * - `s10-optimizers`: the seed notebook S10 (optimizers and back-propagation), its markdown
 *   cells as the course wrote them (test/fixtures/notebooks/S10_Optimizadores_Retroproyeccion.ipynb)
 *   and its Keras cells ported (examples/s10-optimizers.ts is the script version), then two new
 *   cells: the optimizer race on a saddle (an animated GIF, inline) and the optimizers compared
 *   on Pima.
 */
import { readFileSync } from 'node:fs';

export type Kernel = 'tslab' | 'deno';

interface Cell {
  readonly cell_type: 'markdown' | 'code';
  readonly source: string;
}

const md = (source: string): Cell => ({ cell_type: 'markdown', source });
const code = (source: string): Cell => ({ cell_type: 'code', source });

/** Why the first cell awaits `keras.ready()`, said once per notebook. */
const READY_NOTE =
  '`await keras.ready()` makes the first `fit` run on wasm: tslab loads packages with `require`, which cannot wait at import ' +
  "(Deno's kernel loads the ES module, which waits by itself, so there it returns at once; see docs/backends.md).";

const PIMA: Cell[] = [
  md(
    '# Pima diabetes with keras-like\n\n' +
      "The course's first Keras network, in a TypeScript notebook (tslab or Deno's kernel: the cells are the same). " +
      READY_NOTE,
  ),
  code(
    "import { readFileSync } from 'node:fs';\n" +
      "import { keras, Sequential, Dense } from 'keras-like';\n" +
      'await keras.ready();\n' +
      "console.log('backend:', keras.backend.backend());",
  ),
  code(
    "// dataset = np.loadtxt('pima_indians_diabetes.csv', delimiter=',')\n" +
      "const dataset = readFileSync('pima_indians_diabetes.csv', 'utf8').trim().split('\\n').map((line) => line.split(',').map(Number));\n" +
      'const X = dataset.map((row) => row.slice(0, 8));\n' +
      'const y = dataset.map((row) => row[8]);\n' +
      "console.log(X.length, 'samples');",
  ),
  code(
    'keras.utils.set_random_seed(7);\n' +
      'const model = Sequential();\n' +
      "model.add(Dense(12, { input_dim: 8, activation: 'relu' }));\n" +
      "model.add(Dense(8, { activation: 'relu' }));\n" +
      "model.add(Dense(1, { activation: 'sigmoid' }));\n" +
      "model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });\n" +
      'model.summary();',
  ),
  code('const history = model.fit(X, y, { epochs: 10, batch_size: 10 });'),
  md('The curves, drawn inline as matplotlib draws them in Python (`keras.utils.plot_history`; the plotting packages are optional: see the README).'),
  code("await keras.utils.plot_history(history, { metrics: ['loss', 'accuracy'], title: 'Pima, 8-12-8-1' });"),
  code('const [, accuracy] = model.evaluate(X, y, { verbose: 0 });\nconsole.log(`Accuracy: ${(accuracy * 100).toFixed(2)}`);'),
];

/** The seed's Python cells (by index in the course notebook), ported: PORTING_SPEC's rules, one TypeScript cell each. */
const S10_CODE: Record<number, string> = {
  10:
    "import { readFileSync } from 'node:fs';\n" +
    "import { keras, tf, optimizers, plots, Sequential, Dense } from 'keras-like';\n" +
    'await keras.ready();\n\n' +
    'const model = Sequential();\n' +
    "model.add(Dense(64, { kernel_initializer: 'uniform', input_shape: [10], activation: 'softmax' }));\n" +
    '// Instanciamos previo a llamarlo en el compilador, en éste caso podemos cambiar los parámetros del optimizador\n' +
    'let sgd = optimizers.SGD({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true });\n' +
    "model.compile({ loss: 'mean_squared_error', optimizer: sgd });\n" +
    'model.summary();',
  11:
    '// dando su nombre como parámetro al compilador, en éste caso los parámetros del optimizador usados serán sus valores por defecto\n' +
    "model.compile({ loss: 'mean_squared_error', optimizer: 'sgd' });",
  12:
    '// Para llamar un gradiente estocástico\n' +
    '// SGD contiene entonces los optimizadores SGD, momentum, y Nesterov en una sola clase\n' +
    'console.log(JSON.stringify(keras.optimizers.SGD({ learning_rate: 0.01, momentum: 0.0, nesterov: false }).get_config()));',
  13:
    '// Adagrad se llamará como:\n' +
    '// el learning_rate es el valor inicial de dicho parámetro, recuerde que éste método es adaptativo\n' +
    'console.log(JSON.stringify(keras.optimizers.Adagrad({ learning_rate: 0.01 }).get_config()));',
  14:
    '// Adadelta será:\n' +
    '// El parámetro rho controla la fracción de gradientes a tener en cuenta en cada paso de optimización.\n' +
    'console.log(JSON.stringify(keras.optimizers.Adadelta({ learning_rate: 1.0, rho: 0.95 }).get_config()));',
  15:
    '// finalmente Adam\n' +
    '// donde amsgrad determina si se aplica una modificación al método o no basada en https://openreview.net/forum?id=ryQu7f-RZ\n' +
    'console.log(JSON.stringify(keras.optimizers.Adam({ learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, amsgrad: false }).get_config()));',
  17:
    '// los valores de los gradientes estarán como máximo en una norma de 1\n' +
    'sgd = optimizers.SGD({ lr: 0.01, clipnorm: 1 });\n' +
    '// los valores de los gradientes estarán mínimo en -0.5 y máximo en 0.5\n' +
    'sgd = optimizers.SGD({ lr: 0.01, clipvalue: 0.5 });\n' +
    "console.log('clipnorm:', optimizers.SGD({ lr: 0.01, clipnorm: 1 }).get_config().clipnorm, '- clipvalue:', sgd.get_config().clipvalue);",
};

/** Where the race and the comparison go: after the seed's last optimizer cell (17), before back-propagation. */
const S10_AFTER_17: Cell[] = [
  md(
    '## La carrera de optimizadores (new cell)\n\n' +
      'The GIFs above, made with these optimizers: each starts at the same point of the saddle z = x² − y² and takes ' +
      "200 steps of the notebook's training loop on two weights (`tape.gradient` → `tf.grads`, `optimizer.apply_gradients`). " +
      'SGD walks into the saddle and stalls there; momentum, and the adaptive methods (which rescale the tiny gradient along y), escape.',
  ),
  code(
    'const saddle = (x: tf.Tensor, y: tf.Tensor) => tf.sub(tf.square(x), tf.square(y));\n' +
      'const racers: Array<[string, () => keras.optimizers.Optimizer]> = [\n' +
      "  ['SGD', () => optimizers.SGD({ learning_rate: 0.01 })],\n" +
      "  ['Momentum', () => optimizers.SGD({ learning_rate: 0.01, momentum: 0.9 })],\n" +
      "  ['Nesterov', () => optimizers.SGD({ learning_rate: 0.01, momentum: 0.9, nesterov: true })],\n" +
      "  ['Adagrad', () => optimizers.Adagrad({ learning_rate: 0.1 })],\n" +
      "  ['Adadelta', () => optimizers.Adadelta({ learning_rate: 1.0, rho: 0.95 })],\n" +
      "  ['RMSprop', () => optimizers.RMSprop({ learning_rate: 0.01 })],\n" +
      "  ['Adam', () => optimizers.Adam({ learning_rate: 0.02 })],\n" +
      '];\n' +
      'const gradient = tf.grads((a: tf.Tensor, b: tf.Tensor) => saddle(a, b));\n' +
      'const paths = racers.map(([label, make]) => {\n' +
      '  const optimizer = make();\n' +
      '  const x = tf.variable(tf.scalar(1));\n' +
      '  const y = tf.variable(tf.scalar(0.001));\n' +
      '  const points: Array<[number, number]> = [[1, 0.001]];\n' +
      '  for (let step = 0; step < 200; step++) {\n' +
      '    const [gx, gy] = gradient([x, y]);\n' +
      '    optimizer.apply_gradients([[gx, x], [gy, y]]);\n' +
      '    tf.dispose([gx, gy]);\n' +
      '    points.push([x.dataSync()[0], y.dataSync()[0]]);\n' +
      '  }\n' +
      '  tf.dispose([x, y]);\n' +
      '  return { label, points };\n' +
      '});\n' +
      '// The step at which each path is 1 away from the ridge along y: it has left the saddle.\n' +
      'const race = paths.map(({ label, points }) => {\n' +
      '  const escaped = points.findIndex(([, b]) => Math.abs(b) > 1);\n' +
      "  return `${label.padEnd(8)} ${escaped === -1 ? 'still at the saddle after 200 steps' : `left the saddle at step ${escaped}`}`;\n" +
      '});\n' +
      "console.log(race.join('\\n'));",
  ),
  code(
    'await plots.plot_paths({\n' +
      "  title: 'Saddle point: z = x² − y², 200 steps from (1, 0.001)',\n" +
      '  surface: saddle, x: [-1.5, 1.5], y: [-1.5, 1.5], paths: paths,\n' +
      "  landmarks: [{ x: 0, y: 0, label: 'saddle', shape: 'cross' }, { x: 1, y: 0.001, label: 'start' }],\n" +
      '  animate: true, frames: 24,\n' +
      '});',
  ),
  md(
    '## Los optimizadores en una red (new cell)\n\n' +
      'One small network per optimizer, from the same initial weights (same seed) on the same data: the Pima diabetes ' +
      'data, each feature standardised so that one learning rate suits them all. Clipping only acts on gradients larger ' +
      'than its threshold: when none is, clipped SGD matches plain SGD.',
  ),
  code(
    "const dataset = readFileSync('pima_indians_diabetes.csv', 'utf8').trim().split('\\n').map((line) => line.split(',').map(Number));\n" +
      'const X = tf.tidy(() => {\n' +
      '  const raw = tf.tensor2d(dataset.map((row) => row.slice(0, 8)));\n' +
      '  const { mean, variance } = tf.moments(raw, 0);\n' +
      '  return tf.div(tf.sub(raw, mean), tf.sqrt(variance));\n' +
      '});\n' +
      'const y = dataset.map((row) => row[8]);\n' +
      'const contenders: Array<[string, () => keras.optimizers.Optimizer]> = [\n' +
      "  ['SGD(lr=0.01)', () => optimizers.SGD({ learning_rate: 0.01 })],\n" +
      "  ['SGD(lr=0.01, momentum=0.9)', () => optimizers.SGD({ learning_rate: 0.01, momentum: 0.9 })],\n" +
      "  ['SGD(lr=0.01, momentum=0.9, nesterov)', () => optimizers.SGD({ learning_rate: 0.01, momentum: 0.9, nesterov: true })],\n" +
      "  ['Adagrad(lr=0.01)', () => optimizers.Adagrad({ learning_rate: 0.01 })],\n" +
      "  ['Adadelta(lr=1.0, rho=0.95)', () => optimizers.Adadelta({ learning_rate: 1.0, rho: 0.95 })],\n" +
      "  ['Adam(lr=0.001)', () => optimizers.Adam({ learning_rate: 0.001 })],\n" +
      "  ['SGD(lr=0.01, clipnorm=1)', () => optimizers.SGD({ lr: 0.01, clipnorm: 1 })],\n" +
      "  ['SGD(lr=0.01, clipvalue=0.5)', () => optimizers.SGD({ lr: 0.01, clipvalue: 0.5 })],\n" +
      '];\n' +
      'const results = contenders.map(([label, make]) => {\n' +
      '  keras.utils.set_random_seed(7);\n' +
      '  const net = Sequential();\n' +
      "  net.add(Dense(12, { input_dim: 8, activation: 'relu' }));\n" +
      "  net.add(Dense(8, { activation: 'relu' }));\n" +
      "  net.add(Dense(1, { activation: 'sigmoid' }));\n" +
      "  net.compile({ loss: 'binary_crossentropy', optimizer: make(), metrics: ['accuracy'] });\n" +
      '  const losses = net.fit(X, y, { epochs: 30, batch_size: 32, verbose: 0 }).history.loss;\n' +
      '  const [, accuracy] = net.evaluate(X, y, { verbose: 0 });\n' +
      '  return `${label.padEnd(38)} loss ${losses[losses.length - 1].toFixed(4)}  accuracy ${accuracy.toFixed(4)}`;\n' +
      '});\n' +
      "console.log(results.join('\\n'));",
  ),
];

/** The seed's cells, markdown verbatim, code ported, with the new cells after cell 17. */
function s10Cells(seedPath: string): Cell[] {
  const seed = JSON.parse(readFileSync(seedPath, 'utf8')) as { cells: Array<{ cell_type: string; source: string | string[] }> };
  const cells: Cell[] = [
    md(
      '# S10: optimizers and back-propagation, in TypeScript\n\n' +
        "The course's seed notebook, its Keras cells ported to keras-like (tslab or Deno's kernel: the cells are the same). " +
        'What each optimizer computes, with Keras\'s equations: docs/optimizers.md; the four back-propagation equations in ' +
        "keras-like's code: docs/backprop.md. " +
        READY_NOTE,
    ),
  ];
  seed.cells.forEach((cell, index) => {
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    if (cell.cell_type === 'markdown') cells.push(md(source));
    else if (S10_CODE[index] !== undefined) cells.push(code(S10_CODE[index]!));
    else throw new Error(`S10 code cell ${index} has no port`);
    if (index === 17) cells.push(...S10_AFTER_17);
  });
  return cells;
}

export const NOTEBOOKS = ['pima', 's10-optimizers'] as const;
export type NotebookName = (typeof NOTEBOOKS)[number];

const KERNELSPECS = {
  tslab: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
  deno: { display_name: 'Deno', language: 'typescript', name: 'deno' },
} as const;

/** The notebook's JSON (nbformat 4.5, no outputs yet), for a kernel. `seedPath`: the S10 course notebook. */
export function notebook(name: NotebookName, kernel: Kernel, seedPath: string): object {
  const cells = name === 'pima' ? PIMA : s10Cells(seedPath);
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: KERNELSPECS[kernel],
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
    },
    cells: cells.map((cell, i) => ({
      id: `${name}-${i}`,
      cell_type: cell.cell_type,
      metadata: {},
      source: cell.source,
      ...(cell.cell_type === 'code' ? { execution_count: null, outputs: [] } : {}),
    })),
  };
}

/** The committed file of a notebook. */
export const fileName = (name: NotebookName, kernel: Kernel): string => `${name}-${kernel}.ipynb`;
