/** `keras.utils`. */
export { set_random_seed } from './random.js';
// Loads its renderer on first call, so a user who never plots never loads it.
export { plot_history, type HistoryLike, type PlotHistoryOptions } from '../plot/lazy.js';
export { to_categorical, type ToCategoricalOptions } from './to_categorical.js';
export { normalize, type NormalizeOptions } from './normalize.js';
export { pad_sequences, type PadSequencesOptions } from '../preprocessing/sequence/pad_sequences.js';
export { timeseries_dataset_from_array, type TimeseriesDatasetOptions } from './timeseries_dataset_from_array.js';
export { BatchDataset, type Dataset, type Batch } from './dataset.js';
export { load_img, img_to_array, array_to_img, save_img, Image, type LoadImgOptions, type ImgToArrayOptions, type ArrayToImgOptions, type SaveImgOptions } from './image/index.js';
export { image_dataset_from_directory, ImageDataset, type ImageDatasetOptions } from './image/image_dataset_from_directory.js';
// Keras exports these under keras.utils as well as keras.saving.
export {
  register_keras_serializable,
  custom_object_scope,
  CustomObjectScope,
  get_custom_objects,
  get_registered_name,
  get_registered_object,
} from '../saving/object_registration.js';
