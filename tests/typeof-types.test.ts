import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { writeEntry } from '../cache/cache-store';
import { classifySpecs } from '../core/classify-specs';
import { analyzeProgram, type AnalyzedSpec, type ProgramAnalysis } from '../core/analyze-program';
import { buildPrompt } from '../generate/build-prompt';
import { formatInputs } from '../spec/spec-hash';
import { IN_MEMORY_ROOT, inMemoryProgram } from './support/fixture-project';

/**
 * A project with its own zod-like schema builder: `User` is inferred from `UserSchema`, whose
 * initializer names `AddressSchema`. Other specs read values through `keyof typeof`, `typeof X[number]`,
 * `typeof ns.X` and `Partial<typeof X>`.
 */
const BASE: Readonly<Record<string, string>> = {
  'src/schema.ts': [
    '/** Parses unknown input into a T. */',
    'export interface Schema<T> { parse(input: unknown): T }',
    'export type Shape = Record<string, Schema<unknown>>;',
    'export type Infer<S> = S extends Schema<infer T> ? T : never;',
    'export type ObjectOf<S extends Shape> = { [K in keyof S]: Infer<S[K]> };',
    '',
    'export function string(): Schema<string> {',
    '  return { parse: (input) => String(input) };',
    '}',
    '',
    'export function number(): Schema<number> {',
    '  return { parse: (input) => Number(input) };',
    '}',
    '',
    'export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {',
    '  return {',
    '    parse: (input) => {',
    '      const record = input as Record<string, unknown>;',
    '      return Object.fromEntries(Object.keys(shape).map((k) => [k, shape[k]!.parse(record[k])])) as ObjectOf<S>;',
    '    },',
    '  };',
    '}',
    '',
  ].join('\n'),
  'src/models.ts': [
    "import { number, object, string, type Infer } from './schema';",
    '',
    '/** A postal address. */',
    'export const AddressSchema = object({ street: string(), zip: number() });',
    '',
    '/** A user: the schema is the source of truth for the type. */',
    'export const UserSchema = object({ name: string(), address: AddressSchema });',
    '',
    'export type User = Infer<typeof UserSchema>;',
    '',
    'export const OrderSchema = object({ id: number() });',
    '',
    "export const COLORS = { red: '#f00', green: '#0f0' } as const;",
    "export const LEVELS = ['debug', 'info', 'warn'] as const;",
    'export const DEFAULTS = { retries: 3, verbose: false };',
    '',
    'export const MAX = 5;',
    'export const LIMITS: { max: number } = { max: MAX };',
    '',
  ].join('\n'),
  'src/spec.ts': [
    "import type { User } from './models';",
    "import type { COLORS, DEFAULTS, LEVELS, LIMITS } from './models';",
    "import type * as models from './models';",
    '',
    '/**',
    ' * Greet `u` by name.',
    ' * @jaunt',
    ' */',
    'export declare function greet(u: User): string;',
    '',
    '/**',
    ' * The hex code of `color`.',
    ' * @jaunt',
    ' */',
    'export declare function paint(color: keyof typeof COLORS): string;',
    '',
    '/**',
    ' * Prefix `message` with `level` in brackets.',
    ' * @jaunt',
    ' */',
    'export declare function atLevel(level: typeof LEVELS[number], message: string): string;',
    '',
    '/**',
    ' * The names of `colors`, comma-separated.',
    ' * @jaunt',
    ' */',
    'export declare function colorNames(colors: typeof models.COLORS): string;',
    '',
    '/**',
    ' * Merge `options` over the defaults and describe the result.',
    ' * @jaunt',
    ' */',
    'export declare function configure(options: Partial<typeof DEFAULTS>): string;',
    '',
    '/**',
    ' * Whether `n` is within `limits`.',
    ' * @jaunt',
    ' */',
    'export declare function within(n: number, limits: typeof LIMITS): boolean;',
    '',
  ].join('\n'),
};

type Files = Record<string, string>;

function analyze(files: Files): { program: ts.Program; analysis: ProgramAnalysis } {
  const program = inMemoryProgram(files);
  return { program, analysis: analyzeProgram(ts, program, IN_MEMORY_ROOT) };
}

function specOf(analysis: ProgramAnalysis, name: string): AnalyzedSpec {
  const spec = analysis.specs.find((s) => s.ir.name === name);
  if (!spec) throw new Error(`no spec ${name}`);
  return spec;
}

function hashesOf(files: Files): Map<string, string> {
  const { analysis } = analyze(files);
  expect(analysis.diagnostics).toEqual([]);
  return new Map(analysis.specs.map((s) => [s.ir.name, s.hash ?? 'unkeyed']));
}

/** Applies a text replacement to one file and fails loudly if the pattern is not there. */
function edit(files: Files, file: string, from: string, to: string): Files {
  const before = files[file];
  if (before === undefined) throw new Error(`no file ${file}`);
  const after = before.replace(from, to);
  if (after === before) throw new Error(`edit of ${file} changed nothing: ${from}`);
  return { ...files, [file]: after };
}

const USER_SCHEMA = 'export const UserSchema = object({ name: string(), address: AddressSchema });';

interface Row {
  edit: string;
  change: (files: Files) => Files;
  changed: string[];
}

const SPECS = ['atLevel', 'colorNames', 'configure', 'greet', 'paint', 'within'];

const ROWS: Row[] = [
  {
    edit: 'adding a field to UserSchema',
    change: (f) => edit(f, 'src/models.ts', 'name: string(), address', 'name: string(), age: number(), address'),
    changed: ['greet'],
  },
  {
    edit: 'adding a field to AddressSchema (named only in the initializer of UserSchema)',
    change: (f) => edit(f, 'src/models.ts', 'zip: number() }', 'zip: number(), city: string() }'),
    changed: ['greet'],
  },
  {
    edit: 'changing the declared return type of the project builder `string`',
    change: (f) => edit(f, 'src/schema.ts', 'export function string(): Schema<string> {', 'export function string(): Schema<string | null> {'),
    changed: ['greet'],
  },
  {
    edit: 'editing the body of a builder whose return type is declared',
    change: (f) => edit(f, 'src/schema.ts', '(input) => String(input)', '(input) => `${String(input)}`'),
    changed: [],
  },
  {
    edit: 'editing a schema that no spec reads',
    change: (f) => edit(f, 'src/models.ts', 'object({ id: number() })', 'object({ id: string() })'),
    changed: [],
  },
  {
    edit: 'reformatting UserSchema over several lines with a trailing comma',
    change: (f) => edit(f, 'src/models.ts', USER_SCHEMA,
      'export const UserSchema = object({\n  name: string(),\n  address:   AddressSchema,\n})'),
    changed: [],
  },
  {
    edit: 'commenting UserSchema with line, block and JSDoc comments',
    change: (f) => edit(f, 'src/models.ts', USER_SCHEMA,
      '// the user\nexport const UserSchema = object({ /** shown */ name: string(), // inline\n address: AddressSchema /* last */ });'),
    changed: [],
  },
  {
    edit: 'dropping the semicolon after UserSchema (automatic semicolon insertion)',
    change: (f) => edit(f, 'src/models.ts', 'address: AddressSchema });', 'address: AddressSchema })'),
    changed: [],
  },
  {
    edit: 'adding a space inside a string literal of COLORS (whitespace in a token is not formatting)',
    change: (f) => edit(f, 'src/models.ts', "red: '#f00'", "red: '#f00 '"),
    changed: ['colorNames', 'paint'],
  },
  {
    edit: 'renaming a key of COLORS (read with `keyof typeof` and with `typeof ns.COLORS`)',
    change: (f) => edit(f, 'src/models.ts', "green: '#0f0'", "blue: '#00f'"),
    changed: ['colorNames', 'paint'],
  },
  {
    edit: 'adding a level to LEVELS (read with `typeof LEVELS[number]`)',
    change: (f) => edit(f, 'src/models.ts', "'warn'] as const", "'warn', 'error'] as const"),
    changed: ['atLevel'],
  },
  {
    edit: 'adding an option to DEFAULTS (read with `Partial<typeof DEFAULTS>`)',
    change: (f) => edit(f, 'src/models.ts', 'verbose: false }', 'verbose: false, timeoutMs: 1000 }'),
    changed: ['configure'],
  },
  {
    edit: 'changing a const named only in the initializer of a const with a declared type',
    change: (f) => edit(f, 'src/models.ts', 'export const MAX = 5;', 'export const MAX = 6;'),
    changed: [],
  },
  {
    edit: 'changing the declared type of that const',
    change: (f) => edit(f, 'src/models.ts', 'LIMITS: { max: number }', 'LIMITS: { max: number; min?: number }'),
    changed: ['within'],
  },
];

describe('values read with typeof are part of the spec hash', () => {
  const base = hashesOf({ ...BASE });

  test('the project type-checks, and every spec is keyed', () => {
    const { program } = analyze({ ...BASE });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    expect([...base.keys()].sort()).toEqual(SPECS);
  });

  test("greet's referenced declarations are its types, the schemas its type reads and the builders they call", () => {
    const keys = specOf(analyze({ ...BASE }).analysis, 'greet').typeSources.map((t) => `${t.kind} ${t.key}`);
    expect(keys).toEqual([
      'type src/models.ts#User',
      'value src/models.ts#typeof AddressSchema',
      'value src/models.ts#typeof UserSchema',
      'type src/schema.ts#Infer',
      'type src/schema.ts#ObjectOf',
      'type src/schema.ts#Schema',
      'type src/schema.ts#Shape',
      'value src/schema.ts#typeof number',
      'value src/schema.ts#typeof object',
      'value src/schema.ts#typeof string',
    ]);
  });

  test.each(ROWS.map((r) => [`${r.edit} changes the hash of ${r.changed.join(' and ') || 'no spec'}`, r] as const))(
    '%s', (_title, { change, changed }) => {
      const after = hashesOf(change({ ...BASE }));
      const moved = SPECS.filter((name) => after.get(name) !== base.get(name));
      expect(moved).toEqual(changed);
    });

  test('the parenthesized `(typeof LEVELS)[number]` reads the same value as `typeof LEVELS[number]`', () => {
    const files = edit({ ...BASE }, 'src/spec.ts', 'level: typeof LEVELS[number]', 'level: (typeof LEVELS)[number]');
    const before = hashesOf(files).get('atLevel');
    expect(hashesOf(edit(files, 'src/models.ts', "'warn'] as const", "'warn', 'error'] as const")).get('atLevel')).not.toBe(before);
  });

  test('a function with an inferred return type is hashed with its body, and the values that body names are followed', () => {
    const files = {
      'src/defaults.ts': 'export const BASE_RETRIES = 3;\nexport function defaults() {\n  return { retries: BASE_RETRIES };\n}\n',
      'src/spec.ts': "import type { defaults } from './defaults';\n\n/**\n * Describe `d`.\n * @jaunt\n */\n" +
        'export declare function describe(d: ReturnType<typeof defaults>): string;\n',
    };
    const before = hashesOf(files).get('describe');
    expect(hashesOf(edit(files, 'src/defaults.ts', 'retries: BASE_RETRIES', 'retries: BASE_RETRIES, verbose: true')).get('describe')).not.toBe(before);
    expect(hashesOf(edit(files, 'src/defaults.ts', 'BASE_RETRIES = 3', "BASE_RETRIES = '3'")).get('describe')).not.toBe(before);
    expect(hashesOf(edit(files, 'src/defaults.ts', '  return {', '  // the defaults\n  return {')).get('describe')).toBe(before);
  });
});

describe('cycles among values', () => {
  test('self-referential and mutually recursive initializers and functions end, each declaration listed once', () => {
    const files = {
      'src/cyclic.ts': [
        'export const Self = { me: () => Self };',
        'export const A = { next: () => B };',
        'export const B = { prev: () => A, self: Self };',
        'export function ping() { return pong(); }',
        'export function pong() { return ping(); }',
        '',
      ].join('\n'),
      'src/spec.ts': "import type { A, ping } from './cyclic';\n\n/**\n * Walk `a`.\n * @jaunt\n */\n" +
        'export declare function walk(a: typeof A, p: typeof ping): number;\n',
    };
    const walk = specOf(analyze(files).analysis, 'walk');
    expect(walk.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(walk.typeSources.map((t) => t.name)).toEqual(['A', 'B', 'Self', 'ping', 'pong']);
  });
});

describe('the prompt shows the values', () => {
  test("greet's user message carries UserSchema and AddressSchema as written, under a heading that names typeof", () => {
    const { program, analysis } = analyze({ ...BASE });
    const { user } = buildPrompt(ts, program, analysis, specOf(analysis, 'greet'), { packageDeps: [] });
    expect(user).toContain('Types the signature uses, and the values whose type they take with `typeof`:');
    expect(user).toContain(`// value UserSchema (from src/models.ts: import type { UserSchema } from './models')\n` +
      `/** A user: the schema is the source of truth for the type. */\n${USER_SCHEMA}`);
    expect(user).toContain('/** A postal address. */\nexport const AddressSchema = object({ street: string(), zip: number() });');
    // A builder with a declared return type is shown by its signature: its body cannot change the type.
    expect(user).toContain('// value string (from src/schema.ts: import type { string } from \'./schema\')\nexport function string(): Schema<string> { … }');
    expect(user).not.toContain('OrderSchema');
  });

  test('a spec without typeof keeps the plain heading', () => {
    const files = { 'src/spec.ts': 'export interface P { x: number }\n/**\n * Norm of `p`.\n * @jaunt\n */\nexport declare function norm(p: P): number;\n' };
    const { program, analysis } = analyze(files);
    const { user } = buildPrompt(ts, program, analysis, specOf(analysis, 'norm'), { packageDeps: [] });
    expect(user).toContain('Types the signature uses:\n```ts\n// P (declared in src/spec.ts: in scope)');
  });
});

describe('status after a schema edit', () => {
  const tmp: string[] = [];
  afterAll(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('greet is stale because a referenced type changed, and the other specs stay fresh', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaunt-typeof-'));
    tmp.push(cacheDir);
    for (const spec of analyze({ ...BASE }).analysis.specs) {
      writeEntry(cacheDir, {
        name: spec.ir.name, hash: spec.hash!, file: spec.ir.file, model: 'test', inputs: formatInputs(spec.inputs!),
        body: `export function ${spec.ir.name}(): never {\n  throw new Error('unused');\n}\n`,
      });
    }
    const { program, analysis: edited } = analyze(edit({ ...BASE }, 'src/models.ts', 'name: string(), address', 'name: string(), age: number(), address'));
    // Only the contract is under test here: the in-memory files cannot be re-checked from disk.
    const verdicts = { has: () => true, remember: () => undefined };
    const { statuses } = classifySpecs({ ts, program, analysis: edited, cacheDir, missingHint: '', verdicts });
    expect(statuses.filter((s) => s.status !== 'fresh').map((s) => [s.name, s.status, s.reasons])).toEqual([
      ['greet', 'stale', ['a referenced type']],
    ]);
  });
});
