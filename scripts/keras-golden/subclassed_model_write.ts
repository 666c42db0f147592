/**
 * Writes the subclassed-model `.keras` files that scripts/keras-golden/subclassed_model.py loads in
 * real Keras 3: TwoDense and Tower (packages/keras-like/test/saving/subclass_models.ts, the same
 * classes as the Python script), trained 3 epochs with Adam by keras-like (autodiff). Run it before
 * subclassed_model.py:
 *   pnpm exec tsx scripts/keras-golden/subclassed_model_write.ts
 * It writes test/fixtures/keras-files/keras_like_subclass_{two_dense,tower}.keras.
 */
import { fileURLToPath } from 'node:url';
import { keras, tf } from 'keras-like';
import { Tower, TwoDense } from '../../packages/keras-like/test/saving/subclass_models.js';

const file = (name: string) => fileURLToPath(new URL(`../../test/fixtures/keras-files/${name}`, import.meta.url));
keras.utils.set_random_seed(23);
const x = tf.randomNormal([16, 3], 0, 1, 'float32', 24);
const y = tf.randomNormal([16, 2], 0, 1, 'float32', 25);
const models = {
  two_dense: new TwoDense({ hidden: 5, name: 'two_dense' }),
  tower: new Tower({ head: keras.layers.Dense(2, { name: 'tower_head' }), depth: 2, name: 'tower' }),
};
for (const [name, model] of Object.entries(models)) {
  model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mean_squared_error' });
  model.fit(x, y, { epochs: 3, batch_size: 8, verbose: 0, shuffle: false });
  const out = file(`keras_like_subclass_${name}.keras`);
  model.save(out);
  console.log(`wrote ${out}`);
}
