/**
 * `keras-like port`, statement by statement. The expected TypeScript is PORTING_SPEC's (§1, §2,
 * §7 tables) and docs/porting.md's hand ports, written by people before the command existed.
 */
import { describe, expect, it } from 'vitest';
import { port, portCells } from './port_helpers.js';

const IMPORTS = [
  'from tensorflow import keras',
  'from keras.models import Sequential',
  'from keras.layers import Dense',
  'from tensorflow.keras import optimizers',
  'import numpy as np',
].join('\n');
const MODEL = 'model = Sequential()\nmodel.add(Dense(1, input_shape=(10,)))';

/** The cell's lines without comments and blank lines. */
function code(ts: string): string[] {
  return ts.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('//'));
}

describe('imports (PORTING_SPEC §1)', () => {
  it('map to named imports from keras-like, and to destructuring where keras-like has no top-level name', () => {
    const [ts] = portCells([
      [
        'from tensorflow import keras',
        'from tensorflow.keras import optimizers',
        'from keras.models import Sequential',
        'from keras.layers import Dense, Dropout',
        'from keras import backend as K',
        'import tensorflow as tf',
        'from keras.callbacks import EarlyStopping',
        'from tensorflow.keras.utils import to_categorical',
        'from sklearn.datasets import make_moons',
      ].join('\n'),
    ]).code;
    expect(code(ts!)).toEqual([
      "import { keras, optimizers, Sequential, Dense, Dropout, backend as K, tf, sklearn } from 'keras-like';",
      'const { EarlyStopping } = keras.callbacks;',
      'const { to_categorical } = keras.utils;',
      'const { make_moons } = sklearn.datasets;',
    ]);
  });

  it('a Keras name keras-like lacks stays Python, with the reason', () => {
    const ts = port('from tensorflow.keras.layers import Conv3D');
    expect(ts).toContain('// TODO(port): `keras.layers.Conv3D` is not in keras-like');
    expect(ts).toContain('// from tensorflow.keras.layers import Conv3D');
  });

  it('imports names the notebook uses without importing them (S10 uses Sequential and Dense unimported)', () => {
    const { code: cells, result } = portCells(['model = Sequential()\nmodel.add(Dense(64))']);
    expect(code(cells[0]!)[0]).toBe("import { Sequential, Dense } from 'keras-like';");
    expect(result.implicitImports).toEqual(['Sequential', 'Dense']);
  });

  it("the Deno kernel imports 'npm:keras-like' and the notebook names its kernel", () => {
    const { code: cells, json } = portCells(['from tensorflow import keras'], 'deno');
    expect(cells[0]).toBe("import { keras } from 'npm:keras-like';");
    expect(json.metadata.kernelspec).toEqual({ display_name: 'Deno', language: 'typescript', name: 'deno' });
  });
});

describe('calls and values (PORTING_SPEC §2 and §7)', () => {
  const cases: [string, string][] = [
    ['model2 = Sequential()', 'const model2 = Sequential();'],
    [
      "model.add(Dense(64, kernel_initializer='uniform', input_shape=(10,), activation='softmax'))",
      "model.add(Dense(64, { kernel_initializer: 'uniform', input_shape: [10], activation: 'softmax' }));",
    ],
    ['sgd = optimizers.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)', 'const sgd = optimizers.SGD({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true });'],
    ["model.compile(loss='mean_squared_error', optimizer='sgd')", "model.compile({ loss: 'mean_squared_error', optimizer: 'sgd' });"],
    [
      "model.compile(keras.optimizers.Adam(learning_rate=0.9), 'mean_squared_error')",
      "model.compile(keras.optimizers.Adam({ learning_rate: 0.9 }), 'mean_squared_error');",
    ],
    ['keras.optimizers.Adadelta(learning_rate=1.0, rho=0.95)', 'keras.optimizers.Adadelta({ learning_rate: 1.0, rho: 0.95 });'],
    ['sgd = optimizers.SGD(lr=0.01, clipnorm=1.)', 'const sgd = optimizers.SGD({ lr: 0.01, clipnorm: 1.0 });'],
    ['model.fit(x, y, epochs=150, batch_size=10)', 'model.fit(x, y, { epochs: 150, batch_size: 10 });'],
    [
      'history = model.fit(x, y, validation_data=(x, y), epochs=500, verbose=0)',
      'const history = model.fit(x, y, { validation_data: [x, y], epochs: 500, verbose: 0 });',
    ],
    ['_, accuracy = model.evaluate(x, y)', 'const [, accuracy] = model.evaluate(x, y);'],
    ['m, b = model.get_weights()', 'const [m, b] = model.get_weights();'],
    [
      'y2 = keras.activations.relu(x, alpha=0.0, max_value=None, threshold=0)',
      'const y2 = keras.activations.relu(x, { alpha: 0.0, max_value: null, threshold: 0 });',
    ],
    ['init = keras.initializers.RandomUniform(minval=0, maxval=1)', 'const init = keras.initializers.RandomUniform({ minval: 0, maxval: 1 });'],
    [
      "layer = Dense(8, kernel_regularizer=keras.regularizers.l2(0.01), bias_regularizer='l2')",
      "const layer = Dense(8, { kernel_regularizer: keras.regularizers.l2(0.01), bias_regularizer: 'l2' });",
    ],
    [
      "es = keras.callbacks.EarlyStopping(monitor='val_accuracy', patience=100)",
      "const es = keras.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 100 });",
    ],
    ['y_c = keras.utils.to_categorical(y)', 'const y_c = keras.utils.to_categorical(y);'],
    ['keras.backend.clear_session()', 'keras.backend.clear_session();'],
    ["model.fit(x, y, class_weight={0: 1., 1: 3.}, shuffle=False)", 'model.fit(x, y, { class_weight: { 0: 1.0, 1: 3.0 }, shuffle: false });'],
  ];
  const data = 'x = np.zeros((4, 10))\ny = np.zeros((4,))';
  for (const [python, typescript] of cases) {
    it(python, () => {
      expect(code(port(python, IMPORTS, MODEL, data))).toEqual([typescript]);
    });
  }
});

describe('printing (docs/porting.md §2 #8, §13)', () => {
  it("'%.2f' % x and f-strings become template literals", () => {
    const setup = [IMPORTS, MODEL, 'x = np.zeros((4, 10))\ny = np.zeros((4,))\n_, accuracy = model.evaluate(x, y)'];
    expect(code(port("print('Accuracy: %.2f' % (accuracy*100))", ...setup))).toEqual(['console.log(`Accuracy: ${(accuracy * 100).toFixed(2)}`);']);
    expect(code(port("print('Train: %.3f, Test: %d' % (accuracy, 3))", ...setup))).toEqual(['console.log(`Train: ${accuracy.toFixed(3)}, Test: ${Math.trunc(3).toString()}`);']);
    expect(code(port('print(f"Puntaje: {accuracy:.3f}")', ...setup))).toEqual(['console.log(`Puntaje: ${accuracy.toFixed(3)}`);']);
    expect(code(port('print(f"Shape: {x.shape}")', ...setup))).toEqual(["console.log(`Shape: (${x.shape.join(', ')})`);"]);
    expect(code(port('m, b = model.get_weights()\nprint(f"{b[0],m[0][0]}")', ...setup))).toEqual([
      'const [m, b] = model.get_weights();',
      'console.log(`(${(b.arraySync() as number[])[0]}, ${(m.arraySync() as number[][])[0][0]})`);',
    ]);
  });
});

describe('NumPy (docs/porting.md §12)', () => {
  const cases: [string, string[]][] = [
    ['a = np.array([[1, 2], [3, 4]])', ["const a = tf.tensor([[1, 2], [3, 4]]);"]],
    ['a = np.zeros((3, 2))', ['const a = tf.zeros([3, 2]);']],
    ['a = np.linspace(-3, 3, 100)', ['const a = tf.linspace(-3, 3, 100);']],
    ['a = np.random.uniform(low=-10.0, high=10, size=(2000,))', ['const a = tf.randomUniform([2000], -10.0, 10);']],
    ['a = 10*np.random.rand(100)', ['const a = tf.mul(10, tf.randomUniform([100]));']],
    ['a = X[:, 0:8]', ['const a = X.slice([0, 0], [-1, 8]);']],
    ['a = X[:, 8]', ['const a = tf.gather(X, 8, 1);']],
    ['a, b = X[:500, :], X[500:, :]', ['const [a, b] = [X.slice([0, 0], [500, -1]), X.slice([500, 0])];']],
    ['a = X.reshape(-1, 1)', ['const a = X.reshape([-1, 1]);']],
    ['a = X.mean(axis=0)', ['const a = tf.mean(X, 0);']],
    ['a = np.argmax(X, axis=1)', ['const a = tf.argMax(X, 1);']],
    ['a = (X > 0.5).astype(int)', ["const a = tf.cast(tf.greater(X, 0.5), 'int32');"]],
    ['n = len(X)', ['const n = X.shape[0]!;']],
    ['np.random.seed(7)', ['keras.utils.set_random_seed(7);']],
    ['a = np.exp(2.0)', ['const a = Math.exp(2.0);']],
  ];
  for (const [python, typescript] of cases) {
    it(python, () => {
      expect(code(port(python, IMPORTS, 'X = np.zeros((1000, 9))'))).toEqual(typescript);
    });
  }

  it('X -= X.mean(axis=0) gives the name a new tensor (declared with let)', () => {
    const { code: cells } = portCells([IMPORTS, 'X = np.ones((4, 2))\nX -= X.mean(axis=0)']);
    expect(code(cells[1]!)).toEqual(["import { tf } from 'keras-like';", 'let X = tf.ones([4, 2]);', 'X = tf.sub(X, tf.mean(X, 0));']);
  });

  it("y[np.where(y == 0)] = -1 becomes tf.where on the whole array", () => {
    expect(code(port('y[np.where(y == 0)] = -1', IMPORTS, 'y = np.zeros((10,))'))).toEqual(['y = tf.where(tf.equal(y, 0), tf.fill(y.shape, -1), y);']);
  });

  it('boolean-mask reads stay Python, saying why', () => {
    expect(port('a = X[y == 0, 0]', IMPORTS, 'X = np.zeros((10, 2))\ny = np.zeros((10,))')).toContain(
      '// TODO(port): boolean-mask indexing (`X[y == 0, 0]`): TensorFlow.js has only the asynchronous tf.booleanMaskAsync',
    );
  });
});

describe('Python statements', () => {
  it('def with defaults, keyword arguments matched to parameters, return', () => {
    const { code: cells } = portCells([
      IMPORTS,
      "def build_model(loss = 'mean_squared_error'):\n  model = keras.models.Sequential()\n  model.compile(loss=loss, optimizer='sgd')\n  return model",
      "model = build_model(loss = 'mean_absolute_error')",
    ]);
    expect(code(cells[1]!)).toEqual([
      "function build_model(loss = 'mean_squared_error') {",
      '  const model = keras.models.Sequential();',
      "  model.compile({ loss: loss, optimizer: 'sgd' });",
      '  return model;',
      '}',
    ]);
    expect(code(cells[2]!)).toEqual(["const model = build_model('mean_absolute_error');"]);
  });

  it('for over range and over a list, list.append, a list declared with the type of what is appended', () => {
    const { code: cells } = portCells([
      'lambdas = [1e-1, 1e-2]\ntrain_set = list()\nfor val in lambdas:\n  train_set.append(val * 2)\nfor i in range(5):\n  print(i)',
    ]);
    expect(code(cells[0]!)).toEqual([
      'const lambdas = [1e-1, 1e-2];',
      'const train_set: number[] = [];',
      'for (const val of lambdas) {',
      '  train_set.push(val * 2);',
      '}',
      'for (let i = 0; i < 5; i++) {',
      '  console.log(i);',
      '}',
    ]);
  });

  it('list comprehensions, sum and the last expression of a cell shown', () => {
    expect(code(port('logits = [2.0, 1.0, 0.1]\nexps = [np.exp(i) for i in logits]\nsum(exps)', IMPORTS))).toEqual([
      'const logits = [2.0, 1.0, 0.1];',
      'const exps = logits.map((i) => Math.exp(i));',
      'console.log(exps.reduce((a, b) => a + b, 0));',
    ]);
  });

  it("plots of history.history become plot_history; other plots stay comments", () => {
    const setup = [IMPORTS, MODEL, 'x = np.zeros((4, 10))\ny = np.zeros((4,))\nhistory = model.fit(x, y)', 'import matplotlib.pyplot as plt'];
    const ts = port(
      "plt.plot(history.history['loss'], label='train')\nplt.plot(history.history['val_loss'], label='test')\nplt.title('model loss')\nplt.legend()\nplt.show()",
      ...setup,
    );
    expect(code(ts)).toEqual(["await keras.utils.plot_history(history, { path: 'plot_cell5.png', metrics: ['loss'], title: 'model loss' });"]);
    const scatter = port('plt.scatter(x, y)\nplt.show()', ...setup);
    expect(scatter.split('\n')[0]).toBe('// TODO(port): matplotlib plot: only plots of history.history become keras.utils.plot_history');
  });

  it('code that uses a name defined by kept code is kept too, naming it', () => {
    const { result, code: cells } = portCells(['from scipy.stats import pearsonr\ncorr, _ = pearsonr([1, 2], [2, 3])\nprint(corr)']);
    expect(cells[0]).toContain('// TODO(port): `scipy.stats.pearsonr` (SciPy) has no keras-like equivalent');
    expect(cells[0]).toContain('// TODO(port): uses `corr`, defined by code that stayed Python (cell 1)');
    expect(result.cells[0]!.status).toBe('kept');
  });

  it('markdown cells, LaTeX included, are kept verbatim', () => {
    const markdown = 'La pérdida es $$\\mathcal{L} = \\frac{1}{N}\\sum_i (y_i - \\hat y_i)^2$$\n\n* item';
    const { json } = portCells([{ markdown }, 'x = 1']);
    expect(json.cells[0]!.source.join('')).toBe(markdown);
    expect(json.metadata.kernelspec).toEqual({ display_name: 'TypeScript', language: 'typescript', name: 'tslab' });
  });
});

describe("the course's second half (S14 CNN, S16 and S17 RNN)", () => {
  it('nested unpacking of load_data(), and the split arrays are tensors (S14 cells 44–47, 71)', () => {
    const ts = port(
      [
        'fashion_mnist = keras.datasets.fashion_mnist',
        '(X_train_full, y_train_full), (X_test, y_test) = fashion_mnist.load_data()',
        'X_valid, X_train = X_train_full[:5000] / 255.0, X_train_full[5000:] / 255.0',
        'X_train1 = X_train.reshape(55000,28,28,1)',
      ].join('\n'),
      'from tensorflow import keras',
    );
    expect(code(ts)).toEqual([
      "import { tf } from 'keras-like';",
      'const fashion_mnist = keras.datasets.fashion_mnist;',
      'const [[X_train_full, y_train_full], [X_test, y_test]] = fashion_mnist.load_data();',
      'const [X_valid, X_train] = [tf.div(X_train_full.slice(0, 5000), 255.0), tf.div(X_train_full.slice(5000), 255.0)];',
      'const X_train1 = X_train.reshape([55000, 28, 28, 1]);',
    ]);
  });

  it("Conv2D's kernel_size given by keyword after filters moves to its position; tuples become arrays (S14 cell 75)", () => {
    const ts = port(
      "mod = keras.models.Sequential([keras.layers.Conv2D(filters=64, kernel_size=3, strides=(1,1), padding='valid'), keras.layers.Conv2D(32, kernel_size=(3, 3), activation='relu'), keras.layers.MaxPooling2D(pool_size=(2,2), strides=None)])",
      'from tensorflow import keras',
    );
    expect(code(ts)).toEqual([
      "const mod = keras.models.Sequential([keras.layers.Conv2D({ filters: 64, kernel_size: 3, strides: [1, 1], padding: 'valid' }), keras.layers.Conv2D(32, [3, 3], { activation: 'relu' }), keras.layers.MaxPooling2D({ pool_size: [2, 2], strides: null })]);",
    ]);
  });

  it("Keras 2's keras.layers.embeddings module is keras.layers; LSTM's input_shape with None, TimeDistributed (S16)", () => {
    const ts = port(
      [
        'from keras.layers.embeddings import Embedding',
        'from keras.layers import LSTM, TimeDistributed, Dense',
        'from keras.models import Sequential',
        'model = Sequential()',
        'model.add(Embedding(100, 8, input_length=4))',
        'model.add(LSTM(20, return_sequences=True, input_shape=[None, 1]))',
        'model.add(TimeDistributed(Dense(10)))',
      ].join('\n'),
    );
    expect(code(ts)).toEqual([
      "import { Embedding, LSTM, TimeDistributed, Dense, Sequential } from 'keras-like';",
      'const model = Sequential();',
      'model.add(Embedding(100, 8, { input_length: 4 }));',
      'model.add(LSTM(20, { return_sequences: true, input_shape: [null, 1] }));',
      'model.add(TimeDistributed(Dense(10)));',
    ]);
  });

  it("imdb's reviews are lists until pad_sequences makes them a tensor: declared `any`, each use by its own kind (S16 cells 46–50)", () => {
    const ts = port(
      [
        '(X_train, y_train), (X_test, y_test) = keras.datasets.imdb.load_data(num_words=10000)',
        'X_train.shape',
        'np.shape(X_train[0])',
        'X_train = pad_sequences(X_train, maxlen=500)',
        'X_train.shape',
      ].join('\n'),
      'from tensorflow import keras\nfrom keras.preprocessing.sequence import pad_sequences\nimport numpy as np',
    );
    expect(code(ts)).toEqual([
      "import { tf } from 'keras-like';",
      'let X_train: any;',
      'let y_train: tf.Tensor;',
      'let X_test: number[][];',
      'let y_test: tf.Tensor;',
      '[[X_train, y_train], [X_test, y_test]] = keras.datasets.imdb.load_data({ num_words: 10000 });',
      '[X_train.length];', // only a cell's last expression is shown, as in Jupyter
      '[X_train[0].length];',
      'X_train = pad_sequences(X_train, { maxlen: 500 });',
      'console.log(X_train.shape);',
    ]);
  });

  it("Tokenizer's methods as Keras names them; pandas.read_csv options keras-like lacks stay Python, named (S16, S17)", () => {
    const tokens = port("t = Tokenizer()\nt.fit_on_texts(['a b', 'b c'])\nseq = t.texts_to_sequences(['a b'])", 'from keras.preprocessing.text import Tokenizer');
    expect(code(tokens)).toEqual(['const t = Tokenizer();', "t.fit_on_texts(['a b', 'b c']);", "const seq = t.texts_to_sequences(['a b']);"]);
    const csv = port("df = pd.read_csv('data.csv', skiprows=6, skipfooter=9)", 'import pandas as pd');
    expect(csv).toContain("// TODO(port): pandas.read_csv's `skiprows`, `skipfooter` (keras-like's read_csv takes sep and header)");
  });
});
