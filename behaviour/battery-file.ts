/**
 * A spec's battery: held-out tests derived from its contract alone, cached as a reviewable file beside its
 * entry (`<name>.<hash>.battery.ts`). Each test is a name and lines in the @example syntax:
 *
 *   // @test encodes the empty string as the empty string
 *   base64urlEncode('') // => ''
 *
 * Tests that cannot run, or that the examples contradict, are kept in the file as `// @dropped` comments
 * with the reason, so a reviewer sees what was left out and why.
 */
import * as path from 'node:path';
import type * as TS from 'typescript';
import { batteryPath, writeFileAtomic } from '../cache/cache-store';
import { readBounded } from '../cache/read-bounded';
import { parseSteps, type ExampleStep, type SpecExample } from './parse-examples';

export interface BatteryTest {
  name: string;
  /** 1-based line of its `// @test` marker in the text it was read from. */
  line: number;
  /** Its lines as written, for rendering. */
  code: string[];
  steps: ExampleStep[];
}

export interface DroppedTest {
  name: string;
  reason: string;
  code: string[];
}

export interface BatteryMeta {
  spec: string;
  /** Project-relative spec file. */
  file: string;
  hash: string;
  model: string;
  tool: string;
  created: string;
  inputTokens?: number;
  outputTokens?: number;
}

export interface Battery {
  path: string;
  meta: BatteryMeta;
  tests: BatteryTest[];
  dropped: DroppedTest[];
}

const MARK = '@jaunt-battery';
const TEST = /^\s*\/\/\s*@test\s+(.*\S)\s*$/;
const DROPPED = /^\s*\/\/\s*@dropped\b/;
/** A model that writes hundreds of tests costs a slow sandbox run on every attempt: the rest are dropped. */
export const MAX_TESTS = 40;

/** The tests of a battery text, each either runnable or dropped with the reason. */
export function parseTests(ts: typeof TS, text: string, firstLine = 1): { tests: BatteryTest[]; dropped: DroppedTest[] } {
  const raw: { name: string; line: number; lines: { code: string; line: number }[]; dropped?: string }[] = [];
  let current: (typeof raw)[number] | undefined;
  let dropReason: string | undefined;
  text.split('\n').forEach((full, i) => {
    const line = full.replace(/\r$/, '');
    const test = TEST.exec(line);
    const drop = DROPPED.exec(line);
    if (test) {
      raw.push((current = { name: test[1]!, line: firstLine + i, lines: [], ...(dropReason !== undefined ? { dropped: dropReason } : {}) }));
      dropReason = undefined;
    } else if (drop) {
      current = undefined;
      dropReason = line.slice(drop.index + drop[0].length).trim() || 'dropped by hand';
    } else if (current?.dropped !== undefined) {
      const kept = /^\s*\/\/ \| ?(.*)$/.exec(line);
      if (kept) current.lines.push({ code: kept[1]!, line: firstLine + i });
    } else if (current && line.trim() !== '' && !/^\s*\/\//.test(line)) current.lines.push({ code: line, line: firstLine + i });
  });
  const tests: BatteryTest[] = [];
  const dropped: DroppedTest[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    let name = r.name;
    for (let n = 2; seen.has(name); n++) name = `${r.name} (${n})`;
    seen.add(name);
    const code = r.lines.map((l) => l.code);
    if (r.dropped !== undefined) {
      dropped.push({ name, reason: r.dropped, code });
      continue;
    }
    const { steps, problems } = parseSteps(ts, r.lines);
    const reason = problems.length > 0 ? `cannot run: ${problems[0]!.message}`
      : !steps.some((s) => s.kind !== 'setup') ? 'asserts nothing (no `// =>` or `// throws` line)'
        : tests.length >= MAX_TESTS ? `over the limit of ${MAX_TESTS} tests per spec` : undefined;
    if (reason) dropped.push({ name, reason, code });
    else tests.push({ name, line: r.line, code, steps });
  }
  return { tests, dropped };
}

/** The tests as the example runner takes them: named, so failures are reported without their code. */
export function batteryExamples(battery: Pick<Battery, 'tests'>): SpecExample[] {
  return battery.tests.map((t) => ({ line: t.line, steps: t.steps, name: t.name }));
}

export function renderBattery(b: Omit<Battery, 'path'>): string {
  const m = b.meta;
  const fields: [string, string | undefined][] = [
    ['spec', m.spec], ['file', m.file], ['hash', m.hash], ['model', m.model], ['tool', m.tool], ['created', m.created],
    ['tokens', m.inputTokens !== undefined ? `${m.inputTokens} in / ${m.outputTokens ?? 0} out` : undefined],
    ['tests', `${b.tests.length} run, ${b.dropped.length} dropped`],
  ];
  const out = [
    `// Jaunt battery: held-out tests of spec \`${m.spec}\`, written from its contract alone by a separate request that`,
    '// never saw an implementation. Every candidate must pass them (sandboxed) before it is cached; a failure goes',
    '// back to the model as the test\'s name and values, never its code. Review and commit this file; edit or drop',
    '// tests you disagree with (`// @dropped <why>` above a `// @test` line keeps it out).',
    `/* ${MARK}`, ...fields.filter((f) => f[1] !== undefined).map(([k, v]) => ` * ${k}: ${v}`), ' */',
  ];
  for (const t of b.tests) out.push('', `// @test ${t.name}`, ...t.code);
  for (const d of b.dropped) out.push('', `// @dropped ${d.reason.replace(/\s*\n\s*/g, ' ')}`, `// @test ${d.name}`, ...d.code.map((c) => `// | ${c}`));
  return `${out.join('\n')}\n`;
}

export type BatteryRead = { status: 'found'; battery: Battery } | { status: 'missing' } | { status: 'unusable'; reason: string };

/** Reads the battery of spec `name` at `hash`, bounded like entries are. */
export function readBattery(ts: typeof TS, cacheDir: string, name: string, hash: string): BatteryRead {
  const file = batteryPath(cacheDir, name, hash);
  const read = readBounded(file, { within: cacheDir });
  if (!read.ok) return read.refusal === 'missing' ? { status: 'missing' } : { status: 'unusable', reason: read.detail };
  const parsed = parseBatteryText(ts, read.text);
  if (!parsed.ok) return { status: 'unusable', reason: parsed.reason };
  if (parsed.meta.spec.normalize('NFC') !== name.normalize('NFC') || parsed.meta.hash !== hash) {
    return { status: 'unusable', reason: `header says ${parsed.meta.spec} ${parsed.meta.hash}, file name says ${name} ${hash}` };
  }
  return { status: 'found', battery: { path: file, meta: parsed.meta, tests: parsed.tests, dropped: parsed.dropped } };
}

export function parseBatteryText(ts: typeof TS, text: string):
  | ({ ok: true; meta: BatteryMeta } & ReturnType<typeof parseTests>) | { ok: false; reason: string } {
  const start = text.indexOf(`/* ${MARK}`);
  const end = start < 0 ? -1 : text.indexOf('*/', start);
  if (start < 0 || end < 0) return { ok: false, reason: `no ${MARK} header` };
  const fields = new Map<string, string>();
  for (const line of text.slice(start, end).split('\n').slice(1)) {
    const m = /^\s*\*\s*([a-z]+):\s*(.*?)\s*$/.exec(line);
    if (m) fields.set(m[1]!, m[2]!);
  }
  if (!fields.get('spec') || !fields.get('hash')) return { ok: false, reason: 'header lacks spec or hash' };
  const tokens = /^(\d+) in \/ (\d+) out$/.exec(fields.get('tokens') ?? '');
  const meta: BatteryMeta = {
    spec: fields.get('spec')!, file: fields.get('file') ?? '', hash: fields.get('hash')!, model: fields.get('model') ?? '',
    tool: fields.get('tool') ?? '', created: fields.get('created') ?? '',
    ...(tokens ? { inputTokens: Number(tokens[1]), outputTokens: Number(tokens[2]) } : {}),
  };
  const firstLine = text.slice(0, end + 2).split('\n').length;
  return { ok: true, meta, ...parseTests(ts, text.slice(end + 2).replace(/^[^\n]*\n?/, ''), firstLine + 1) };
}

/** Writes a battery atomically (concurrent builds never read a torn one); returns its path. */
export function writeBattery(cacheDir: string, b: Omit<Battery, 'path'>): string {
  const file = batteryPath(cacheDir, b.meta.spec, b.meta.hash);
  writeFileAtomic(file, renderBattery(b));
  return file;
}

/** The battery file's name as messages show it. */
export const batteryLabel = (projectDir: string, file: string) => path.relative(projectDir, file).split(path.sep).join('/');
