/**
 * Text, sequence and dataset utilities given input they cannot read: each fails at the call
 * that received it, in Keras's words where Keras has them.
 */
import { keras } from 'keras-like';
import type { ErrorArea } from './error_case.js';

const { Tokenizer, one_hot } = keras.preprocessing.text;
const { pad_sequences, TimeseriesGenerator } = keras.preprocessing.sequence;
const series = Array.from({ length: 10 }, (_, i) => i);

export const PREPROCESSING_AREA: ErrorArea = {
  title: 'Text, sequences, images and datasets',
  intro:
    '`keras.preprocessing.text`, `keras.preprocessing.sequence`, `keras.utils.timeseries_dataset_from_array`, ' +
    '`keras.layers.TextVectorization`, the image utilities and `image_dataset_from_directory`.',
  cases: [
    {
      description: 'one string where a list of texts is expected',
      code: "Tokenizer().fit_on_texts('the cat sat')",
      run: () => Tokenizer().fit_on_texts('the cat sat' as never),
      error: 'ValueError',
      message:
        "fit_on_texts: `texts` must be a list of texts (strings, or lists of words); a single string would be read as one text per character. Received: 'the cat sat'",
    },
    {
      description: 'a matrix before fitting and without num_words',
      code: 'Tokenizer().sequences_to_matrix([[1, 2]])',
      run: () => Tokenizer().sequences_to_matrix([[1, 2]]),
      error: 'ValueError',
      message: 'Specify a dimension (`num_words` argument), or fit on some text data first.',
    },
    {
      description: 'a hashing space of one index',
      code: "one_hot('good work', 1)",
      run: () => one_hot('good work', 1),
      error: 'ValueError',
      message: 'one_hot: `n` must be an integer >= 2 (the size of the hashing space). Received: n=1',
    },
    {
      description: 'padding on a side that does not exist',
      code: "pad_sequences([[1, 2]], { padding: 'end' })",
      run: () => pad_sequences([[1, 2]], { padding: 'end' } as never),
      error: 'ValueError',
      message: "pad_sequences: `padding` must be 'pre' or 'post' (pad before or after each sequence). Received: padding='end'",
    },
    {
      description: 'a number among the sequences',
      code: 'pad_sequences([[1, 2], 3])',
      run: () => pad_sequences([[1, 2], 3] as never),
      error: 'ValueError',
      message: '`sequences` must be a list of iterables. Found non-iterable: 3 at position 1',
    },
    {
      description: 'data and targets of different lengths',
      code: 'TimeseriesGenerator(series, series.slice(1), { length: 3 })',
      run: () => TimeseriesGenerator(series, series.slice(1), { length: 3 }),
      error: 'ValueError',
      message: 'Data and targets have to be of same length. Data length is 10 while target length is 9',
    },
    {
      description: 'a window longer than the series',
      code: 'TimeseriesGenerator(series, series, { length: 12 })',
      run: () => TimeseriesGenerator(series, series, { length: 12 }),
      error: 'ValueError',
      message: '`start_index+length=12 > end_index=9` is disallowed, as no part of the sequence would be left to be used as current step.',
    },
    {
      description: 'a stride as long as the series',
      code: 'keras.utils.timeseries_dataset_from_array(series, null, { sequence_length: 3, sequence_stride: 10 })',
      run: () => keras.utils.timeseries_dataset_from_array(series, null, { sequence_length: 3, sequence_stride: 10 }),
      error: 'ValueError',
      message: '`sequence_stride` must be lower than the length of the data. Received: sequence_stride=10, for data of length 10',
    },
    {
      description: 'a sequence length in a non-int mode',
      code: "keras.layers.TextVectorization({ output_mode: 'multi_hot', output_sequence_length: 4 })",
      run: () => keras.layers.TextVectorization({ output_mode: 'multi_hot', output_sequence_length: 4 }),
      error: 'ValueError',
      message: "`output_sequence_length` must not be set if `output_mode` is not 'int'. Received output_sequence_length=4.",
    },
    {
      description: 'numbers into TextVectorization',
      code: "keras.layers.TextVectorization({ name: 'words' }).apply([1, 2])",
      run: () => keras.layers.TextVectorization({ name: 'words' }).apply([1, 2]),
      error: 'ValueError',
      message: 'Layer "words" (TextVectorization) takes strings. Received: inputs[0]=1',
    },
    {
      description: 'a colour mode PIL does not have',
      code: "keras.utils.load_img('cat.png', { color_mode: 'bgr' })",
      run: () => keras.utils.load_img('cat.png', { color_mode: 'bgr' } as never),
      error: 'ValueError',
      message: 'load_img: `color_mode` must be "grayscale", "rgb", or "rgba". Received: color_mode=\'bgr\'',
    },
    {
      description: 'target_size as one number',
      code: "keras.utils.load_img('cat.png', { target_size: 150 })",
      run: () => keras.utils.load_img('cat.png', { target_size: 150 } as never),
      error: 'ValueError',
      message: 'load_img: `target_size` must be [height, width], two positive integers. Received: target_size=150',
    },
    {
      description: 'a file that is neither PNG nor JPEG',
      code: 'keras.utils.load_img(gifBytes)',
      run: () => keras.utils.load_img(new TextEncoder().encode('GIF89a')),
      error: 'ValueError',
      message: 'cannot identify image file <bytes>: keras-like reads PNG and JPEG files.',
    },
    {
      description: 'a batch of images where one image is expected',
      code: 'keras.utils.array_to_img(tf.zeros([2, 4, 4, 3]))',
      run: () => keras.utils.array_to_img(zeros([2, 4, 4, 3])),
      error: 'ValueError',
      message: 'Expected image array to have rank 3 (single image). Got array with shape: (2, 4, 4, 3)',
    },
    {
      description: 'a validation split of shuffled images without a seed',
      code: "keras.utils.image_dataset_from_directory('photos', { validation_split: 0.2, subset: 'training' })",
      run: () => keras.utils.image_dataset_from_directory('photos', { validation_split: 0.2, subset: 'training' }),
      error: 'ValueError',
      message:
        'If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make sure that there is no overlap between the training and validation subset.',
    },
  ],
};

/** Nested zeros, so the case's tensor is made (and freed) inside the call. */
function zeros(shape: number[]): number[] | number {
  return shape.length === 0 ? 0 : Array.from({ length: shape[0]! }, () => zeros(shape.slice(1))) as number[];
}
