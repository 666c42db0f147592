// tfjs_gradients.js is written by scripts/bundle-gradients.mjs (see ../gradients.ts) and exports
// nothing. The methods it installs on tensors are typed by tfjs-core's own augmentation:
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
