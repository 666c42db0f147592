/**
 * `model.save_weights('x.weights.h5')` and `model.load_weights(path)`: Keras 3's weights
 * file, the HDF5 tree of weights_store.ts (the layers' variables and the optimizer's state).
 * `load_weights` also reads the weights inside a `.keras` archive and TF2's legacy `.h5`;
 * `skip_mismatch` loads the layers that fit and warns about the others, as Keras 3.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseOptions, type KerasOptions } from '../options/parse.js';
import { readFileChecked, writeFileAtomic } from './files.js';
import { readHdf5, writeHdf5 } from './hdf5.js';
import { readKerasArchive } from './keras_archive.js';
import { isLegacyH5, loadLegacyWeights } from './legacy_h5.js';
import { loadModelWeightsTree, modelWeightsTree, type SaveableModel } from './weights_store.js';

/** A model whose weights can be saved: built (its layers have their variables). */
export interface WeightsModel extends SaveableModel {
  readonly built: boolean;
}

const saveWeightsSchema = z.object({
  overwrite: z.boolean().default(true),
});
/** Keyword arguments of `save_weights`. */
export type SaveWeightsOptions = KerasOptions<typeof saveWeightsSchema>;

const loadWeightsSchema = z.object({
  skip_mismatch: z.boolean().default(false),
  // Legacy `.h5` only: match layers by name instead of by position.
  by_name: z.boolean().optional(),
});
/** Keyword arguments of `load_weights`. */
export type LoadWeightsOptions = KerasOptions<typeof loadWeightsSchema>;

/** Keras's `model.save_weights(filepath)`: the filename must end in `.weights.h5`. */
export function save_weights(model: WeightsModel, filepath: string, options: SaveWeightsOptions = {}): void {
  const args = parseOptions('save_weights', saveWeightsSchema, options);
  if (typeof filepath !== 'string' || !filepath.endsWith('.weights.h5')) {
    throw new ValueError(`The filename must end in \`.weights.h5\`. Received: filepath=${String(filepath)}`);
  }
  if (!model.built) {
    throw new ValueError('You are saving a model that has not yet been built. Try building the model first by calling it on some data or by using `build()`.');
  }
  if (!args.overwrite && existsSync(filepath)) {
    throw new ValueError(`save_weights: ${filepath} exists and \`overwrite\` is false.`);
  }
  writeFileAtomic(filepath, weightsFileBytes(model));
}

/** The bytes of `model`'s weights file (layers and optimizer), as Keras 3 writes it. */
export function weightsFileBytes(model: SaveableModel): Uint8Array {
  return writeHdf5(modelWeightsTree(model, { includeOptimizer: true }));
}

/**
 * Keras's `model.load_weights(filepath)`: from a `.weights.h5` file, a `.keras` archive or a
 * legacy TF2 `.h5` / `.hdf5` file. Every layer is checked before any weight changes.
 */
export function load_weights(model: WeightsModel, filepath: string, options: LoadWeightsOptions = {}): void {
  const args = parseOptions('load_weights', loadWeightsSchema, options);
  if (typeof filepath !== 'string') throw new ValueError(`load_weights: \`filepath\` must be a path. Received: filepath=${String(filepath)}`);
  const legacy = filepath.endsWith('.h5') && !filepath.endsWith('.weights.h5') || filepath.endsWith('.hdf5');
  if (args.by_name !== undefined && !legacy) {
    throw new ValueError(`\`by_name\` only supports loading legacy '.h5' or '.hdf5' files. Received: ${filepath}`);
  }
  if (!model.built) {
    throw new ValueError('You are loading weights into a model that has not yet been built. Try building the model first by calling it on some data or by using `build()`.');
  }
  if (filepath.endsWith('.keras')) {
    const archive = readKerasArchive(filepath);
    loadModelWeightsTree(model, readHdf5(archive.weights, `${filepath} (model.weights.h5)`), { what: filepath, includeOptimizer: true, skip_mismatch: args.skip_mismatch });
    return;
  }
  if (filepath.endsWith('.weights.h5')) {
    const tree = readHdf5(readFileChecked(filepath, 'weights file'), filepath);
    loadModelWeightsTree(model, tree, { what: filepath, includeOptimizer: true, skip_mismatch: args.skip_mismatch });
    return;
  }
  if (filepath.endsWith('.h5') || filepath.endsWith('.hdf5')) {
    const tree = readHdf5(readFileChecked(filepath, 'weights file'), filepath);
    if (!isLegacyH5(tree)) {
      loadModelWeightsTree(model, tree, { what: filepath, includeOptimizer: true, skip_mismatch: args.skip_mismatch });
      return;
    }
    loadLegacyWeights(model, tree, filepath, { skip_mismatch: args.skip_mismatch, by_name: args.by_name });
    return;
  }
  throw new ValueError(`File format not supported: filepath=${filepath}. Keras 3 only supports V3 \`.keras\` and \`.weights.h5\` files, or legacy H5 format files (\`.h5\` extension).`);
}
