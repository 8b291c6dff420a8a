import * as path from 'node:path';
import ts = require('typescript');
import { checkRules, isNodeBuiltin, packageName, type RuleContext } from '../validate/check-rules';

const SPEC_FILE = path.resolve('/project/src/math.ts');
const context = (over: Partial<RuleContext> = {}): RuleContext => ({
  specName: 'clamp', specFile: SPEC_FILE, allowedModules: new Set(['./util', '@/shared']),
  packageDeps: ['lodash', '@scope/pkg'], contract: 'Clamp `value` into [min, max].', ...over,
});
const check = (code: string, over?: Partial<RuleContext>) => checkRules(ts, code, context(over));
const CLAMP = 'export function clamp(v: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, v));\n}\n';

describe('checkRules holds a candidate to the rules the prompt states', () => {
  test('a plain correct candidate breaks no rule', () => {
    expect(check(CLAMP)).toEqual([]);
  });

  test('a wrong function name is reported naming both the expected and the found name', () => {
    const errors = check(CLAMP.replace('function clamp', 'function clampValue'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/function clamp\(/);
    expect(errors[0]).toMatch(/function clampValue/);
  });

  test('the spec defined as an arrow function in a const is asked to become a function declaration', () => {
    expect(check('export const clamp = (v: number): number => v;\n')).toEqual([expect.stringMatching(/variable.*function declaration/)]);
  });

  test('overload signatures without an implementation body are reported', () => {
    expect(check('export function clamp(v: number): number;\n')).toEqual([expect.stringMatching(/no body/)]);
  });

  test('every explicit any is reported with its line', () => {
    const errors = check(CLAMP + 'function h(x: any): unknown {\n  return x as any;\n}\nconst y: any[] = [];\n');
    expect(errors).toEqual([4, 5, 7].map((n) => expect.stringMatching(new RegExp(`^line ${n}: \`any\``))));
  });

  test('ts-ignore, ts-expect-error and ts-nocheck comments are reported', () => {
    const errors = check('// @ts-nocheck\n' + CLAMP.replace('  return', '  // @ts-ignore\n  /* @ts-expect-error */ return'));
    expect(errors.map((e) => /@ts-[\w-]+/.exec(e)?.[0])).toEqual(['@ts-nocheck', '@ts-ignore', '@ts-expect-error']);
  });

  test('node built-ins are allowed with and without the node: prefix, including subpaths', () => {
    const imports = "import { createHash } from 'node:crypto';\nimport * as fs from 'fs/promises';\nimport { setTimeout as s } from 'node:timers/promises';\n";
    expect(check(imports + CLAMP)).toEqual([]);
  });

  test('declared packages, their subpaths and scoped packages are allowed', () => {
    const imports = "import debounce from 'lodash/debounce';\nimport { a } from '@scope/pkg/sub';\nimport _ from 'lodash';\n";
    expect(check(imports + CLAMP)).toEqual([]);
  });

  test('modules the spec file imports are allowed under the same specifier only', () => {
    expect(check("import { u } from './util';\nimport { s } from '@/shared';\n" + CLAMP)).toEqual([]);
    expect(check("import { u } from './util.js';\n" + CLAMP)).toEqual([expect.stringMatching(/'\.\/util\.js' may not be imported/)]);
  });

  test('a package missing from package.json is rejected whether imported, required or loaded dynamically', () => {
    const errors = check("import leftPad from 'left-pad';\nconst x = require('chalk');\nvoid import('@other/pkg');\n" + CLAMP);
    expect(errors).toEqual([
      expect.stringMatching(/^line 1: 'left-pad' may not be imported/),
      expect.stringMatching(/^line 2: 'chalk' may not be imported/),
      expect.stringMatching(/^line 3: '@other\/pkg' may not be imported/),
    ]);
  });

  test("a value import of the spec's own file is rejected, a type-only one is not", () => {
    expect(check("import { early } from './math';\n" + CLAMP)).toEqual([expect.stringMatching(/own file \('\.\/math'\)/)]);
    expect(check("import { x } from './math.js';\n" + CLAMP)).toEqual([expect.stringMatching(/own file/)]);
    expect(check("import type { Range } from './math';\nimport { type Other } from './math.js';\n" + CLAMP)).toEqual([]);
  });

  test('a type-only import of another project file is allowed, as it is erased', () => {
    expect(check("import type { Row } from '../types/row';\n" + CLAMP)).toEqual([]);
  });

  test('require or import() wrapped in try/catch is rejected', () => {
    const code = CLAMP + "function load(): unknown {\n  try {\n    return require('lodash');\n  } catch {\n    return undefined;\n  }\n}\n";
    expect(check(code)).toEqual([expect.stringMatching(/^line 5: do not wrap `require`/)]);
  });

  test('console output is rejected unless the contract asks for logging or printing', () => {
    const code = CLAMP.replace('  return', '  console.log(v);\n  return');
    expect(check(code)).toEqual([expect.stringMatching(/^line 2: remove the console output/)]);
    expect(check(code, { contract: 'Clamp the value and log a warning when it is out of range.' })).toEqual([]);
    expect(check(code, { contract: 'Print the clamped value.' })).toEqual([]);
  });

  test('ambient declarations are rejected because they emit nothing', () => {
    expect(check('declare const LIMIT: number;\n' + CLAMP)).toEqual([expect.stringMatching(/^line 1: remove the `declare`/)]);
  });
});

describe('module specifier helpers', () => {
  test('isNodeBuiltin knows built-ins with and without the node: prefix', () => {
    expect([isNodeBuiltin('node:crypto'), isNodeBuiltin('crypto'), isNodeBuiltin('node:fs/promises'), isNodeBuiltin('left-pad')])
      .toEqual([true, true, true, false]);
  });

  test('packageName reads plain and scoped package names and ignores paths', () => {
    expect(['lodash/fp', '@a/b/c', '@a', './x', '/abs', 'node:fs'].map(packageName)).toEqual(['lodash', '@a/b', undefined, undefined, undefined, undefined]);
  });
});
