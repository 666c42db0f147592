/**
 * TensorFlow.js autodiff (`tf.grads`) needs each op's gradient registered, and
 * tfjs-core's Node bundle ships without them: they live only in its ES-module
 * build (`dist/register_all_gradients.js`), whose relative imports omit the `.js`
 * that Node's loader requires. keras-like uses autodiff as the reference in tests
 * and as the fallback backward for user-supplied layers and activations, so it
 * loads that module once at import time, with a resolve hook that adds the
 * extension inside tfjs-core's `dist/` only. The gradients register in tfjs's
 * global registry, which the Node bundle shares.
 */
import { register } from 'node:module';

const RESOLVE_HOOK = `
export async function resolve(specifier, context, nextResolve) {
  const inTfjsCore = context.parentURL !== undefined && context.parentURL.includes('/tfjs-core/dist/');
  if (inTfjsCore && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    try {
      return await nextResolve(specifier + '.js', context);
    } catch {
      // Not a file with that name: let Node resolve it as given.
    }
  }
  return nextResolve(specifier, context);
}`;

let loaded: Promise<void> | undefined;

/** Registers every tfjs-core gradient and the method-style ops on tensors; idempotent. */
export function registerGradients(): Promise<void> {
  loaded ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    // Method-style ops (`t.add(1)`, `t.greater(0.5)`), which tfjs-core's types declare but its
    // Node bundle does not install; they patch tfjs's global Tensor class, which both builds share.
    await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
  })();
  return loaded;
}
