/**
 * The script a sandboxed run executes: it loads each spec file's module, then runs each example of each
 * spec in the file's scope, and reports every assertion as one line of JSON prefixed with a nonce the
 * code under test never sees (it is read from the environment and deleted before any module loads).
 */
import type * as TS from 'typescript';
import type { ExampleStep, SpecExample } from './parse-examples';

export interface HarnessSpec {
  id: string;
  examples: SpecExample[];
}

export interface HarnessModule {
  /** The module's path inside the run folder. */
  path: string;
  /** Key under which the module publishes its scope (see scopeLine). */
  key: string;
  /** The file's runtime names (see runtimeScope). */
  scope: string[];
  specs: HarnessSpec[];
}

export const NONCE_VARIABLE = 'JAUNT_RUN_NONCE';
const SCOPES = 'Symbol.for("jaunt.example-scopes")';

/** Appended to a spec file as it runs for examples: publishes the names an example may use. */
export function scopeLine(key: string, names: readonly string[]): string {
  return `\n;((globalThis as any)[${SCOPES}] ??= {})[${JSON.stringify(key)}] = { ${names.join(', ')} };\n`;
}

const RUNTIME = String.raw`
import { isDeepStrictEqual, inspect } from 'node:util';
import { writeSync } from 'node:fs';
const NONCE = process.env.${NONCE_VARIABLE} ?? '';
delete process.env.${NONCE_VARIABLE};
// Taken before any module loads: code under test that replaces JSON.stringify cannot forge events.
const stringify = JSON.stringify;
const send = (event: object) => { writeSync(1, '\n' + NONCE + stringify(event) + '\n'); };
const show = (v: unknown): string => {
  let s: string;
  try { s = inspect(v, { depth: 4, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 200 }); } catch { s = '<cannot be shown>'; }
  return s.length > 300 ? s.slice(0, 297) + '...' : s;
};
const errorText = (e: unknown): string => {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const err = e as Error & { code?: unknown };
    const denied = err.code === 'ERR_ACCESS_DENIED' ? ' (the sandbox denies file writes, child processes and workers)' : '';
    return (err.name || 'Error') + ': ' + String(err.message).slice(0, 300) + denied;
  }
  return 'a thrown ' + show(e);
};
const isA = (e: unknown, name: string): boolean => {
  for (let p = e; p !== null && (typeof p === 'object' || typeof p === 'function'); p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === name) return true;
  }
  return (e as { name?: unknown } | null)?.name === name;
};
let current: { spec: string; example: number } = { spec: '', example: 0 };
process.on('unhandledRejection', (e) => send({ t: 'stray', ...current, error: errorText(e) }));
process.on('uncaughtException', (e) => send({ t: 'stray', ...current, error: errorText(e) }));
const result = (line: number, source: string, ok: boolean, detail: object) => send({ t: 'result', ...current, line, source, ok, ...detail });
const jaunt = {
  async eq(line: number, source: string, actual: () => unknown, expected: () => unknown, awaited: boolean) {
    let value: unknown;
    try { value = awaited ? await actual() : actual(); } catch (e) { return result(line, source, false, { message: 'threw ' + errorText(e) }); }
    let want: unknown;
    try { want = expected(); } catch (e) { return result(line, source, false, { message: 'the expected value threw ' + errorText(e) }); }
    const ok = isDeepStrictEqual(value, want);
    result(line, source, ok, ok ? {} : { expected: show(want), actual: show(value) });
  },
  async throws(line: number, source: string, run: () => unknown, name: string, prefix: string | undefined, awaited: boolean) {
    let value: unknown;
    try { value = awaited ? await run() : run(); } catch (e) {
      if (!isA(e, name)) return result(line, source, false, { expected: 'throws ' + name, actual: 'threw ' + errorText(e) });
      const message = String((e as { message?: unknown }).message ?? '');
      if (prefix !== undefined && !message.startsWith(prefix)) return result(line, source, false, { expected: 'throws ' + name + ': ' + prefix + '...', actual: 'threw ' + errorText(e) });
      return result(line, source, true, {});
    }
    result(line, source, false, { expected: 'throws ' + name, actual: 'returned ' + show(value) });
  },
};
const scopes = () => (globalThis as any)[${SCOPES}] ?? {};
`;

function stepCode(step: ExampleStep): string {
  if (step.kind === 'setup') return step.code;
  const head = `${step.line}, ${JSON.stringify(step.source)}`;
  if (step.kind === 'equals') {
    const actual = step.awaited ? `async () => await (${step.expr}\n)` : `() => (${step.expr}\n)`;
    return `await __jaunt.eq(${head}, ${actual}, () => (${step.expected}\n), ${step.awaited});`;
  }
  const run = step.awaited ? `async () => await (${step.expr}\n)` : `() => (${step.expr}\n)`;
  return `await __jaunt.throws(${head}, ${run}, ${JSON.stringify(step.errorName)}, ${JSON.stringify(step.messagePrefix)}, ${step.awaited});`;
}

/** The harness as TypeScript: modules load in order, each example runs in its own block of the file's scope. */
export function harnessSource(modules: readonly HarnessModule[]): string {
  const body: string[] = [RUNTIME, `send({ t: 'ready' });`];
  for (const m of modules) {
    body.push(`{
  send({ t: 'load', module: ${JSON.stringify(m.path)} });
  let loaded = false;
  try { await import(new URL(${JSON.stringify(`./${m.path}`)}, import.meta.url).href); loaded = true; }
  catch (e) { send({ t: 'load-failed', module: ${JSON.stringify(m.path)}, error: errorText(e) }); }
  if (loaded) {
    const scope = scopes()[${JSON.stringify(m.key)}] ?? {};`);
    for (const spec of m.specs) {
      spec.examples.forEach((ex) => {
        const names = m.scope.length ? `{ ${m.scope.join(', ')} }: any` : '_scope: any';
        body.push(`    current = { spec: ${JSON.stringify(spec.id)}, example: ${ex.line} };
    send({ t: 'start', ...current });
    try {
      await (async (${names}, __jaunt: typeof jaunt) => {
        {
${ex.steps.map(stepCode).join('\n')}
        }
      })(scope, jaunt);
    } catch (e) { send({ t: 'error', ...current, error: errorText(e) }); }
    send({ t: 'end', ...current });`);
      });
    }
    body.push('  }\n}');
  }
  body.push(`send({ t: 'done' });`);
  return body.join('\n');
}

export function harnessScript(ts: typeof TS, modules: readonly HarnessModule[]): string {
  return ts.transpileModule(harnessSource(modules), {
    fileName: 'harness.mts',
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  }).outputText;
}
