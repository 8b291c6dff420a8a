/**
 * Malformed specs, each in a tiny project compiled in memory with the plugin as tsc would run it:
 * the right JAUNT code at the right place, an emit that never crashes, and for a spec that is reported
 * but still a function, emitted JavaScript that throws an error naming the spec and its code.
 */
import * as ts from 'typescript';
import jauntPlugin from '../transformer/plugin';
import { TS_CODE_BASE } from '../transformer/to-ts-diagnostic';
import { IN_MEMORY_OPTIONS, IN_MEMORY_ROOT, inMemoryProgram } from './support/fixture-project';

interface Built {
  diagnostics: ts.Diagnostic[];
  /** Emitted JavaScript by project-relative output path (`out/a.js`). */
  js: Map<string, string>;
}

const EMIT_OPTIONS: ts.CompilerOptions = { ...IN_MEMORY_OPTIONS, noEmit: false, outDir: `${IN_MEMORY_ROOT}/out`, rootDir: IN_MEMORY_ROOT };

/** Compiles the files with the plugin as a `before` transformer; mode "never": nothing is generated. */
function build(files: Record<string, string>): Built {
  const program = inMemoryProgram(files, EMIT_OPTIONS);
  const diagnostics: ts.Diagnostic[] = [];
  const before = jauntPlugin(program, { mode: 'never' }, {
    ts, diagnostics, addDiagnostic: (d) => diagnostics.push(d), removeDiagnostic: (i) => void diagnostics.splice(i, 1),
  });
  const js = new Map<string, string>();
  const result = program.emit(undefined, (file, text) => {
    if (file.endsWith('.js')) js.set(file.slice(IN_MEMORY_ROOT.length + 1), text);
  }, undefined, false, { before: [before] });
  expect(result.emitSkipped).toBe(false);
  return { diagnostics, js };
}

const jauntCodes = (b: Built): number[] =>
  b.diagnostics.filter((d) => d.code > TS_CODE_BASE).map((d) => d.code - TS_CODE_BASE).sort();

/** Runs emitted CommonJS and calls one of its exports; returns the message it threw (or 'no error'). */
function callExport(js: string, name: string): string {
  const exports: Record<string, unknown> = {};
  new Function('exports', 'require', js)(exports, require);
  const fn = exports[name];
  if (typeof fn !== 'function') return `${name} is not exported as a function`;
  try {
    fn(1, 2);
    return 'no error';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const spec = (doc: string, decl: string): string => `/**\n * ${doc}\n * @jaunt\n */\n${decl}\n`;

interface Row {
  problem: string;
  files: Record<string, string>;
  code: number;
  /** A file:line the diagnostic must point at. */
  at: [file: string, line: number];
  /** The export that must throw an error naming the code (a spec that is reported but still emitted). */
  throws?: string;
  /** What the message must say: the name it reports and the fix it gives. */
  says?: RegExp;
}

const ROWS: Row[] = [
  {
    problem: 'a spec without a return type', code: 1005, at: ['src/a.ts', 5], throws: 'f',
    files: { 'src/a.ts': spec('Double `n`.', 'export declare function f(n: number);') },
  },
  {
    problem: 'a spec with `any` in a parameter', code: 1006, at: ['src/a.ts', 5], throws: 'f',
    files: { 'src/a.ts': spec('Describe `x`.', 'export declare function f(x: any): string;') },
  },
  {
    problem: 'a spec with `any` nested in its return type', code: 1006, at: ['src/a.ts', 5], throws: 'f',
    files: { 'src/a.ts': spec('List things.', 'export declare function f(n: number): Promise<Array<any>>;') },
  },
  {
    problem: 'a spec with an untyped parameter', code: 1006, at: ['src/a.ts', 5], throws: 'f',
    files: { 'src/a.ts': spec('Echo `x`.', 'export declare function f(x): string;') },
  },
  {
    problem: 'a spec with an empty contract', code: 1007, at: ['src/a.ts', 4], throws: 'f',
    files: { 'src/a.ts': '/**\n * @jaunt\n */\nexport declare function f(n: number): number;\n' },
  },
  {
    problem: 'overloads that carry different contracts', code: 1008, at: ['src/a.ts', 10], throws: 'f',
    files: {
      'src/a.ts': spec('Parse `x`.', 'export declare function f(x: string): number;') +
        spec('Parse `x` differently.', 'export declare function f(x: number): number;'),
    },
  },
  {
    problem: '@jaunt on a function that has a body', code: 1001, at: ['src/a.ts', 5],
    files: { 'src/a.ts': spec('Double `n`.', 'export function f(n: number): number {\n  return n * 2;\n}') },
  },
  {
    problem: '@jaunt on a const', code: 1002, at: ['src/a.ts', 5],
    files: { 'src/a.ts': spec('Double `n`.', 'export const f = (n: number): number => n * 2;') },
  },
  {
    problem: '@jaunt on a class that has a body', code: 1032, at: ['src/a.ts', 5], says: /not a `declare class`: write `declare class Counter \{ \.\.\. \}`/,
    files: { 'src/a.ts': spec('A counter.', 'export class Counter {\n  n = 0;\n}') },
  },
  {
    problem: '@jaunt on a class member', code: 1009, at: ['src/a.ts', 6],
    says: /'inc' in class 'Counter' is not supported.*`export declare function inc\(\): number;`.*call it from there/,
    files: { 'src/a.ts': 'export declare class Counter {\n  /**\n   * Add one.\n   * @jaunt\n   */\n  inc(): number;\n}\n' },
  },
  {
    problem: '@jaunt on an interface member', code: 1009, at: ['src/a.ts', 6], says: /'inc' in interface 'Counter'/,
    files: { 'src/a.ts': 'export interface Counter {\n  /**\n   * Add one.\n   * @jaunt\n   */\n  inc(): number;\n}\n' },
  },
  {
    problem: 'a spec nested in a namespace', code: 1009, at: ['src/a.ts', 6],
    says: /'f' in namespace 'N'.*`export declare function f\(n: number\): number;` with this JSDoc at the top level/,
    files: { 'src/a.ts': 'export declare namespace N {\n  /**\n   * Double `n`.\n   * @jaunt\n   */\n  function f(n: number): number;\n}\n' },
  },
  {
    problem: 'two specs with the same name in one file', code: 1004, at: ['src/a.ts', 11],
    files: {
      'src/a.ts': spec('Double `n`.', 'export declare function f(n: number): number;') +
        'export const between = 1;\n' + spec('Triple `n`.', 'export declare function f(n: number): number;'),
    },
  },
  {
    problem: 'a spec in a declaration file', code: 1003, at: ['src/a.d.ts', 5],
    files: { 'src/a.d.ts': spec('Double `n`.', 'export declare function f(n: number): number;'), 'src/b.ts': 'export const b = 1;\n' },
  },
  {
    problem: 'an unknown name in @jauntDeps', code: 1010, at: ['src/a.ts', 3], throws: 'f',
    says: /spec 'f' lists unknown dependency 'nowhere'.*List only the names of @jaunt specs, or remove it\. 'f' is not generated/,
    files: { 'src/a.ts': '/**\n * Double `n`.\n * @jauntDeps nowhere\n * @jaunt\n */\nexport declare function f(n: number): number;\n' },
  },
  {
    problem: 'a dependency cycle through @jauntDeps', code: 1011, at: ['src/a.ts', 6], throws: 'f',
    files: {
      'src/a.ts': '/**\n * Ping `n`.\n * @jauntDeps g\n * @jaunt\n */\nexport declare function f(n: number): number;\n' +
        '/**\n * Pong `n`.\n * @jauntDeps f\n * @jaunt\n */\nexport declare function g(n: number): number;\n',
    },
  },
  {
    problem: 'a @jauntDeps name that several files define', code: 1012, at: ['src/a.ts', 3], throws: 'f',
    says: /specs in 2 files \(src\/b\.ts:5, src\/c\.ts:5\): import the one you mean/,
    files: {
      'src/a.ts': '/**\n * Use it.\n * @jauntDeps h\n * @jaunt\n */\nexport declare function f(n: number): number;\n',
      'src/b.ts': spec('One h.', 'export declare function h(n: number): number;'),
      'src/c.ts': spec('Another h.', 'export declare function h(n: number): number;'),
    },
  },
  {
    problem: 'an unknown @jauntDeps name near a spec name', code: 1010, at: ['src/a.ts', 3], throws: 'f',
    files: { 'src/a.ts': '/**\n * Slug `s`.\n * @jauntDeps slugfy\n * @jaunt\n */\nexport declare function f(n: number): number;\n' + spec('Slugify.', 'export declare function slugify(n: number): number;') },
    says: /Did you mean 'slugify'\?/,
  },
  {
    problem: 'an unnamed default-exported spec', code: 1001, at: ['src/a.ts', 5],
    files: { 'src/a.ts': spec('Double `n`.', 'export default function (n: number): number;') },
    says: /write `declare function <name>\(n: number\): number;` under this JSDoc, then `export default <name>;`/,
  },
  {
    problem: 'a named default export with @jaunt and a body', code: 1001, at: ['src/a.ts', 5],
    files: { 'src/a.ts': spec('Double `n`.', 'export default function dbl(n: number): number {\n  return n * 2;\n}') },
    says: /remove the body and write `declare function dbl\(n: number\): number;` under this JSDoc, then `export default dbl;`/,
  },
  {
    problem: 'a spec named require', code: 1015, at: ['src/a.ts', 5],
    files: { 'src/a.ts': spec('Load `id`.', 'export declare function require(id: string): unknown;') },
    says: /spec 'require' cannot have that name.*Rename it/,
  },
];

describe('malformed specs', () => {
  test.each(ROWS.map((r) => [r.problem, r] as const))('%s is reported with its code where it is written, without a crash', (_p, row) => {
    const built = build(row.files);
    expect(jauntCodes(built)).toContain(row.code);
    const d = built.diagnostics.find((x) => x.code === TS_CODE_BASE + row.code)!;
    expect(d.category).toBe(ts.DiagnosticCategory.Error);
    expect(ts.flattenDiagnosticMessageText(d.messageText, '\n')).toMatch(new RegExp(`^JAUNT${row.code}: `));
    expect(d.file?.fileName).toBe(`${IN_MEMORY_ROOT}/${row.at[0]}`);
    expect(d.file!.getLineAndCharacterOfPosition(d.start!).line + 1).toBe(row.at[1]);
    if (row.says) expect(ts.flattenDiagnosticMessageText(d.messageText, '\n')).toMatch(row.says);
    // Every source file still emits.
    const sources = Object.keys(row.files).filter((f) => !f.endsWith('.d.ts'));
    expect([...built.js.keys()].sort()).toEqual(sources.map((f) => f.replace(/\.ts$/, '.js').replace(/^/, 'out/')).sort());
  });

  test.each(ROWS.filter((r) => r.throws).map((r) => [r.problem, r] as const))(
    '%s still emits the function, which throws naming the spec and the code', (_p, row) => {
      const built = build(row.files);
      const js = built.js.get('out/src/a.js')!;
      const message = callExport(js, row.throws!);
      expect(message).toContain(`Jaunt has no implementation for spec '${row.throws}'`);
      expect(message).toContain(`JAUNT${row.code}`);
    });

  test('a function with a body keeps its body when @jaunt is misplaced on it', () => {
    const row = ROWS.find((r) => r.code === 1001)!;
    expect(callExport(build(row.files).js.get('out/src/a.js')!, 'f')).toBe('no error');
  });

  test('the advice for a default export works: a named `declare function` then `export default` ships the spec', () => {
    const built = build({ 'src/a.ts': spec('Double `n`.', 'declare function dbl(n: number): number;') + 'export default dbl;\n' });
    expect(jauntCodes(built)).toEqual([2001]);
    expect(callExport(built.js.get('out/src/a.js')!, 'default')).toContain("Jaunt has no implementation for spec 'dbl': JAUNT2001");
  });

  test('a syntax error inside a spec neither crashes the build nor hides the spec', () => {
    const built = build({ 'src/a.ts': spec('Double `n`.', 'export declare function f(n: number, ): number') + 'export const x = ;\n' });
    expect(built.js.has('out/src/a.js')).toBe(true);
    // The spec is still found: with no cache it is missing, not silently dropped.
    expect(jauntCodes(built)).toContain(2001);
  });

  test('a project whose only problem is a bad spec reports nothing for the good specs beside it except their cache state', () => {
    const built = build({
      'src/a.ts': spec('Double `n`.', 'export declare function good(n: number): number;') +
        spec('Broken.', 'export declare function bad(n: any): number;'),
    });
    const codes = built.diagnostics.map((d) => [d.code - TS_CODE_BASE, ts.flattenDiagnosticMessageText(d.messageText, '\n').match(/spec '(\w+)'/)?.[1]]);
    expect(codes.sort()).toEqual([[1006, 'bad'], [2001, 'good']]);
  });
});
