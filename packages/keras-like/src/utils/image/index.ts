/** `keras.preprocessing.image`: the image utilities, also under `keras.utils`. */
export { load_img, type LoadImgOptions } from './load_img.js';
export { img_to_array, type ImgToArrayOptions } from './img_to_array.js';
export { array_to_img, type ArrayToImgOptions } from './array_to_img.js';
export { save_img, type SaveImgOptions } from './save_img.js';
export { Image, type ImageMode } from './image.js';
export type { Interpolation } from './resample.js';
export { image_dataset_from_directory, ImageDataset, type ImageDatasetOptions } from './image_dataset_from_directory.js';
