import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts = require('typescript');
import { analyzeProgram, type AnalyzedSpec } from '../core/analyze-program';
import { loadProject } from '../core/load-program';
import { createOverlayProgram } from '../validate/overlay-program';
import { createValidator, type ValidationResult, type Validator } from '../validate/validate-candidate';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

interface Fixture {
  dir: string;
  program: ts.Program;
  validator: Validator;
  spec(name: string): AnalyzedSpec;
  validate(name: string, candidate: string): ValidationResult;
  impl(name: string): string;
}

function fixture(dir: string): Fixture {
  const { program } = loadProject(ts, path.join(dir, 'tsconfig.json'));
  const analysis = analyzeProgram(ts, program, dir);
  const validator = createValidator(ts, program, analysis, { packageDeps: ['zod'] });
  const spec = (name: string) => analysis.specs.find((s) => s.ir.name === name) ?? (() => { throw new Error(`no spec ${name}`); })();
  return {
    dir, program, validator, spec,
    validate: (name, candidate) => validator.validate(spec(name), candidate),
    impl: (name) => fs.readFileSync(path.join(dir, 'impl', `${name}.ts`), 'utf8'),
  };
}

const errorsOf = (r: ValidationResult): string[] => (r.ok ? [] : r.errors);

describe('validating candidates in place of the spec', () => {
  let basic: Fixture;
  let esm: Fixture;
  let chain: Fixture;
  beforeAll(() => {
    basic = fixture(path.join(FIXTURES, 'basic-cjs'));
    esm = fixture(path.join(FIXTURES, 'esm-nodenext'));
    chain = fixture(path.join(FIXTURES, 'gen-chain'));
  });

  test.each([
    ['basic-cjs', 'clamp'], ['basic-cjs', 'sha256'],
    ['esm-nodenext', 'toNumber'], ['esm-nodenext', 'later'], ['esm-nodenext', 'sum'], ['esm-nodenext', 'slugify'], ['esm-nodenext', 'slugWithSuffix'],
    ['gen-chain', 'titleCase'], ['gen-chain', 'formatRow'], ['gen-chain', 'formatTable'], ['gen-chain', 'total'],
  ])('the correct implementation of %s/%s passes and its text is returned unchanged', (fx, name) => {
    const f = { 'basic-cjs': basic, 'esm-nodenext': esm, 'gen-chain': chain }[fx]!;
    const candidate = f.impl(name);
    expect(f.validate(name, candidate)).toEqual({ ok: true, body: candidate });
  });

  test('a type error inside the candidate fails with its TS code at the candidate line', () => {
    const bad = chain.impl('formatRow').replace('return `|', 'return 42 + `|').replace('): string {', '): number {');
    const errors = errorsOf(chain.validate('formatRow', bad));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^line 5: TS2322: Type 'string' is not assignable to type 'number'/);
  });

  test('a syntax error is reported with its line and nothing else', () => {
    expect(errorsOf(basic.validate('clamp', 'export function clamp(v: number, lo: number, hi: number): number {\n  return (v;\n}\n')))
      .toEqual([expect.stringMatching(/^line 2: TS1005: '\)' expected/)]);
  });

  test('renamed parameters pass', () => {
    const candidate = 'export function clamp(x: number, low: number, high: number): number {\n  if (low > high) throw new RangeError("bad");\n  return x < low ? low : x > high ? high : x;\n}\n';
    expect(basic.validate('clamp', candidate)).toEqual({ ok: true, body: candidate });
  });

  test('a candidate returning the wrong type fails the signature check', () => {
    const errors = errorsOf(chain.validate('padCenter', 'export function padCenter(text: string, width: number): number {\n  return width + text.length;\n}\n'));
    expect(errors).toEqual([expect.stringMatching(/^the implementation does not match the declared signature `function padCenter\(text: string, width: number\): string`: TS2322: Type '\(text: string, width: number\) => number' is not assignable/)]);
  });

  test('a candidate that covers only one overload fails the signature check', () => {
    const errors = errorsOf(esm.validate('toNumber', 'export function toNumber(x: string): number {\n  return Number(x);\n}\n'));
    expect(errors).toEqual([expect.stringMatching(/does not match the declared overloads `function toNumber\(x: string\): number`, `function toNumber\(x: number\): number`: TS2322/)]);
  });

  test('a signature change that breaks other code of the file is reported with that code', () => {
    const candidate = 'export function clamp(v: number, lo: number, hi: number, step: number): number {\n  return Math.min(hi, Math.max(lo, v)) + step * 0;\n}\n';
    const errors = errorsOf(basic.validate('clamp', candidate));
    expect(errors).toContainEqual(expect.stringMatching(/does not match the declared signature/));
    expect(errors).toContainEqual(expect.stringMatching(/code elsewhere in src\/math\.ts no longer type-checks, at `export const early = clamp\(15, 0, 10\);`: TS2554/));
  });

  test('helpers and imports named like symbols of the file do not collide', () => {
    const candidate = "import { createHash } from 'node:crypto';\nconst early = 'hex';\nfunction digestOf(s: string): string {\n  return createHash('sha256').update(s).digest(early);\n}\nexport function sha256(text: string): string {\n  return digestOf(text);\n}\n";
    expect(basic.validate('sha256', candidate)).toEqual({ ok: true, body: candidate });
  });

  test('error messages use the candidate\'s own names, not the names it was renamed to', () => {
    const candidate = 'enum digestOf { A }\nexport function sha256(text: string): string {\n  const mode: string = digestOf.A;\n  return text + mode;\n}\n';
    const errors = errorsOf(basic.validate('sha256', candidate));
    expect(errors).toEqual([expect.stringMatching(/^line 3: TS2322: Type 'digestOf' is not assignable to type 'string'/)]);
  });

  test('exported helpers are fine: they lose their export as in the splice', () => {
    const candidate = 'export const LIMIT = 3;\nexport default function clamp(v: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, v)) + LIMIT * 0;\n}\n';
    expect(basic.validate('clamp', candidate).ok).toBe(true);
  });

  test('explicit any fails', () => {
    const errors = errorsOf(basic.validate('clamp', 'export function clamp(v: any, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, v));\n}\n'));
    expect(errors).toEqual([expect.stringMatching(/^line 1: `any` is not allowed/)]);
  });

  test('a ts-ignore comment fails even when the code type-checks', () => {
    const errors = errorsOf(basic.validate('clamp', 'export function clamp(v: number, lo: number, hi: number): number {\n  // @ts-ignore\n  return Math.min(hi, Math.max(lo, v));\n}\n'));
    expect(errors).toEqual([expect.stringMatching(/^line 2: remove the `@ts-ignore` comment/)]);
  });

  test('a wrong function name fails with a message naming both names', () => {
    const errors = errorsOf(chain.validate('formatRow', chain.impl('formatRow').replace('function formatRow', 'function formatRows')));
    expect(errors).toEqual([expect.stringMatching(/`function formatRow\(\.\.\.\) \{ \.\.\. \}`.*`function formatRows`/)]);
  });

  test('an import of a package missing from package.json fails', () => {
    const candidate = "import leftPad from 'left-pad';\nexport function padCenter(text: string, width: number): string {\n  return leftPad(text, width);\n}\n";
    expect(errorsOf(chain.validate('padCenter', candidate))).toContainEqual(expect.stringMatching(/^line 1: 'left-pad' may not be imported/));
  });

  test('an import of a node built-in passes', () => {
    const candidate = "import { strict as assert } from 'node:assert';\nexport function clamp(v: number, lo: number, hi: number): number {\n  assert.ok(lo <= hi, new RangeError('min > max'));\n  return Math.min(hi, Math.max(lo, v));\n}\n";
    expect(basic.validate('clamp', candidate)).toEqual({ ok: true, body: candidate });
  });

  test('the overlay program reuses the SourceFile objects of every untouched file', () => {
    const math = basic.program.getSourceFile(path.join(basic.dir, 'src', 'math.ts'))!;
    const main = path.join(basic.dir, 'src', 'main.ts');
    const text = `${math.text}\nimport { join } from 'node:path';\nexport const joined = join('a', 'b');\n`;
    const next = createOverlayProgram(ts, basic.program, new Map([[math.fileName, text]]));
    expect(next.getSourceFile(main)).toBe(basic.program.getSourceFile(main));
    const lib = basic.program.getSourceFiles().find((f) => /lib\.es5\.d\.ts$/.test(f.fileName))!;
    expect(next.getSourceFile(lib.fileName)).toBe(lib);
    expect(next.getSourceFile(math.fileName)!.text).toBe(text);
    expect(next.getSemanticDiagnostics(next.getSourceFile(math.fileName))).toEqual([]);
  });
});

describe('validating in a file that already has problems', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaunt-validate-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the file's own earlier errors are not blamed on the candidate, and noUnusedLocals spares the signature check", () => {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'commonjs', strict: true, noUnusedLocals: true, types: [], noEmit: true }, include: ['src'],
    }));
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'),
      "export const broken: number = 'text';\n\n/**\n * Double `n`.\n * @jaunt\n */\nexport declare function double(n: number): number;\n");
    const { program } = loadProject(ts, path.join(dir, 'tsconfig.json'));
    const analysis = analyzeProgram(ts, program, dir);
    const validator = createValidator(ts, program, analysis);
    const spec = analysis.specs[0]!;
    expect(validator.validate(spec, 'export function double(n: number): number {\n  return n * 2;\n}\n').ok).toBe(true);
    expect(errorsOf(validator.validate(spec, 'export function double(n: number): number {\n  const unused = 1;\n  return n * 2;\n}\n')))
      .toEqual([expect.stringMatching(/^line 2: TS6133: 'unused' is declared but its value is never read/)]);
  });
});
