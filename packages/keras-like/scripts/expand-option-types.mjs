// Rewrites the declarations tsc emitted (dist/cjs/**/*.d.ts) so that they stop naming zod;
// `scripts/build.mjs` runs it right after tsc (docs/backends.md, "The package").
//
// Why: every options type is computed from its zod schema in the sources,
//
//   declare const nadamSchema: import("zod").ZodObject<{ beta_1: import("zod").ZodDefault<...>; ... }>;
//   export type NadamOptions = KerasOptions<typeof nadamSchema>;
//
// so a program that type-checks code using keras-like loads zod's declarations and evaluates
// `z.input<...>` for every options type it meets; tslab (the Jupyter kernel) does so for each
// cell. Here TypeScript's checker evaluates each such type once, at build time, and the
// declaration gets the result written out, its doc comment kept:
//
//   export type NadamOptions = { learning_rate?: LearningRate | undefined; ...; beta_1?: number | undefined; ... } & { beta1?: ...; ... };
//
// 1. Written out: the smallest type nodes that name zod (`z.input<...>`, `KerasOptions<typeof
//    xSchema>`, `ReturnType<typeof nameOnly>`) and whose type, written out, names no zod type.
//    One generic class takes a schema as its type parameter (BuiltInSchedule<S extends
//    z.ZodObject>, whose get_config() is z.output<S>): it is rewritten to take the output type.
// 2. Checked: each written-out type must be *identical* to the zod-derived one (the conditional-
//    type identity test, which tells optional from required, readonly from mutable, `T |
//    undefined` from `T`), compiled by tsc next to the original declarations. A difference fails
//    the build.
// 3. Dropped: the schema constants and imports nothing refers to any more (a schema exported
//    from its module but not from keras-like's entry included), then the declaration files
//    nothing reaches from dist/cjs/index.d.ts (internal modules such as options/parse.d.ts:
//    without a JavaScript file of their own, no import could load them). The rest must
//    type-check without skipLibCheck.
// What still names zod is a public export typed by zod on purpose (the schemas a custom layer or
// optimizer extends); the function returns the list, and the build prints it.
//
// Uses TypeScript 7's compiler API (`typescript/unstable/sync`, a tsgo process answering
// synchronous requests): the TypeScript that emitted the declarations.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API, NodeBuilderFlags } from 'typescript/unstable/sync';
import { SyntaxKind } from 'typescript/unstable/ast';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The checker's flags for writing a type out: in full, its own alias expanded, other names qualified where needed. */
const FLAGS = NodeBuilderFlags.NoTruncation | NodeBuilderFlags.InTypeAlias | NodeBuilderFlags.UseFullyQualifiedType | NodeBuilderFlags.MultilineObjectLiterals;
/** zod's own type names, however a declaration reaches them: `import("zod")`, `z.ZodObject`, `z.core.$strip`. */
const ZOD_TYPE = /import\("zod[/"]|\bZod[A-Z]\w*|\$strip\b|\$loose\b|\$strict\b|\$ZodTypeInternals\b/;
/** `z.input<S>`, `z.output<S>`, `z.infer<S>`: zod's type functions, whose result is a plain type. */
const ZOD_FUNCTION = /(^|\.)(input|output|infer)$/;

/** Compiler options as a consumer's: strict, NodeNext; libraries checked too (the caller filters to our files). */
function writeConfig(dir, files) {
  const compilerOptions = { strict: true, target: 'es2022', lib: ['es2023'], module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], noEmit: true };
  const config = join(dir, 'tsconfig.json');
  writeFileSync(config, JSON.stringify({ compilerOptions, ...files }));
  return config;
}

/** Runs tsc; returns its error lines about the project's own files (not zod's, tfjs's, ...) and the files it loaded. */
function runTsc(config) {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
  let out;
  try {
    out = execFileSync(process.execPath, [tsc, '-p', config, '--pretty', 'false', '--listFiles'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    out = String(error.stdout);
  }
  const lines = out.split('\n');
  return {
    errors: lines.filter((line) => line.includes('error TS') && !line.startsWith('..') && !line.includes('node_modules')),
    files: lines.filter((line) => line.startsWith('/')),
  };
}

/** The names a file imports from zod (`z`), by which it writes `z.ZodObject<...>`. */
function zodLocals(sourceFile) {
  const names = [];
  for (const statement of sourceFile.statements) {
    if (statement.kind !== SyntaxKind.ImportDeclaration || !/^['"]zod([/'"])/.test(statement.moduleSpecifier.getText(sourceFile))) continue;
    const clause = statement.importClause;
    if (clause?.name) names.push(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings?.kind === SyntaxKind.NamespaceImport) names.push(bindings.name.text);
    if (bindings?.kind === SyntaxKind.NamedImports) for (const element of bindings.elements) names.push(element.name.text);
  }
  return names;
}

/** A test for "this text names zod" in one file: zod's types, or its local names (`z.`). */
function zodNamer(locals) {
  const local = locals.length ? new RegExp(`(?<![\\w$.])(${locals.join('|')})\\.`) : null;
  return (text) => ZOD_TYPE.test(text) || (local?.test(text) ?? false);
}

const isTypeNode = (node) => node.kind >= SyntaxKind.FirstTypeNode && node.kind <= SyntaxKind.LastTypeNode;

/** [start, end, text] edits of one file: each smallest zod-naming type node whose written-out type names no zod. */
function typeRewrites(checker, sourceFile) {
  const namesZod = zodNamer(zodLocals(sourceFile));
  // A zod type itself (`z.ZodObject<...>`): never written out, only what computes a plain type from it.
  const isZodType = (node) => {
    if (node.kind !== SyntaxKind.TypeReference && node.kind !== SyntaxKind.ImportType) return false;
    const name = node.getText(sourceFile).replace(/<[\s\S]*$/, '');
    return namesZod(name) && !ZOD_FUNCTION.test(name);
  };
  const rewrites = [];
  // Returns whether zod is still named under `node` once its parts are rewritten.
  const visit = (node) => {
    if (isZodType(node)) return true;
    if (node.kind === SyntaxKind.TypeQuery) return namesZod(checker.typeToString(checker.getTypeFromTypeNode(node), node, NodeBuilderFlags.NoTruncation));
    const mark = rewrites.length;
    let zod = false;
    node.forEachChild((child) => {
      zod = visit(child) || zod;
    });
    if (!zod || !isTypeNode(node)) return zod;
    const type = checker.getTypeFromTypeNode(node);
    const text = type && !type.isErrorType() ? checker.typeToString(type, node, FLAGS) : '';
    if (text === '' || namesZod(text) || /\bany\b/.test(text)) return true;
    rewrites.length = mark; // the whole node replaces the rewrites inside it
    // Parenthesized where the written-out type could bind differently (`A & B` inside `X[]`).
    const alone = node.parent.kind === SyntaxKind.TypeAliasDeclaration || node.parent.kind === SyntaxKind.VariableDeclaration;
    rewrites.push([node.getStart(sourceFile), node.end, alone ? text : `(${text})`]);
    return false;
  };
  // (forEachChild stops at a visitor's first truthy result.)
  sourceFile.forEachChild((statement) => {
    visit(statement);
  });
  return rewrites;
}

/**
 * A class generic in a zod schema, `declare abstract class C<S extends z.ZodObject>`, whose
 * members use S only as `z.output<S>` (and as the protected constructor's `schema: S`): it
 * becomes `C<S extends z.output<z.ZodObject>>` (written out) with S the output type, `z.output<S>` → `S`, other uses of S → `unknown` (the
 * constructor is protected and the class not exported: no consumer can call it). Each
 * `extends C<X>` then needs `z.output<X>` written out, which phase 1 does through a helper
 * alias appended to the file (`type __expand_N = z.output<X>`). Returns the edits and helpers.
 */
function schemaGenericClasses(sourceFile, namesZod, nextHelper) {
  const edits = [];
  const helpers = [];
  const classes = new Map();
  const zodName = zodLocals(sourceFile)[0] ?? 'import("zod")';
  for (const statement of sourceFile.statements) {
    if (statement.kind !== SyntaxKind.ClassDeclaration || !statement.typeParameters) continue;
    const index = statement.typeParameters.findIndex((p) => p.constraint && namesZod(p.constraint.getText(sourceFile)));
    if (index < 0) continue;
    const parameter = statement.typeParameters[index];
    const name = parameter.name.text;
    classes.set(statement.name.text, index);
    // `S extends z.ZodObject` → `S extends z.output<z.ZodObject>` (written out: `Record<string, unknown>`).
    const constraint = nextHelper();
    helpers.push(`type ${constraint} = ${zodName}.output<${parameter.constraint.getText(sourceFile)}>;`);
    edits.push([parameter.constraint.getStart(sourceFile), parameter.constraint.end, constraint]);
    const walk = (node) => {
      if (node.kind === SyntaxKind.TypeReference) {
        const text = node.getText(sourceFile);
        if (new RegExp(`^[\\w$.]+\\.(output|infer)<\\s*${name}\\s*>$`).test(text)) return void edits.push([node.getStart(sourceFile), node.end, name]);
        if (text === name && node.parent.kind !== SyntaxKind.TypeParameter) return void edits.push([node.getStart(sourceFile), node.end, 'unknown']);
      }
      node.forEachChild((child) => void walk(child));
    };
    statement.members.forEach((member) => walk(member));
  }
  if (classes.size === 0) return { edits, helpers };
  for (const statement of sourceFile.statements) {
    for (const clause of statement.heritageClauses ?? []) {
      for (const base of clause.types) {
        const index = classes.get(base.expression.getText(sourceFile));
        if (index === undefined) continue;
        const argument = base.typeArguments[index];
        const helper = nextHelper();
        helpers.push(`type ${helper} = ${zodName}.output<${argument.getText(sourceFile)}>;`);
        edits.push([argument.getStart(sourceFile), argument.end, helper]);
      }
    }
  }
  return { edits, helpers };
}

const applyEdits = (text, edits, offset = 0) =>
  [...edits].sort((a, b) => b[0] - a[0]).reduce((out, [start, end, by]) => out.slice(0, start - offset) + by + out.slice(end - offset), text);

/**
 * A file as top-level statements, each with its leading comments: what phase 3 keeps or
 * drops. `code` is the statement without comments (for "is this name used"); imports and
 * re-exports keep their module specifier and names.
 */
function statementsOf(sourceFile, edits) {
  const text = sourceFile.text;
  const units = sourceFile.statements.map((statement) => {
    const [fullStart, start, end] = [statement.pos, statement.getStart(sourceFile), statement.end];
    const inside = edits.filter(([s, e]) => s >= start && e <= end);
    const code = applyEdits(text.slice(start, end), inside, start);
    const unit = { leading: text.slice(fullStart, start), code, kind: statement.kind, exported: /^export\s/.test(code) };
    if (statement.kind === SyntaxKind.ImportDeclaration) {
      const clause = statement.importClause;
      unit.specifier = statement.moduleSpecifier.text;
      unit.typeOnly = Boolean(clause?.isTypeOnly);
      unit.defaultName = clause?.name?.text;
      const bindings = clause?.namedBindings;
      unit.namespace = bindings?.kind === SyntaxKind.NamespaceImport ? bindings.name.text : undefined;
      unit.named = bindings?.kind === SyntaxKind.NamedImports ? bindings.elements.map((e) => ({ local: e.name.text, imported: e.propertyName?.text ?? e.name.text, typeOnly: e.isTypeOnly })) : [];
      unit.sideEffect = clause === undefined;
    } else if (statement.kind === SyntaxKind.ExportDeclaration && statement.moduleSpecifier) {
      unit.specifier = statement.moduleSpecifier.text;
      const clause = statement.exportClause;
      unit.star = clause === undefined || clause.kind === SyntaxKind.NamespaceExport;
      unit.named = clause?.kind === SyntaxKind.NamedExports ? clause.elements.map((e) => ({ imported: e.propertyName?.text ?? e.name.text })) : [];
    } else if (statement.kind === SyntaxKind.VariableStatement) {
      const [declaration] = statement.declarationList.declarations;
      if (declaration.name.kind === SyntaxKind.Identifier) unit.name = declaration.name.text;
    } else if ([SyntaxKind.FunctionDeclaration, SyntaxKind.ClassDeclaration, SyntaxKind.TypeAliasDeclaration, SyntaxKind.InterfaceDeclaration].includes(statement.kind)) {
      unit.name = statement.name?.text;
    }
    return unit;
  });
  return { units, trailing: text.slice(sourceFile.statements.length ? sourceFile.statements.at(-1).end : 0) };
}

/** Comments and string literals blanked, for "is this name used" (a .d.ts has no template strings of code). */
const codeOnly = (text) => text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ').replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, '""');
/** A name is used where it is not a member or a property, parameter or tuple-member name (`z: tf.Tensor`). */
const uses = (code, name) => new RegExp(`(?<![\\w$.#])${name.replace(/\$/g, '\\$')}(?![\\w$])(?!\\s*\\??:)`).test(code);
const importText = (unit, kept) => {
  const names = kept.map((n) => `${n.typeOnly ? 'type ' : ''}${n.imported === n.local ? n.local : `${n.imported} as ${n.local}`}`);
  return `import ${unit.typeOnly ? 'type ' : ''}{ ${names.join(', ')} } from '${unit.specifier}';`;
};
const resolve = (file, specifier) => (specifier.startsWith('.') ? join(dirname(file), specifier.replace(/\.js$/, '.d.ts')) : null);

const DROPPABLE = new Set([SyntaxKind.VariableStatement, SyntaxKind.FunctionDeclaration, SyntaxKind.TypeAliasDeclaration, SyntaxKind.InterfaceDeclaration]);

/**
 * Phase 3: drops what nothing uses any more, across the tree, until nothing changes: constants,
 * functions and types in zod's terms that are unexported (or exported, but no other file imports
 * them and no `export *` republishes them), and unused imports. Returns the files the entry reaches.
 */
function dropUnused(files, entry) {
  for (;;) {
    const reached = new Set();
    const queue = [entry];
    const importedNames = new Map(); // file → names other files import from it
    const republished = new Set(); // files whose every export is re-exported (`export *`, `import * as`)
    while (queue.length) {
      const file = queue.pop();
      if (reached.has(file) || !files.has(file)) continue;
      reached.add(file);
      for (const unit of files.get(file).units) {
        if (unit.dropped) continue;
        const targets = [];
        if (unit.specifier) targets.push([resolve(file, unit.specifier), unit]);
        for (const [, specifier, name] of unit.code.matchAll(/import\("(\.{1,2}\/[^"]+)"\)(?:\.([\w$]+))?/g)) targets.push([resolve(file, specifier), { named: name ? [{ imported: name }] : [], star: !name }]);
        for (const [target, via] of targets) {
          if (target === null) continue;
          queue.push(target);
          if (via.star || via.namespace || via.defaultName) republished.add(target);
          for (const n of via.named ?? []) (importedNames.get(target) ?? importedNames.set(target, new Set()).get(target)).add(n.imported);
        }
      }
    }
    let changed = false;
    for (const file of reached) {
      const { units, namesZod } = files.get(file);
      const live = units.filter((u) => !u.dropped);
      // The declarations typed in zod's terms, directly or through another (`ReturnType<typeof initializerField>`).
      const zodTyped = new Set(live.filter((u) => u.name && namesZod(u.code)).map((u) => u.name));
      for (let grew = true; grew; ) {
        grew = false;
        for (const u of live) {
          if (u.name && !zodTyped.has(u.name) && [...zodTyped].some((name) => uses(codeOnly(u.code), name))) grew = Boolean(zodTyped.add(u.name));
        }
      }
      for (const unit of live) {
        const others = codeOnly(live.filter((u) => u !== unit && !u.dropped).map((u) => u.code).join('\n'));
        if (unit.kind === SyntaxKind.ImportDeclaration && !unit.sideEffect) {
          // zod's local name is used only as `z.` (the file may also have a property called `z`).
          const used = (local) => (unit.specifier === 'zod' || unit.specifier.startsWith('zod/') ? new RegExp(`(?<![\\w$.])${local}\\.`).test(others) : uses(others, local));
          const kept = unit.named.filter((n) => used(n.local));
          const whole = (unit.defaultName && used(unit.defaultName)) || (unit.namespace && used(unit.namespace));
          if (!whole && kept.length === 0) unit.dropped = changed = true;
          else if (!unit.defaultName && !unit.namespace && kept.length < unit.named.length) {
            unit.code = importText(unit, kept);
            unit.named = kept;
            changed = true;
          }
          continue;
        }
        const droppable = zodTyped.has(unit.name) && DROPPABLE.has(unit.kind);
        const public_ = unit.exported && (file === entry || republished.has(file) || importedNames.get(file)?.has(unit.name));
        if (droppable && !public_ && !uses(others, unit.name)) unit.dropped = changed = true;
      }
    }
    if (!changed) return reached;
  }
}

export function expandOptionTypes(dir = join(packageDir, 'dist/cjs')) {
  const all = readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.d.ts'))
    .map((file) => join(dir, file));
  const config = writeConfig(dir, { include: ['**/*.d.ts'] });
  const api = new API({ cwd: dir });
  const files = new Map();
  const checks = [];
  const original = new Map(all.map((file) => [file, readFileSync(file, 'utf8')]));
  try {
    // Classes generic in a schema: their helper aliases go into the files first (phase 1 writes them out).
    let snapshot = api.updateSnapshot({ openProjects: [config] });
    let project = snapshot.getProject(config);
    let helperCount = 0;
    const classEdits = new Map();
    for (const file of all) {
      const sourceFile = project.program.getSourceFile(file);
      const { edits, helpers } = schemaGenericClasses(sourceFile, zodNamer(zodLocals(sourceFile)), () => `__expand_${helperCount++}`);
      if (helpers.length === 0) continue;
      classEdits.set(file, edits);
      original.set(file, `${original.get(file)}${helpers.join('\n')}\n`);
      writeFileSync(file, original.get(file));
    }
    if (classEdits.size) {
      snapshot = api.updateSnapshot({ fileChanges: { changed: [...classEdits.keys()] } });
      project = snapshot.getProject(config);
    }
    // Phase 1.
    for (const file of all) {
      const sourceFile = project.program.getSourceFile(file);
      const rewrites = typeRewrites(project.checker, sourceFile);
      const text = original.get(file);
      for (const [start, end, by] of rewrites) checks.push([file, text.slice(start, end), by]);
      const parsed = statementsOf(sourceFile, [...rewrites, ...(classEdits.get(file) ?? [])]);
      parsed.namesZod = zodNamer(zodLocals(sourceFile));
      files.set(file, parsed);
    }
  } finally {
    api.close();
    rmSync(config);
  }
  // The helper aliases, written out, take the place of the `extends C<X>` arguments that named them.
  for (const parsed of files.values()) {
    const helpers = new Map();
    for (const unit of parsed.units) {
      const helper = /^type (__expand_\d+) = ([\s\S]*);$/.exec(unit.code);
      if (helper) {
        helpers.set(helper[1], helper[2]);
        unit.dropped = true;
      }
    }
    for (const unit of parsed.units) for (const [name, text] of helpers) unit.code = unit.code.replace(new RegExp(`\\b${name}\\b`, 'g'), text);
  }

  // Phase 2: each written-out type is identical to what it replaces, next to the original declarations.
  const checkDir = join(packageDir, '.expand-check');
  rmSync(checkDir, { recursive: true, force: true });
  cpSync(dir, checkDir, { recursive: true });
  try {
    const byFile = groupBy(checks); // (Map.groupBy needs Node 21)
    let n = 0;
    for (const [file, pairs] of byFile) {
      const lines = [
        'type Identical__<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;',
        // An intersection written as its parts (`A & {}` for `A & { [K in never]: ... }`) is not identical as a
        // type, but it is as options: the same keys with the same modifiers and identical property types.
        'type Flat__<T> = { [K in keyof T]: T[K] };',
        'type Same__<A, B> = Identical__<A, B> extends true ? true : Identical__<Flat__<A>, Flat__<B>> extends true ? ([A] extends [B] ? ([B] extends [A] ? true : false) : false) : false;',
        'type Holds__<T extends true> = T;',
        ...pairs.map(([, before, after]) => `type Check__${n++} = Holds__<Same__<${before}, ${after}>>;`),
      ];
      writeFileSync(join(checkDir, relative(dir, file)), `${original.get(file)}\n${lines.join('\n')}\n`);
    }
    const { errors } = runTsc(writeConfig(checkDir, { include: ['**/*.d.ts'] }));
    if (errors.length) throw new Error(`expand-option-types: a written-out type differs from the zod-derived one:\n${errors.slice(0, 20).join('\n')}`);
  } finally {
    if (!process.env.KEEP_EXPAND_CHECK) rmSync(checkDir, { recursive: true, force: true });
  }

  // Phase 3.
  const entry = join(dir, 'index.d.ts');
  const reached = dropUnused(files, entry);
  for (const [file, { units, trailing }] of files) {
    if (!reached.has(file)) rmSync(file);
    else writeFileSync(file, units.filter((u) => !u.dropped).map((u) => u.leading + u.code).join('') + trailing);
  }
  const { errors, files: loaded } = runTsc(writeConfig(dir, { files: ['index.d.ts'] }));
  rmSync(join(dir, 'tsconfig.json'));
  if (errors.length) throw new Error(`expand-option-types: the rewritten declarations do not type-check:\n${errors.slice(0, 20).join('\n')}`);
  const stillZod = [...reached].filter((file) => files.get(file).namesZod(readFileSync(file, 'utf8')));
  return {
    writtenOut: checks.length,
    droppedFiles: all.filter((file) => !reached.has(file)).map((file) => relative(dir, file)),
    namingZod: stillZod.map((file) => relative(dir, file)),
    zodFilesLoaded: loaded.filter((file) => /\/node_modules\/(\.pnpm\/zod@[^/]+\/node_modules\/)?zod\//.test(file)).length,
  };
}

function groupBy(checks) {
  const map = new Map();
  for (const check of checks) (map.get(check[0]) ?? map.set(check[0], []).get(check[0])).push(check);
  return map;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = expandOptionTypes(process.argv[2]);
  console.error(
    `keras-like: ${result.writtenOut} zod-computed types written out in the declarations; ${result.droppedFiles.length} declaration files no import reaches dropped; ` +
      `still naming zod: ${result.namingZod.join(', ') || 'none'} (${result.zodFilesLoaded} of zod's files loaded with the entry's types)`,
  );
}
