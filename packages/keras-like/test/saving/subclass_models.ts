/**
 * The two `keras.Model` subclasses of scripts/keras-golden/subclassed_model.py, written as a
 * TypeScript user writes them (docs/saving.md, "A subclassed model"): used by
 * test/saving/subclassed_model.test.ts and scripts/keras-golden/subclassed_model_write.ts.
 */
import { keras, tf, type Layer, type ModelOptions } from 'keras-like';

/** d1 = Dense(hidden, relu), out = Dense(2); registered as 'course>TwoDense'; the constructor takes get_config's keys. */
export class TwoDense extends keras.Model {
  readonly hidden: number;
  readonly d1: Layer;
  readonly out: Layer;
  constructor({ hidden = 4, ...options }: { hidden?: number } & ModelOptions = {}) {
    super(options);
    this.hidden = hidden;
    this.d1 = keras.layers.Dense(hidden, { activation: 'relu' });
    this.out = keras.layers.Dense(2);
  }
  override call(x: tf.Tensor): tf.Tensor {
    return this.out.apply(this.d1.apply(x));
  }
  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), hidden: this.hidden };
  }
}
keras.saving.register_keras_serializable({ package: 'course' })(TwoDense);

/**
 * blocks = depth × Dense(3, tanh), head = the layer given, _skip = Dense(2, no bias); not registered.
 * The constructor takes a layer, so get_config serializes it and from_config rebuilds it.
 */
export class Tower extends keras.Model {
  readonly depth: number;
  readonly blocks: Layer[];
  readonly head: Layer;
  readonly _skip: Layer;
  constructor({ head, depth = 2, ...options }: { head: Layer; depth?: number } & ModelOptions) {
    super(options);
    this.depth = depth;
    this.blocks = Array.from({ length: depth }, () => keras.layers.Dense(3, { activation: 'tanh' }));
    this.head = head;
    this._skip = keras.layers.Dense(2, { use_bias: false });
  }
  override call(x: tf.Tensor): tf.Tensor {
    const h = this.blocks.reduce((t, block) => block.apply(t), x);
    return tf.add(this.head.apply(h), this._skip.apply(x));
  }
  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), depth: this.depth, head: keras.layers.serialize(this.head) };
  }
  static override from_config(config: Record<string, unknown>): Tower {
    const { head, ...options } = config;
    return new Tower({ head: keras.layers.deserialize(head), ...options });
  }
}
