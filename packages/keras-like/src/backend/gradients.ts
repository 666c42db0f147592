/**
 * TensorFlow.js autodiff (`tf.grads`) needs each op's gradient registered, and
 * tfjs-core's Node bundle ships without them: they live only in its ES-module
 * build (`dist/register_all_gradients.js`), whose relative imports omit the `.js`
 * that Node's and Deno's loaders require. keras-like uses autodiff as the reference in
 * tests and as the fallback backward for user-supplied layers and activations, so
 * scripts/bundle-gradients.mjs bundles that module (with the method-style ops,
 * `t.add(1)`, which tfjs-core's types declare but its Node bundle does not install)
 * into one plain file, generated/tfjs_gradients.js, when the repository is installed
 * and before every build. The gradients register in tfjs's global registry and the
 * methods patch tfjs's global Tensor class, which the Node bundle shares.
 */
import './generated/tfjs_gradients.js';
