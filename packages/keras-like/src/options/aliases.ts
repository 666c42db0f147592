/**
 * The camelCase aliases of Keras's snake_case keys, as types. A file of its own, with no zod in
 * it, because public declarations reach it (optimizers' `OptimizerOptions`) while
 * options/parse.ts, which names zod, stays out of the package's declarations.
 */

/** `beta_1` → `beta1`, `input_shape` → `inputShape`: the TensorFlow.js spelling of a Keras key. */
export type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<SnakeToCamel<Tail>>}`
  : S;

/** An options type with Keras's snake_case keys plus optional camelCase aliases. */
export type WithCamelAliases<T> = T & {
  [K in keyof T as K extends string ? (SnakeToCamel<K> extends K ? never : SnakeToCamel<K>) : never]?: T[K];
};
