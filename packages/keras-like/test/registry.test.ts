import { describe, expect, it } from 'vitest';
import { UnknownIdentifierError } from '../src/errors.js';
import { Registry, toSnakeCase, type Config } from '../src/utils/registry.js';

class Shape {
  constructor(readonly config: Config = {}) {}
}
class Circle extends Shape {}
class Square extends Shape {}
class RoundedSquare extends Square {}

function shapes(options: Partial<ConstructorParameters<typeof Registry>[0]> = {}) {
  return new Registry<Shape>({ kind: 'shape', module: 'keras.shapes', ...options })
    .addClass('Circle', Circle)
    .addClass('Square', Square, (config) => new Square({ ...config, made: 'by make' }))
    .addNames(['disc', 'round'], () => new Circle({ radius: 1 }));
}

describe('toSnakeCase (Keras to_snake_case)', () => {
  it('splits words and keeps acronyms and digits together', () => {
    expect(toSnakeCase('BinaryAccuracy')).toBe('binary_accuracy');
    expect(toSnakeCase('AUC')).toBe('auc');
    expect(toSnakeCase('R2Score')).toBe('r2_score');
    expect(toSnakeCase('L1L2')).toBe('l1_l2');
    expect(toSnakeCase('KLDivergence')).toBe('kl_divergence');
  });
});

describe('Registry', () => {
  it('finds classes by class name, and snake_case names only when asked', () => {
    expect(shapes().find('Circle')?.({})).toBeInstanceOf(Circle);
    expect(shapes().find('circle')).toBeUndefined();
    expect(shapes({ snakeCaseNames: true }).find('circle')?.({})).toBeInstanceOf(Circle);
  });

  it('uses the given make, else new cls(config) for a class without from_config', () => {
    expect(shapes().find('Circle')?.({ r: 2 }).config).toEqual({ r: 2 });
    expect(shapes().find('Square')?.({ r: 2 }).config).toEqual({ r: 2, made: 'by make' });
  });

  it("builds with Keras's from_config when the class has one", () => {
    class Triangle extends Shape {
      static from_config(config: Config) {
        return new Triangle({ ...config, via: 'from_config' });
      }
    }
    expect(shapes().addClass('Triangle', Triangle).findClass('Triangle')?.({ a: 1 }).config).toEqual({ a: 1, via: 'from_config' });
  });

  it('aliases are for get only; deserialize finds class names', () => {
    expect(shapes().find('disc')?.({}).config).toEqual({ radius: 1 });
    expect(shapes().findClass('disc')).toBeUndefined();
    expect(shapes().findClass('Circle')?.({ r: 3 })).toBeInstanceOf(Circle);
  });

  it('an alias that is already a name replaces its make for get, not for deserialize', () => {
    const registry = shapes().addNames(['Circle'], () => new Circle({ from: 'alias' }));
    expect(registry.find('Circle')?.({}).config).toEqual({ from: 'alias' });
    expect(registry.findClass('Circle')?.({ r: 1 }).config).toEqual({ r: 1 });
    expect(registry.names).toEqual(['Circle', 'Square', 'disc', 'round']);
  });

  it('lists names in the order added, a snake_case name before its class name', () => {
    expect(shapes({ snakeCaseNames: true }).names).toEqual(['circle', 'Circle', 'square', 'Square', 'disc', 'round']);
  });

  it('looks names up case-insensitively when the module does (optimizers)', () => {
    const registry = shapes({ caseInsensitive: true });
    expect(registry.find('CIRCLE')?.({})).toBeInstanceOf(Circle);
    expect(registry.findClass('square')?.({})).toBeInstanceOf(Square);
    expect(shapes().findClass('square')).toBeUndefined();
  });

  it('custom_objects come before built-ins, and only their own keys count', () => {
    class MyCircle extends Circle {
      static from_config(config: Config) {
        return new MyCircle({ ...config, custom: true });
      }
    }
    const registry = shapes();
    expect(registry.findClass('Circle', { Circle: MyCircle })?.({}).config).toEqual({ custom: true });
    expect(registry.findClass('constructor', {})).toBeUndefined();
    expect(registry.findClass('toString')).toBeUndefined();
  });

  it('names built-in instances; subclasses only when the module says so', () => {
    expect(shapes().classNameOf(new Square())).toBe('Square');
    expect(shapes().classNameOf(new RoundedSquare())).toBeUndefined();
    expect(shapes({ matchSubclasses: true }).classNameOf(new RoundedSquare())).toBe('Square');
    expect(shapes().classNameOf({})).toBeUndefined();
  });

  it('serializes as Keras: module, class_name, config, registered_name', () => {
    expect(shapes().serialize('Circle', { r: 1 })).toEqual({ module: 'keras.shapes', class_name: 'Circle', config: { r: 1 }, registered_name: null });
    expect(shapes().serialize('Mine', {}, 'Mine')).toEqual({ module: 'keras.shapes', class_name: 'Mine', config: {}, registered_name: 'Mine' });
  });

  it("unknown names get Keras's message with the closest name, the first added on a tie", () => {
    const error = shapes({ snakeCaseNames: true }).unknown('circel');
    expect(error).toBeInstanceOf(UnknownIdentifierError);
    expect(error.name).toBe('ValueError');
    expect(error.message).toBe("Could not interpret shape identifier: 'circel'. Did you mean 'circle'?");
    expect(shapes().unknown('zzzzzzzz').message).toBe("Could not interpret shape identifier: 'zzzzzzzz'.");
    expect(shapes().unknown(42).message).toBe('Could not interpret shape identifier: 42.');
  });

  it('unknown can print something else than the name, suggest extra names, or list the names', () => {
    expect(shapes().unknown('squar', { class_name: 'squar' }).message).toBe(
      "Could not interpret shape identifier: {class_name: 'squar'}. Did you mean 'Square'?",
    );
    expect(shapes({ alsoSuggest: ['oval'] }).unknown('ovl').message).toContain("Did you mean 'oval'?");
    expect(shapes({ listNamesWhenNoSuggestion: true }).unknown('zzzzzzzz').message).toBe(
      "Could not interpret shape identifier: 'zzzzzzzz'. Valid names: Circle, Square, disc, round.",
    );
  });

  it('get(name): a new object with its defaults, or the unknown-name error', () => {
    const registry = shapes();
    expect(registry.get('disc').config).toEqual({ radius: 1 });
    expect(registry.get('Circle')).not.toBe(registry.get('Circle'));
    expect(() => registry.get('Circel')).toThrow("Could not interpret shape identifier: 'Circel'. Did you mean 'Circle'?");
  });

  it('cannotInterpret: the same words for a value that is no name, without the period', () => {
    expect(shapes().cannotInterpret([1, 2]).message).toBe('Could not interpret shape identifier: [1, 2]');
  });
});
