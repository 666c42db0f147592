/**
 * Makes `new` optional, as Python has no `new`: `Dense(64)` and `new Dense(64)`
 * build the same layer, and `instanceof` still works on the result.
 */
// The constraint must accept every constructor signature; `any` here never reaches a public type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyConstructor = abstract new (...args: any) => any;

export type Callable<C extends AnyConstructor> = C & ((...args: ConstructorParameters<C>) => InstanceType<C>);

/**
 * The declared type of a class that a factory function builds (`lossMetric('Poisson', ...)`):
 * its constructor's arguments and the public type of its instances. Such a factory states it
 * as its return type, because a declaration file cannot describe a class expression that has
 * private members (TS4094).
 */
export type CallableClass<Args extends unknown[], Instance> = Callable<new (...args: Args) => Instance>;

export function callable<C extends AnyConstructor>(cls: C): Callable<C> {
  return new Proxy(cls, {
    apply(target, _thisArg, args: unknown[]) {
      return Reflect.construct(target as unknown as new (...a: unknown[]) => unknown, args);
    },
  }) as Callable<C>;
}
