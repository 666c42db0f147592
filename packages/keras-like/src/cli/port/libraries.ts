/**
 * Calls into Python libraries, by the called function's Python path: keras (kept as written,
 * keras-like has Keras's layout), NumPy (numpy.ts), scikit-learn and pandas (keras-like's
 * `sklearn` and `pandas` helpers), TensorFlow, `math`; matplotlib and the rest stay Python.
 */
import type { Ctx } from './translate_context.js';
import { untranslatable } from './context.js';
import { NUMBER, UNKNOWN, list, object, rankOf, tensor, type Kind } from './kinds.js';
import type { SyntaxNode } from './python.js';
import { value, type Value } from './expressions.js';
import { callCode, readArgs, type Args } from './calls.js';
import { localPath, numpyCall } from './numpy.js';
import { libraryName } from './imports.js';

/** The scikit-learn and pandas functions keras-like's helpers provide, by Python path. */
export const SKLEARN_HELPERS: Record<string, { ts: string; kind: (args: Args) => Kind }> = {
  'sklearn.datasets.make_moons': { ts: 'sklearn.datasets.make_moons', kind: () => ({ type: 'tuple', items: [tensor(2), tensor(1)] }) },
  'sklearn.datasets.make_circles': { ts: 'sklearn.datasets.make_circles', kind: () => ({ type: 'tuple', items: [tensor(2), tensor(1)] }) },
  'sklearn.datasets.make_blobs': { ts: 'sklearn.datasets.make_blobs', kind: () => ({ type: 'tuple', items: [tensor(2), tensor(1)] }) },
  'sklearn.datasets.make_regression': { ts: 'sklearn.datasets.make_regression', kind: () => ({ type: 'tuple', items: [tensor(2), tensor(1)] }) },
  'sklearn.datasets.load_iris': { ts: 'sklearn.datasets.load_iris', kind: () => object('Bunch') },
  'sklearn.model_selection.train_test_split': {
    ts: 'sklearn.model_selection.train_test_split',
    kind: (args) => ({ type: 'tuple', items: args.positional.flatMap((a) => [tensor(rankOf(a.kind)), tensor(rankOf(a.kind))]) }),
  },
  'sklearn.preprocessing.StandardScaler': { ts: 'sklearn.preprocessing.StandardScaler', kind: () => object('StandardScaler') },
  'sklearn.preprocessing.MinMaxScaler': { ts: 'sklearn.preprocessing.MinMaxScaler', kind: () => object('MinMaxScaler') },
  'sklearn.metrics.confusion_matrix': { ts: 'sklearn.metrics.confusion_matrix', kind: () => tensor(2) },
  'pandas.read_csv': { ts: 'pandas.read_csv', kind: () => object('DataFrame') },
};

/** The keras-like namespace and member for a helper path (`sklearn.datasets.make_moons`). */
export function helperFor(path: string): { namespace: string; module: string; name: string } | undefined {
  const helper = SKLEARN_HELPERS[path];
  if (!helper) return undefined;
  const segments = helper.ts.split('.');
  return { namespace: segments[0]!, module: segments.slice(0, -1).join('.'), name: segments[segments.length - 1]! };
}

export function libraryCall(ctx: Ctx, path: string, calleeNode: SyntaxNode, argList: SyntaxNode): Value {
  const root = path.split('.')[0]!;
  if (root === 'matplotlib') return untranslatable('plot', `matplotlib's \`${shortName(path)}\`: only plots of history.history become keras.utils.plot_history`);
  if (root === 'keras') return kerasCall(ctx, path, calleeNode, readArgs(ctx, argList));
  if (root === 'numpy') return numpyCall(ctx, path.slice('numpy.'.length), readArgs(ctx, argList));
  if (root === 'tensorflow') return tensorflowCall(ctx, path, readArgs(ctx, argList));
  if (root === 'math') return mathCall(path, readArgs(ctx, argList));
  const helper = SKLEARN_HELPERS[path];
  if (helper) {
    const args = readArgs(ctx, argList);
    const direct = calleeNode.name === 'VariableName';
    const code = direct ? ctx.moduleCode(calleeNode, path) : `${ctx.usePackage(helper.ts.split('.')[0]!)}${helper.ts.slice(helper.ts.indexOf('.'))}`;
    if (path === 'pandas.read_csv') {
      // keras-like's read_csv takes the file, `sep` and `header`; pandas' other options change what is read.
      const other = args.keywords.map(([k]) => k).filter((k) => k !== 'sep' && k !== 'header');
      if (other.length > 0 || args.positional.length > 1) {
        return untranslatable('other library', `pandas.read_csv's ${other.map((k) => `\`${k}\``).join(', ') || 'positional options'} (keras-like's read_csv takes sep and header)`);
      }
    }
    if (path === 'pandas.read_csv' && args.positional[0]) {
      args.positional[0] = value(localPath(ctx, args.positional[0]), args.positional[0].kind);
    }
    return value(callCode(code, args), helper.kind(args));
  }
  return untranslatable('other library', `\`${path}\` (${libraryName(root)}) has no keras-like equivalent`);
}

function shortName(path: string): string {
  return path.replace(/^matplotlib\.pyplot\./, 'plt.');
}

/** The kind of what a keras call returns. */
function kerasKind(path: string, args: Args): Kind {
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (name === 'Sequential') return object('Sequential');
  if (path.startsWith('keras.activations.')) return tensor(rankOf(args.positional[0]?.kind ?? UNKNOWN) ?? 1);
  if (path === 'keras.utils.to_categorical') return tensor(2);
  if (name === 'pad_sequences') return tensor(2);
  if (path === 'keras.utils.normalize') return args.positional[0]?.kind ?? tensor();
  const dataset = /^keras\.datasets\.(\w+)\.load_data$/.exec(path)?.[1];
  if (dataset !== undefined) return datasetKind(dataset);
  if (path.startsWith('keras.backend.')) return /^[a-z]/.test(name) && name !== 'clear_session' ? tensor(rankOf(args.positional[0]?.kind ?? UNKNOWN)) : UNKNOWN;
  return /^[A-Z]/.test(name) ? object(name) : UNKNOWN;
}

/** `(x_train, y_train), (x_test, y_test)` of `keras.datasets.<name>.load_data()`. */
function datasetKind(name: string): Kind {
  const images: Record<string, [number, number]> = { mnist: [3, 1], fashion_mnist: [3, 1], cifar10: [4, 2], cifar100: [4, 2], boston_housing: [2, 1] };
  // imdb and reuters: each review a list of word indices (lengths differ), labels a tensor.
  const split: Kind =
    name in images ? { type: 'tuple', items: [tensor(images[name]![0]), tensor(images[name]![1])] } : { type: 'tuple', items: [list(list(NUMBER)), tensor(1)] };
  return { type: 'tuple', items: [split, split] };
}

/**
 * Keras's leading positional parameters of the layers whose TypeScript signatures take them
 * either all by position or all in the options object (PORTING_SPEC §2).
 */
const LEADING_PARAMETERS: Record<string, readonly string[]> = {
  Conv1D: ['filters', 'kernel_size'],
  Conv2D: ['filters', 'kernel_size'],
  Conv3D: ['filters', 'kernel_size'],
  Conv1DTranspose: ['filters', 'kernel_size'],
  Conv2DTranspose: ['filters', 'kernel_size'],
  SeparableConv1D: ['filters', 'kernel_size'],
  SeparableConv2D: ['filters', 'kernel_size'],
  Embedding: ['input_dim', 'output_dim'],
};

/**
 * `Conv2D(64, kernel_size=3, activation='relu')` → `Conv2D(64, 3, { activation: 'relu' })`: a
 * leading parameter given by keyword after the positional ones moves to its position.
 */
function leadingByPosition(path: string, args: Args): Args {
  const names = LEADING_PARAMETERS[path.slice(path.lastIndexOf('.') + 1)];
  if (names === undefined || args.positional.length === 0) return args;
  const positional = [...args.positional];
  const keywords = [...args.keywords];
  for (const name of names.slice(positional.length)) {
    const at = keywords.findIndex(([k]) => k === name);
    if (at < 0) break;
    positional.push(keywords.splice(at, 1)[0]![1]);
  }
  return { ...args, positional, keywords };
}

function kerasCall(ctx: Ctx, path: string, calleeNode: SyntaxNode, args: Args): Value {
  ctx.assertKeras(path);
  return value(callCode(ctx.moduleCode(calleeNode, path), leadingByPosition(path, args)), kerasKind(path, args));
}

/** `tf.random.set_seed(s)` and the few TensorFlow calls the course makes outside Keras. */
function tensorflowCall(ctx: Ctx, path: string, args: Args): Value {
  const [x] = args.positional;
  switch (path) {
    case 'tensorflow.random.set_seed':
      return value(`${ctx.useKeras()}.utils.set_random_seed(${x!.code})`, UNKNOWN);
    case 'tensorflow.constant':
    case 'tensorflow.convert_to_tensor':
      return value(`${ctx.useTf()}.tensor(${x!.code})`, tensor());
    default:
      return untranslatable('other library', `TensorFlow's \`${path.replace(/^tensorflow/, 'tf')}\` is not translated (TensorFlow.js is re-exported as \`tf\`)`);
  }
}

function mathCall(path: string, args: Args): Value {
  const name = path.slice('math.'.length);
  const fns = ['sqrt', 'exp', 'log', 'log2', 'log10', 'sin', 'cos', 'tan', 'tanh', 'floor', 'ceil', 'pow', 'atan'];
  if (!fns.includes(name)) return untranslatable('python', `\`math.${name}\``);
  return value(`Math.${name}(${args.positional.map((a) => a.code).join(', ')})`, NUMBER);
}
