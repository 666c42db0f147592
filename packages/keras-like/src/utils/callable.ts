/**
 * Makes `new` optional, as Python has no `new`: `Dense(64)` and `new Dense(64)`
 * build the same layer, and `instanceof` still works on the result.
 */
// The constraint must accept every constructor signature; `any` here never reaches a public type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyConstructor = abstract new (...args: any) => any;

export type Callable<C extends AnyConstructor> = C & ((...args: ConstructorParameters<C>) => InstanceType<C>);

export function callable<C extends AnyConstructor>(cls: C): Callable<C> {
  return new Proxy(cls, {
    apply(target, _thisArg, args: unknown[]) {
      return Reflect.construct(target as unknown as new (...a: unknown[]) => unknown, args);
    },
  }) as Callable<C>;
}
