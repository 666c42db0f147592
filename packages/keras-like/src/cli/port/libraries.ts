/**
 * Calls into Python libraries, by the called function's Python path: keras (kept as written,
 * keras-like has Keras's layout), NumPy (numpy.ts), scikit-learn and pandas (keras-like's
 * `sklearn` and `pandas` helpers), TensorFlow, `math`; matplotlib and the rest stay Python.
 */
import type { Ctx } from './translate_context.js';
import { untranslatable } from './context.js';
import { NUMBER, UNKNOWN, object, rankOf, tensor, type Kind } from './kinds.js';
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
  if (path === 'keras.utils.normalize') return args.positional[0]?.kind ?? tensor();
  if (path.startsWith('keras.backend.')) return /^[a-z]/.test(name) && name !== 'clear_session' ? tensor(rankOf(args.positional[0]?.kind ?? UNKNOWN)) : UNKNOWN;
  return /^[A-Z]/.test(name) ? object(name) : UNKNOWN;
}

function kerasCall(ctx: Ctx, path: string, calleeNode: SyntaxNode, args: Args): Value {
  ctx.assertKeras(path);
  return value(callCode(ctx.moduleCode(calleeNode, path), args), kerasKind(path, args));
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
