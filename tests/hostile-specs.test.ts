/**
 * Hostile and broken inputs around specs: a tag Jaunt would not read (a spec that would silently vanish
 * from the emit), a name no module can hold, a dependency that names nothing. Each is compiled in memory
 * with the plugin as tsc runs it; the dropped-spec cases are also built with the real tspc.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { resolveOptions } from '../config/options';
import { analyzeProgram } from '../core/analyze-program';
import { prepareProgram } from '../core/prepare-program';
import { Codes, type JauntDiagnostic } from '../core/errors';
import { reportDiagnostics } from '../generate/generate-sync';
import { stubSpecsAfterFailure } from '../spec/fallback-stubs';
import { findSpecsInFile } from '../spec/find-specs';
import jauntPlugin from '../transformer/plugin';
import { TS_CODE_BASE } from '../transformer/to-ts-diagnostic';
import { FixtureProject, IN_MEMORY_OPTIONS, IN_MEMORY_ROOT, inMemoryProgram } from './support/fixture-project';

const OPTIONS: ts.CompilerOptions = { ...IN_MEMORY_OPTIONS, noEmit: false, outDir: `${IN_MEMORY_ROOT}/out`, rootDir: IN_MEMORY_ROOT, allowJs: true };

interface Reported { code: number; severity: 'error' | 'warning'; file: string; line: number; text: string }

/** Compiles with the plugin (mode "never"): errors from tsc's diagnostics, warnings from stderr, and the JS. */
function build(files: Record<string, string>): { reported: Reported[]; js: Map<string, string> } {
  const program = inMemoryProgram(files, OPTIONS);
  const diagnostics: ts.Diagnostic[] = [];
  const printed: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (printed.push(String(s)), true));
  const js = new Map<string, string>();
  try {
    const before = jauntPlugin(program, { mode: 'never' }, { ts, diagnostics, addDiagnostic: (d) => diagnostics.push(d) });
    program.emit(undefined, (f, text) => void (f.endsWith('.js') && js.set(f.slice(IN_MEMORY_ROOT.length + 1), text)), undefined, false, { before: [before] });
  } finally {
    spy.mockRestore();
  }
  const reported: Reported[] = diagnostics.filter((d) => d.code > TS_CODE_BASE).map((d) => ({
    code: d.code - TS_CODE_BASE, severity: 'error', file: path.relative(IN_MEMORY_ROOT, d.file!.fileName),
    line: d.file!.getLineAndCharacterOfPosition(d.start!).line + 1, text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
  for (const m of printed.join('').matchAll(/^(\S+)\((\d+),\d+\): warning TS(\d+): ([\s\S]*?)(?=^\S+\(\d+,\d+\): |(?![\s\S]))/gm)) {
    reported.push({ code: Number(m[3]) - TS_CODE_BASE, severity: 'warning', file: m[1]!.slice(m[1]!.indexOf('src/')), line: Number(m[2]), text: m[4]!.trim() });
  }
  return { reported, js };
}

/** Loads emitted CommonJS and calls an export; what it returned or the message it threw. */
function call(js: string, name: string, ...args: unknown[]): string {
  const exports: Record<string, unknown> = {};
  new Function('exports', 'require', js)(exports, require);
  const fn = exports[name];
  if (typeof fn !== 'function') return `${name} is not exported as a function`;
  try {
    return `returned ${JSON.stringify(fn(...args))}`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const F = 'export declare function f(n: number): number;\n';
const jsdoc = (...lines: string[]) => `/**\n${lines.map((l) => ` * ${l}\n`).join('')} */\n`;

interface Row {
  input: string;
  files: Record<string, string>;
  code: number;
  severity: 'error' | 'warning';
  at: [file: string, line: number];
  spec: string;
  /** The actionable part: what to write instead. */
  says: RegExp;
  /** A warning on code that is not a spec: that code must still run as written. */
  keepsCode?: true;
}

const DROPPED: Row[] = [
  { input: 'a `// @jaunt` line comment', files: { 'src/a.ts': `// Double n.\n// @jaunt\n${F}` }, code: 1013, severity: 'error', at: ['src/a.ts', 2], spec: 'f',
    says: /`\/\/` comment.*\n\/\*\*\n \* Double n\.\n \* @jaunt\n \*\/$/s },
  { input: 'a `/* @jaunt */` block comment', files: { 'src/a.ts': `/* Double n. @jaunt */\n${F}` }, code: 1013, severity: 'error', at: ['src/a.ts', 1], spec: 'f',
    says: /reads only JSDoc.*\/\*\*\n \* Double n\.\n \* @jaunt\n \*\/$/s },
  { input: 'a wrong-case `@Jaunt`', files: { 'src/a.ts': jsdoc('Double n.', '@Jaunt') + F }, code: 1014, severity: 'error', at: ['src/a.ts', 3], spec: 'f',
    says: /case-sensitive.*write `@jaunt` instead of `@Jaunt`/s },
  { input: 'the near miss `@jant`', files: { 'src/a.ts': jsdoc('Double n.', '@jant') + F }, code: 1014, severity: 'error', at: ['src/a.ts', 3], spec: 'f',
    says: /did you mean `@jaunt`\?.*write `@jaunt` instead of `@jant`/s },
  { input: 'the near miss `@jaunts`', files: { 'src/a.ts': jsdoc('Double n.', '@jaunts') + F }, code: 1014, severity: 'error', at: ['src/a.ts', 3], spec: 'f',
    says: /write `@jaunt` instead of `@jaunts`/ },
  { input: 'a spaced `@ jaunt`', files: { 'src/a.ts': jsdoc('Double n.', '@ jaunt') + F }, code: 1014, severity: 'error', at: ['src/a.ts', 3], spec: 'f',
    says: /no space may follow @.*instead of `@ jaunt`/s },
  { input: 'a transposed `@juant` in a file that never says "jaunt"', files: { 'src/a.ts': jsdoc('Double n.', '@juant') + F }, code: 1014, severity: 'error', at: ['src/a.ts', 3], spec: 'f',
    says: /instead of `@juant`/ },
  { input: 'a second JSDoc between the tag and the declaration', files: { 'src/a.ts': `${jsdoc('Double n.', '@jaunt')}/** @deprecated */\n${F}` }, code: 1013, severity: 'error',
    at: ['src/a.ts', 3], spec: 'f', says: /other JSDoc is at line 5.*merge the two comments into one JSDoc/s },
  { input: 'a one-line JSDoc with `@jaunt` inside the text', files: { 'src/a.ts': `/** Double n. @jaunt */\n${F}` }, code: 1013, severity: 'error', at: ['src/a.ts', 1], spec: 'f',
    says: /inside a line of text.*\/\*\*\n \* Double n\.\n \* @jaunt\n \*\/$/s },
  { input: '`@jauntDeps` without `@jaunt`', files: { 'src/a.ts': jsdoc('Double n.', '@jauntDeps g') + F + jsdoc('G.', '@jaunt') + 'export declare function g(n: number): number;\n' },
    code: 1014, severity: 'error', at: ['src/a.ts', 3], spec: 'f', says: /no `@jaunt` tag.*add the line ` \* @jaunt` at the end of its JSDoc/s },
];

const SUSPICIOUS: Row[] = [
  { input: 'a `// @jaunt` above a function with a body', files: { 'src/a.ts': '// @jaunt\nexport function f(n: number): number {\n  return n * 2;\n}\n' }, code: 1013,
    severity: 'warning', at: ['src/a.ts', 1], spec: 'f', says: /leaves it as written\. To make it a spec, write `export declare function f\(n: number\): number;` \(no body\)/, keepsCode: true },
  { input: 'a wrong-case `@Jaunt` above a const', files: { 'src/a.ts': `${jsdoc('Double n.', '@Jaunt')}export const f = (n: number): number => n * 2;\n` }, code: 1014,
    severity: 'warning', at: ['src/a.ts', 3], spec: 'f', says: /write `export declare function f\(n: number\): number;`.*otherwise remove the tag/, keepsCode: true },
  { input: 'a `@jaunt` JSDoc on a function in a .js file', files: { 'src/main.ts': "import './b';\n", 'src/b.js': `${jsdoc('Double n.', '@jaunt')}export function f(n) {\n  return n * 2;\n}\n` },
    code: 1001, severity: 'error', at: ['src/b.js', 5], spec: 'f', says: /Jaunt specs need TypeScript.*`export declare function f\(n\): T;` with this JSDoc in a \.ts file/s },
  { input: 'a `// @jaunt` on a function in a .js file', files: { 'src/main.ts': "import './b';\n", 'src/b.js': '// @jaunt\nexport function f(n) {\n  return n * 2;\n}\n' },
    code: 1013, severity: 'warning', at: ['src/b.js', 1], spec: 'f', says: /Jaunt specs need TypeScript.*in a \.ts file and import it from here/ },
  { input: 'a misspelt `@jauntdeps` in a real spec', files: { 'src/a.ts': jsdoc('Double n.', '@jauntdeps g', '@jaunt') + F + jsdoc('G.', '@jaunt') + 'export declare function g(n: number): number;\n' },
    code: 1014, severity: 'warning', at: ['src/a.ts', 3], spec: 'f', says: /`@jauntdeps`, which Jaunt does not read.*write `@jauntDeps`/s },
];

describe('a misplaced or misspelt @jaunt', () => {
  test.each([...DROPPED, ...SUSPICIOUS].map((r) => [r.input, r] as const))('%s is reported with its code at its file:line, naming the spec and the fix', (_i, row) => {
    const { reported } = build(row.files);
    const mine = reported.filter((d) => d.code === row.code);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ severity: row.severity, file: row.at[0], line: row.at[1] });
    expect(mine[0]!.text).toMatch(new RegExp(`^JAUNT${row.code}: '${row.spec}' |spec '${row.spec}'|^JAUNT${row.code}: .*'${row.spec}'`));
    expect(mine[0]!.text).toMatch(row.says);
  });

  test.each(DROPPED.map((r) => [r.input, r] as const))('%s does not leave the module without the function: it throws naming the code', (_i, row) => {
    const message = call(build(row.files).js.get('out/src/a.js')!, 'f', 1);
    expect(message).toContain(`Jaunt has no implementation for spec 'f': JAUNT${row.code}`);
  });

  test.each(SUSPICIOUS.filter((r) => r.keepsCode).map((r) => [r.input, r] as const))(
    '%s keeps its own code', (_i, row) => expect(call(build(row.files).js.get('out/src/a.js')!, 'f', 21)).toBe('returned 42'));

  test('a misplaced tag above overloads stands in for every overload', () => {
    const { js } = build({ 'src/a.ts': '// @jaunt\nexport declare function f(n: number): number;\nexport declare function f(s: string): string;\n' });
    expect(call(js.get('out/src/a.js')!, 'f', 'x')).toMatch(/^Jaunt has no implementation for spec 'f': JAUNT1013/);
  });
});

describe('ordinary code is left alone', () => {
  test('prose, packages, e-mails, other tags and `@jauntDeps` in a real spec report nothing', () => {
    const a = analyzeProgram(ts, inMemoryProgram({
      'src/a.ts': `${jsdoc('Built with jaunt; see @jaunt/cli and mail bob@jaunt.dev.', '@see https://jaunt.dev')}declare function gtag(...a: unknown[]): void;\n` +
        `${jsdoc('Unlike the @jaunt specs, written by hand.')}export function g(n: number): number {\n  return n;\n}\n` +
        `// jaunt: the tool, not a tag. @jaunty @haunted\nexport const jaunt = 1;\n${jsdoc('Wrap s.', '@jauntDeps slug', '@param s the text', '@jaunt')}` +
        `export declare function wrap(s: string): string;\n${jsdoc('Slug of s.', '@jaunt')}export declare function slug(s: string): string;\n`,
      'src/b.ts': `${jsdoc('A plain ambient.', '@deprecated use gtag')}export declare function legacy(n: number): number;\n`,
    }), IN_MEMORY_ROOT);
    expect(a.diagnostics).toEqual([]);
    expect(a.specs.map((s) => `${s.ir.name}:${s.ir.deps.join(',')}`).sort()).toEqual(['slug:', 'wrap:src/a.ts#slug']);
  });

  test('a file that never says "jaunt" is scanned only at its `declare function`s', () => {
    let calls = 0;
    const counting = { ...ts, getLeadingCommentRanges: (text: string, pos: number) => (calls++, ts.getLeadingCommentRanges(text, pos)) } as typeof ts;
    const parse = (text: string) => ts.createSourceFile('/p/a.ts', text, ts.ScriptTarget.ES2022, true);
    const plain = '/** Add. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n'.repeat(20);
    expect(findSpecsInFile(counting, parse(plain)).diagnostics).toEqual([]);
    expect(calls).toBe(0);
    findSpecsInFile(counting, parse(`${plain}/** Ambient. */\ndeclare function g(): void;\n`));
    // One look at the one `declare function`, not at the twenty documented functions.
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(2);
  });
});

describe('a spec that must not be generated is blocked before any request', () => {
  const files = {
    'src/a.ts': `${jsdoc('Slug of s.', '@jauntDeps slugfy', '@jaunt')}export declare function f(s: string): string;\n` +
      `${jsdoc('Slugify s.', '@jaunt')}export declare function slugify(s: string): string;\n${jsdoc('Uses f.', '@jauntDeps f', '@jaunt')}export declare function h(s: string): string;\n` +
      `${jsdoc('Load a module.', '@jaunt')}export declare function require(id: string): unknown;\n${jsdoc('Bad.', '@jaunt')}export declare function bad(x: any): number;\n` +
      `${jsdoc('Uses {@link bad}.', '@jaunt')}export declare function usesBad(n: number): number;\n`,
  };

  test('only the generable spec reaches the generator; the others are invalid with their codes', () => {
    const asked: string[] = [];
    const options = { ...resolveOptions({ mode: 'auto' }, IN_MEMORY_ROOT), cacheDir: `${IN_MEMORY_ROOT}/.jaunt` };
    const verdicts = { has: () => false, remember: () => undefined };
    const prepared = prepareProgram(ts, inMemoryProgram(files), options, (_a, specs) => (asked.push(...specs.map((s) => s.ir.name)), []), undefined, verdicts);
    expect(asked).toEqual(['slugify']);
    const byName = new Map(prepared.statuses.map((s) => [s.name, s]));
    expect(['f', 'h', 'usesBad', 'bad'].map((n) => [n, byName.get(n)?.status])).toEqual([['f', 'invalid'], ['h', 'invalid'], ['usesBad', 'invalid'], ['bad', 'invalid']]);
    expect(byName.has('require')).toBe(false);
  });

  test.each([
    ['an unknown @jauntDeps name', 1010, 'src/a.ts', 3, /spec 'f' lists unknown dependency 'slugfy'.*Did you mean 'slugify'\? 'f' is not generated/],
    ['a dependent of a blocked spec', 1016, 'src/a.ts', 17, /spec 'h' depends on spec 'f' \(src\/a\.ts:6\), which cannot be generated \(JAUNT1010\): fix 'f' first/],
    ['a {@link} to a malformed spec', 1016, 'src/a.ts', 32, /spec 'usesBad' depends on spec 'bad' \(src\/a\.ts:27\).*\(JAUNT1006\)/],
    ['a spec named require', 1015, 'src/a.ts', 22, /spec 'require' cannot have that name: .*CommonJS.*Rename it \(for example to 'requireFn'\)/],
  ])('%s is reported as JAUNT%i at %s:%i with what to do', (_w, code, file, line, says) => {
    const d = build(files).reported.filter((x) => x.code === code && says.test(x.text));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 'error', file, line });
  });

  test.each(['eval', 'arguments', 'let', 'await', 'exports', 'module', '__dirname', '__filename', '__awaiter'])('a spec named %s is rejected at discovery', (name) => {
    const a = analyzeProgram(ts, inMemoryProgram({ 'src/a.ts': jsdoc('Do it.', '@jaunt') + `export declare function ${name}(n: number): number;\n` }), IN_MEMORY_ROOT);
    expect(a.diagnostics.map((d) => [d.code, d.spec])).toEqual([[Codes.ReservedSpecName, name]]);
    expect(a.specs).toEqual([]);
  });
});

describe('failures outside discovery', () => {
  test('specs never sent after a rejected key carry its code, and dependents of a failure JAUNT3002', () => {
    const analysis = analyzeProgram(ts, inMemoryProgram({ 'src/a.ts': ['a', 'b', 'c'].map((n) => `${jsdoc(`Spec ${n}.`, '@jaunt')}export declare function ${n}(): void;\n`).join('') }), IN_MEMORY_ROOT);
    const o = (name: string, status: 'failed' | 'skipped', code: number | undefined, attempts: number, detail: string) =>
      ({ id: `src/a.ts#${name}`, name, status, code, attempts, detail, inputTokens: 0, outputTokens: 0 });
    const ds = reportDiagnostics(analysis, { inputTokens: 0, outputTokens: 0, wallMs: 0, outcomes: [
      o('a', 'failed', Codes.ProviderAuth, 1, 'the API rejected the key'), o('b', 'failed', Codes.GenerationFailed, 0, 'not attempted: the API rejected the key'),
      o('c', 'skipped', undefined, 0, 'dependency a failed'),
    ] });
    expect(ds.map((d: JauntDiagnostic) => [d.spec, d.code])).toEqual([['a', 3003], ['b', 3003], ['c', 3002]]);
    expect(ds[1]!.message).toMatch(/spec 'b' was not generated: the run stopped when spec 'a' failed \(JAUNT3003\)/);
  });

  test.each([false, true])('after an internal error every spec still ships, as a function that throws it (discovery throws: %s)', (discoveryThrows) => {
    const program = inMemoryProgram({ 'src/a.ts': `${jsdoc('Double n.', '@jaunt')}${F}export declare function f(s: string): string;\nexport const x = 1;\n` }, OPTIONS);
    const host = discoveryThrows ? { ...ts, canHaveModifiers: (n: ts.Node): n is ts.HasModifiers => { throw new Error(`boom at ${n.pos}`); } } : ts;
    const problem: JauntDiagnostic = { code: 4001, severity: 'error', message: 'internal error in jaunt-ts; please report it' };
    let out = '';
    program.emit(undefined, (f, text) => void (f.endsWith('a.js') && (out = text)), undefined, false, { before: [() => (sf) => stubSpecsAfterFailure(host, sf, problem)] });
    expect(call(out, 'f', 1)).toBe("Jaunt has no implementation for spec 'f': JAUNT4001: internal error in jaunt-ts; please report it");
    expect(call(out, 'x')).toBe('x is not exported as a function');
  });
});

describe('with the real compiler', () => {
  let project: FixtureProject;
  afterAll(() => project?.cleanup());

  test('tspc fails on every dropped spec, names it, and still emits each module with the function', async () => {
    const files = Object.fromEntries(DROPPED.map((r, i) => [`src/m${i}.ts`, r.files['src/a.ts']!]));
    project = FixtureProject.fromFiles('hostile', { ...files, 'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'commonjs', strict: true, outDir: 'out', rootDir: 'src', skipLibCheck: true, types: [], plugins: [{ transform: 'jaunt-ts/transformer' }] },
      include: ['src'],
    }) });
    const r = await project.tspc();
    expect(r.status).not.toBe(0);
    DROPPED.forEach((row, i) => {
      expect(r.output).toMatch(new RegExp(`src/m${i}\\.ts\\(${row.at[1]},\\d+\\): error TS99${row.code}: JAUNT${row.code}: 'f' is not read as a spec`));
    });
    const run = await project.eval(`for (let i = 0; i < ${DROPPED.length}; i++) { try { require('./out/m' + i + '.js').f(1); console.log('ran'); } catch (e) { console.log(e.message.split(':')[0]); } }`);
    expect(run.stdout.trim().split('\n')).toEqual(DROPPED.map(() => "Jaunt has no implementation for spec 'f'"));
  });
});
