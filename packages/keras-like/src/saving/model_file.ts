/**
 * `model.save('model.keras')` / `keras.saving.save_model(model, path)` and
 * `keras.models.load_model(path, { custom_objects, compile })`: the whole model in Keras 3's
 * `.keras` archive (keras_archive.ts), so that it loads in Python Keras 3 and back. A path
 * ending in `.h5` / `.hdf5` saves and loads the legacy HDF5 file (legacy_h5_write.ts,
 * legacy_h5.ts), as Keras 3 does, with its warning that the format is legacy.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseOptions, type KerasOptions } from '../options/parse.js';
import { readHdf5, writeHdf5 } from './hdf5.js';
import { readKerasArchive, writeKerasArchive } from './keras_archive.js';
import { isLegacyH5, loadLegacyModel } from './legacy_h5.js';
import { legacyH5Tree } from './legacy_h5_write.js';
import { deserializeModel, serializeModel, type ConfigurableModel, type CustomObjects } from './model_config.js';
import { readFileChecked, writeFileAtomic } from './files.js';
import { weightsFileBytes } from './weights_file.js';
import { loadModelWeightsTree, type SaveableModel } from './weights_store.js';

/** The Keras version keras-like's files say they follow (metadata.json's `keras_version`). */
export const KERAS_VERSION = '3.16.0';

/** A model `save` and `load_model` handle. */
export type SavingModel = ConfigurableModel & SaveableModel & { readonly className: string };

const saveSchema = z.object({
  overwrite: z.boolean().default(true),
  zipped: z.literal(true, { error: 'must be true (keras-like writes the `.keras` zip only)' }).default(true),
  // Legacy `.h5` only, as in Keras: false leaves out training_config and optimizer_weights.
  include_optimizer: z.boolean().default(true),
});
/** Keyword arguments of `save` / `save_model`. */
export type SaveModelOptions = KerasOptions<typeof saveSchema>;

const loadSchema = z.object({
  custom_objects: z.record(z.string(), z.custom<CustomObjects[string]>((v) => typeof v === 'function' || typeof v === 'object'), { error: 'must map class names to classes, such as { MyLayer }' }).nullish(),
  compile: z.boolean().default(true),
  safe_mode: z.boolean().default(true),
});
/** Keyword arguments of `load_model`. */
export type LoadModelOptions = KerasOptions<typeof loadSchema>;

/** `model.save(filepath)`: `filepath` ends in `.keras` (Keras 3's format) or `.h5` / `.hdf5` (the legacy one). */
export function save_model(model: ConfigurableModel & SaveableModel, filepath: string, options: SaveModelOptions = {}): void {
  const args = parseOptions('save_model', saveSchema, options);
  const legacy = typeof filepath === 'string' && (filepath.endsWith('.h5') || filepath.endsWith('.hdf5'));
  if (typeof filepath !== 'string' || !(legacy || filepath.endsWith('.keras'))) {
    throw new ValueError(
      'Invalid filepath extension for saving. Please add either a `.keras` extension for the native Keras format (recommended) or a `.h5` extension. ' +
        `Received: filepath=${String(filepath)}.`,
    );
  }
  if (!args.overwrite && existsSync(filepath)) throw new ValueError(`save_model: ${filepath} exists and \`overwrite\` is false.`);
  if (!model.built) {
    console.warn('UserWarning: You are saving a model that has not yet been built. It might not contain any weights yet. Consider building the model first by calling it on some data.');
  }
  const className = (model as Partial<SavingModel>).className ?? 'Sequential';
  if (legacy) {
    console.warn(
      'WARNING: You are saving your model as an HDF5 file via `model.save()` or `keras.saving.save_model(model)`. This file format is considered legacy. ' +
        "We recommend using instead the native Keras format, e.g. `model.save('my_model.keras')` or `keras.saving.save_model(model, 'my_model.keras')`.",
    );
    const tree = legacyH5Tree(model, className, { include_optimizer: args.include_optimizer, keras_version: KERAS_VERSION });
    writeFileAtomic(filepath, writeHdf5(tree));
    return;
  }
  writeKerasArchive(filepath, {
    metadata: JSON.stringify({ keras_version: KERAS_VERSION, date_saved: dateSaved(new Date()) }),
    config: JSON.stringify(serializeModel(model, className)),
    weights: weightsFileBytes(model),
  });
}

/** Keras's `date_saved`: `2026-12-06@18:53:44`, local time. */
function dateSaved(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}@${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/**
 * `keras.models.load_model(filepath, { custom_objects, compile })`: a model from a `.keras`
 * archive (or a legacy `.h5`), with its weights and, when compiled, its optimizer's state.
 */
export function load_model(filepath: string, options: LoadModelOptions = {}): ConfigurableModel {
  const args = parseOptions('load_model', loadSchema, options);
  if (typeof filepath !== 'string') throw new ValueError(`load_model: \`filepath\` must be a path. Received: filepath=${String(filepath)}`);
  const custom_objects = (args.custom_objects ?? {}) as CustomObjects;
  if (filepath.endsWith('.keras')) {
    const archive = readKerasArchive(filepath);
    let config: unknown;
    try {
      config = JSON.parse(archive.config);
    } catch (cause) {
      throw new ValueError(`${filepath}: config.json is not valid JSON (${(cause as Error).message}).`);
    }
    const model = deserializeModel(config, { custom_objects, compile: args.compile });
    const tree = readHdf5(archive.weights, `${filepath} (model.weights.h5)`);
    loadModelWeightsTree(model as ConfigurableModel & SaveableModel, tree, { what: filepath, includeOptimizer: args.compile });
    return model;
  }
  if (filepath.endsWith('.h5') || filepath.endsWith('.hdf5')) {
    const tree = readHdf5(readFileChecked(filepath, 'model file'), filepath);
    if (!isLegacyH5(tree) || tree.attrs.model_config === undefined) {
      throw new ValueError(`${filepath} holds no model config (a weights-only file?): load it with model.load_weights(${JSON.stringify(filepath)}) into a model built in code.`);
    }
    return loadLegacyModel(tree, filepath, { custom_objects, compile: args.compile });
  }
  throw new ValueError(
    `File format not supported: filepath=${filepath}. Keras 3 only supports V3 \`.keras\` files and legacy H5 format files (\`.h5\` extension).`,
  );
}

/** Keras's `keras.models.model_from_json(json, custom_objects)`: a new model (not built from weights) from `to_json()`. */
export function model_from_json(json_string: string, custom_objects: CustomObjects = {}): ConfigurableModel {
  let config: unknown;
  try {
    config = JSON.parse(json_string);
  } catch (cause) {
    throw new ValueError(`model_from_json: the string is not valid JSON (${(cause as Error).message}).`);
  }
  return deserializeModel(config, { custom_objects });
}
