/**
 * What a build does when the cache cannot give a spec its implementation (missing, corrupt), when a
 * human edited an entry, and when a spec is malformed: tsc's exit code, the diagnostic it prints, and
 * the emitted JavaScript, which still exists and throws a helpful error where an implementation is absent.
 */
import { FixtureProject, lastJsonLine, type RunResult } from './support/fixture-project';

/** One project with four problems, each on its own spec: missing, corrupt and truncated entries, a malformed spec. */
let broken: FixtureProject;
let edited: FixtureProject;
let brokenBuild: RunResult;
let editedBuild: RunResult;

/** 1-based line of the first line of `file` that starts with `prefix`. */
function lineOf(project: FixtureProject, file: string, prefix: string): number {
  const index = project.read(file).split('\n').findIndex((l) => l.startsWith(prefix));
  if (index < 0) throw new Error(`no line starting with ${prefix} in ${file}`);
  return index + 1;
}

/** Calls `fn(...args)` from the emitted module and reports what it returned or threw. */
async function call(project: FixtureProject, fn: string, args: unknown[]): Promise<{ value?: unknown; error?: string; message?: string }> {
  const r = await project.eval(`
    const m = require('./out/math.js');
    try { console.log(JSON.stringify({ value: m[${JSON.stringify(fn)}](...${JSON.stringify(args)}) })); }
    catch (e) { console.log(JSON.stringify({ error: e.constructor.name, message: e.message })); }`);
  return lastJsonLine(r) as { value?: unknown; error?: string; message?: string };
}

beforeAll(async () => {
  broken = FixtureProject.copy('basic-cjs');
  // No module-load call of clamp here: the module must load for each spec to be called on its own.
  broken.edit('src/math.ts', (t) => t.replace(/\/\/ Code above a spec.*\nexport const early = clamp\(15, 0, 10\);\n/, ''));
  broken.write('src/main.ts', "import { clamp, sha256 } from './math';\nconsole.log(clamp(1, 0, 2), sha256('x'));\n");
  broken.edit('src/math.ts', (t) => `${t}\n/**\n * Double \`n\`.\n * @jaunt\n */\nexport declare function twice(n: number);\n`);
  broken.edit('src/math.ts', (t) => `${t}\n/**\n * Half of \`n\`.\n * @jaunt\n */\nexport declare function half(n: number): number;\n`);
  broken.write('impl/half.ts', 'export function half(n: number): number {\n  return n / 2;\n}\n');
  expect(broken.authorOffline().written.sort()).toEqual(['clamp', 'half', 'sha256']);
  broken.remove(broken.entryOf('sha256'));
  broken.write(broken.entryOf('clamp'), '\u0000garbage, not an entry\n');
  // Cut inside the body, as a torn copy would: the header is intact, the body no longer parses.
  broken.edit(broken.entryOf('half'), (t) => t.slice(0, t.indexOf('n / 2') + 3));

  edited = FixtureProject.copy('basic-cjs');
  edited.edit(edited.entryOf('clamp'), (t) => t.replace('return Math.min(hi, Math.max(lo, v));', 'return Math.min(hi, Math.max(lo, v)) + 1000;'));

  [brokenBuild, editedBuild] = await Promise.all([broken.tspc(), edited.tspc()]);
});

afterAll(() => [broken, edited].forEach((p) => p?.cleanup()));

test('a build with a missing entry, a corrupt entry or a malformed spec exits non-zero but still emits', () => {
  expect(brokenBuild.status).not.toBe(0);
  expect(broken.exists('out/math.js')).toBe(true);
  expect(broken.exists('out/math.d.ts')).toBe(true);
});

describe('a missing cache entry', () => {
  test('is reported as JAUNT2001 at the spec, naming its file:line, its hash and what to do', () => {
    const line = lineOf(broken, 'src/math.ts', 'export declare function sha256(');
    // tsc prints diagnostics on stdout.
    expect(brokenBuild.stdout).toContain(`src/math.ts(${line},1): error TS992001: JAUNT2001: spec 'sha256' (src/math.ts:${line}) has no cached implementation`);
    expect(brokenBuild.stdout).toMatch(/JAUNT2001: [^\n]*hash [0-9a-f]{16}\)[^\n]*jaunt build/);
  });

  test('emits a function that throws an Error naming the spec and JAUNT2001', async () => {
    const result = await call(broken, 'sha256', ['abc']);
    expect(result.error).toBe('Error');
    expect(result.message).toContain("Jaunt has no implementation for spec 'sha256'");
    expect(result.message).toContain('JAUNT2001');
  });
});

describe('a corrupt cache entry', () => {
  test('is reported as JAUNT2002 at the spec, naming the entry file', () => {
    const line = lineOf(broken, 'src/math.ts', 'export declare function clamp(');
    expect(brokenBuild.stdout).toContain(`src/math.ts(${line},1): error TS992002: JAUNT2002: cache entry ${broken.entryOf('clamp')} for spec 'clamp' is unusable`);
  });

  test('emits a function that throws naming the spec and JAUNT2002, and leaves the entry alone', async () => {
    const result = await call(broken, 'clamp', [1, 0, 2]);
    expect(result.error).toBe('Error');
    expect(result.message).toMatch(/spec 'clamp'.*JAUNT2002/);
    expect(broken.read(broken.entryOf('clamp'))).toBe('\u0000garbage, not an entry\n');
  });
});

describe('an entry truncated inside its body', () => {
  test('is reported as JAUNT2002 (it does not parse) at the spec, once', () => {
    const line = lineOf(broken, 'src/math.ts', 'export declare function half(');
    expect(brokenBuild.stdout).toContain(`src/math.ts(${line},1): error TS992002: JAUNT2002: cache entry ${broken.entryOf('half')} for spec 'half' is unusable (it does not parse: Expression expected.)`);
    expect(brokenBuild.output.match(/spec 'half'/g)).toHaveLength(1);
  });

  test('emits a function that throws naming JAUNT2002 instead of JavaScript that breaks the module', async () => {
    const result = await call(broken, 'half', [4]);
    expect(result.error).toBe('Error');
    expect(result.message).toMatch(/spec 'half'.*JAUNT2002/);
  });
});

describe('a malformed spec', () => {
  test('is reported with its own code (JAUNT1005 for a missing return type)', () => {
    const line = lineOf(broken, 'src/math.ts', 'export declare function twice(');
    expect(brokenBuild.stdout).toContain(`src/math.ts(${line},1): error TS991005: JAUNT1005: spec 'twice' has no return type`);
  });

  test('emits a function that throws naming the spec and its problem', async () => {
    const result = await call(broken, 'twice', [2]);
    expect(result.error).toBe('Error');
    expect(result.message).toMatch(/spec 'twice'.*JAUNT1005/);
  });
});

test('the user\'s own code in a file with broken specs still works', async () => {
  expect(await call(broken, 'digestOf', ['a'])).toEqual({ value: '0cc175b9c0f1b6a831c399e269772661' });
});

describe('a hand-edited cache entry', () => {
  test('is reported as warning JAUNT2003 naming the entry', () => {
    const r = editedBuild;
    expect(r.output).toContain('warning TS992003: JAUNT2003');
    expect(r.output).toContain(`${edited.entryOf('clamp')} for spec 'clamp' was edited by hand`);
    expect(r.output).not.toContain('error');
  });

  test('is what runs: the edited body, not the original', async () => {
    expect(lastJsonLine(await edited.node('out/main.js'))).toMatchObject({ early: 1010, c: 1000 });
    expect(edited.read('out/math.js')).toContain('(edited by hand)');
  });

  // tsc exits 2 when its program reports any diagnostic, warnings included: a warning must not be one.
  test('does not fail the build: a warning alone leaves the exit code 0', () => {
    const r = editedBuild;
    expect({ status: r.status, output: r.output }).toMatchObject({ status: 0 });
  });
});
