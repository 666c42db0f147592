/** `keras.layers`: the layer classes (`Dense`, `Dropout`...) and the `Layer` base for custom layers. */
export {
  Layer,
  layerSchema,
  type Shape,
  type ShapeOf,
  type SymbolicOf,
  type Tensors,
  type Mask,
  type Masks,
  type CallOptions,
  type ForwardPass,
  type Gradients,
  type AddWeightOptions,
  type Regularizer as LayerRegularizer,
} from './layer.js';
export type { AnyLayer } from './keras_tensor.js';
export { Dense, DenseLayer, type DenseOptions } from './dense.js';
export { Activation, ActivationLayer, type ActivationOptions } from './activation.js';
export { InputLayer, InputLayerLayer, Input, type InputLayerOptions, type InputOptions } from './input_layer.js';
// Regularization and reshaping layers (issue 5).
export { Dropout } from './dropout.js';
export { Flatten } from './flatten.js';
export { Reshape } from './reshape.js';
export { GaussianNoise } from './gaussian_noise.js';
export { ActivityRegularization } from './activity_regularization.js';
export { BatchNormalization } from './batch_normalization.js';
// Convolutional networks (issue 15).
export { Conv2D, Conv2DLayer, Convolution2D, type Conv2DOptions } from './conv2d.js';
export { Conv1D, Conv1DLayer, Convolution1D, type Conv1DOptions } from './conv1d.js';
export { Conv2DTranspose, Conv2DTransposeLayer, Convolution2DTranspose, type Conv2DTransposeOptions } from './conv2d_transpose.js';
export { Conv1DTranspose, Conv1DTransposeLayer, Convolution1DTranspose, type Conv1DTransposeOptions } from './conv1d_transpose.js';
export { DepthwiseConv2D, DepthwiseConv2DLayer, DepthwiseConv1D, DepthwiseConv1DLayer, type DepthwiseConvOptions } from './depthwise_conv.js';
export {
  SeparableConv2D,
  SeparableConv2DLayer,
  SeparableConv1D,
  SeparableConv1DLayer,
  SeparableConvolution2D,
  SeparableConvolution1D,
  type SeparableConvOptions,
} from './separable_conv.js';
export { MaxPooling2D, MaxPooling1D, MaxPool2D, MaxPool1D, type MaxPoolingOptions } from './max_pooling.js';
export { AveragePooling2D, AveragePooling1D, AvgPool2D, AvgPool1D, type AveragePoolingOptions } from './average_pooling.js';
// Preprocessing layers (issue 16).
export { TextVectorization, type TextVectorizationOptions, type TextBatch } from './text_vectorization.js';
// Recurrent layers (issue 16).
export { RNN, RNNLayer, type RNNOptions, type RNNCellArgument } from './rnn/rnn.js';
export { AbstractRNNCell, StackedRNNCells, type StackedRNNCellsOptions, type RNNCellLike, type CellCallResult, type CellWeightOptions } from './rnn/user_cell.js';
export { SimpleRNN, SimpleRNNLayer, type SimpleRNNOptions } from './rnn/simple_rnn.js';
export { SimpleRNNCell, SimpleRNNCellLayer, type SimpleRNNCellOptions } from './rnn/simple_rnn_cell.js';
export { LSTM, LSTMLayer, type LSTMOptions } from './rnn/lstm.js';
export { LSTMCell, LSTMCellLayer, type LSTMCellOptions } from './rnn/lstm_cell.js';
export { GRU, GRULayer, type GRUOptions } from './rnn/gru.js';
export { GRUCell, GRUCellLayer, type GRUCellOptions } from './rnn/gru_cell.js';
export { Embedding, EmbeddingLayer, type EmbeddingOptions } from './embedding.js';
export { Masking, type MaskingOptions } from './masking.js';
export { RepeatVector, type RepeatVectorOptions } from './repeat_vector.js';
export {
  GlobalAveragePooling2D,
  GlobalAveragePooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling1D,
  GlobalAvgPool2D,
  GlobalAvgPool1D,
  GlobalMaxPool2D,
  GlobalMaxPool1D,
  type GlobalPoolingOptions,
} from './global_pooling.js';
// `keras.layers.serialize` / `deserialize` (issue 17).
export { serialize, deserialize, registerLayerClass, type SerializedLayer, type LayerClass } from './serialization.js';
export { TimeDistributed, type TimeDistributedOptions } from './rnn/time_distributed.js';
export { Bidirectional, BidirectionalLayer, type BidirectionalOptions } from './rnn/bidirectional.js';
export { ZeroPadding2D, type ZeroPadding2DOptions } from './zero_padding2d.js';
export { ZeroPadding1D, type ZeroPadding1DOptions } from './zero_padding1d.js';
export { Cropping1D, Cropping2D, type Cropping1DOptions, type Cropping2DOptions } from './cropping.js';
export { UpSampling1D, UpSampling2D, type UpSampling1DOptions, type UpSampling2DOptions } from './up_sampling.js';
export { SpatialDropout1D, SpatialDropout2D, type SpatialDropout1DOptions, type SpatialDropout2DOptions } from './spatial_dropout.js';
// Merge layers and their functional forms (issue 17).
export { Add, AddLayer, Subtract, SubtractLayer, Multiply, MultiplyLayer, Average, AverageLayer, Maximum, MaximumLayer, Minimum, MinimumLayer, add, subtract, multiply, average, maximum, minimum, type MergeOptions } from './merge/elementwise.js';
export { Concatenate, ConcatenateLayer, concatenate, type ConcatenateOptions } from './merge/concatenate.js';
export { Dot, DotLayer, dot, type DotOptions } from './merge/dot.js';
