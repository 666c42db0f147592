/**
 * Instances that are called like functions, as Python objects with `__call__`
 * are: `keras.regularizers.l2(0.01)(w)`, `keras.constraints.max_norm(2)(w)`.
 *
 * A subclass implements `__call__(...)`; its instances are functions that forward to
 * it, with the subclass's prototype, so `instanceof`, methods and fields work as
 * on any object. Declare the call signature with an interface of the class's name:
 *
 *   interface L2 { (x: tf.Tensor): tf.Scalar }
 *   class L2 extends CallableInstance { __call__(x: tf.Tensor) { ... } }
 */
export abstract class CallableInstance {
  constructor() {
    const self = (...args: unknown[]): unknown => (self as unknown as CallableInstance).__call__(...(args as never[]));
    // The function's own `name`/`length` would hide fields of the same name (a layer's `name`).
    Reflect.deleteProperty(self, 'name');
    Reflect.deleteProperty(self, 'length');
    Object.setPrototypeOf(self, new.target.prototype);
    // Returning an object from a base constructor makes it `this` for the subclasses' fields.
    return self as unknown as CallableInstance;
  }

  /** What calling the instance does (Python's `__call__`). */
  abstract __call__(...args: never[]): unknown;
}
