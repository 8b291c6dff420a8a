import * as fs from 'node:fs';
import * as path from 'node:path';
import ts = require('typescript');
import { writeEntry } from '../cache/cache-store';
import { analyzeProgram } from '../core/analyze-program';
import { classifySpecs } from '../core/classify-specs';
import { loadProject } from '../core/load-program';
import { createVerifyAhead } from '../generate/verify-ahead';
import { createValidator } from '../validate/validate-candidate';
import type { VerdictStore } from '../validate/verdict-cache';
import { copyFixture, removeProject } from './support/temp-project';

/** An in-memory verdict store that records what was asked and what was remembered. */
function memoryStore() {
  const keys = new Set<string>();
  const remembered: string[] = [];
  const store: VerdictStore = { has: (k) => keys.has(k), remember: (k) => void (keys.add(k), remembered.push(k)) };
  return { store, remembered };
}

function project(dir: string) {
  const { program } = loadProject(ts, path.join(dir, 'tsconfig.json'));
  const analysis = analyzeProgram(ts, program, dir);
  const cacheDir = path.join(dir, '.jaunt');
  const ids = analysis.specs.map((s) => s.id);
  const classify = (verdicts: VerdictStore) => classifySpecs({ ts, program, analysis, cacheDir, missingHint: 'hint', verdicts });
  return { program, analysis, cacheDir, ids, classify };
}

describe('verifying a spec file ahead, while generation still runs', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProject));
  const fixture = () => {
    const dir = copyFixture('basic-cjs', { withCache: true });
    dirs.push(dir);
    return dir;
  };

  test('a file whose specs all have entries is checked once ahead, and classification then checks nothing again', () => {
    const p = project(fixture());
    const { store, remembered } = memoryStore();
    const ahead = createVerifyAhead({ ts, program: p.program, analysis: p.analysis, cacheDir: p.cacheDir, verdicts: store });
    p.ids.forEach((id) => ahead.touched(id));
    expect(ahead.pending()).toBe(true);
    expect(ahead.step(3)).toBe(1);
    expect(ahead.pending()).toBe(false);
    expect(remembered).toHaveLength(1);

    const result = p.classify(store);
    expect(result.statuses.map((s) => s.status)).toEqual(['fresh', 'fresh']);
    // Classification found the verdict for exactly the text it plans: it remembered nothing new.
    expect(remembered).toHaveLength(1);
  });

  test('a file with a spec still missing its entry is left to classification', () => {
    const dir = fixture();
    const entry = fs.readdirSync(path.join(dir, '.jaunt')).find((f) => f.startsWith('sha256.'))!;
    fs.rmSync(path.join(dir, '.jaunt', entry));
    const p = project(dir);
    const { store, remembered } = memoryStore();
    const ahead = createVerifyAhead({ ts, program: p.program, analysis: p.analysis, cacheDir: p.cacheDir, verdicts: store });
    p.ids.forEach((id) => ahead.touched(id));
    expect(ahead.step(3)).toBe(0);
    expect(remembered).toHaveLength(0);
  });

  test('a file that fails its check ahead is not remembered, and classification finds the entry stale', () => {
    const dir = fixture();
    const p = project(dir);
    const clamp = p.analysis.specs.find((s) => s.ir.name === 'clamp')!;
    writeEntry(p.cacheDir, { name: 'clamp', hash: clamp.hash!, file: clamp.ir.file, model: 'test', body: 'export function clamp(value: number, min: number, max: number): number {\n  return "low";\n}\n' });
    const { store, remembered } = memoryStore();
    const ahead = createVerifyAhead({ ts, program: p.program, analysis: p.analysis, cacheDir: p.cacheDir, verdicts: store });
    ahead.touched(clamp.id);
    expect(ahead.step(3)).toBe(1);
    expect(remembered).toHaveLength(0);
    const result = p.classify(store);
    expect(result.statuses.find((s) => s.name === 'clamp')).toMatchObject({ status: 'stale', staleBy: 'check' });
  });

  test('an entry replaced after the check ahead is checked again by classification, under its own text', () => {
    const dir = fixture();
    const p = project(dir);
    const { store, remembered } = memoryStore();
    const ahead = createVerifyAhead({ ts, program: p.program, analysis: p.analysis, cacheDir: p.cacheDir, verdicts: store });
    p.ids.forEach((id) => ahead.touched(id));
    expect(ahead.step(3)).toBe(1);
    const clamp = p.analysis.specs.find((s) => s.ir.name === 'clamp')!;
    writeEntry(p.cacheDir, { name: 'clamp', hash: clamp.hash!, file: clamp.ir.file, model: 'test', body: 'export function clamp(value: number, min: number, max: number): number {\n  return "low";\n}\n' });
    const result = p.classify(store);
    expect(result.statuses.find((s) => s.name === 'clamp')).toMatchObject({ status: 'stale', staleBy: 'check' });
    expect(remembered).toHaveLength(1);
  });

  test('the candidate that completes its file is checked with its sibling\'s entry, and that check is the file\'s verdict', () => {
    const dir = fixture();
    const p = project(dir);
    const clamp = p.analysis.specs.find((s) => s.ir.name === 'clamp')!;
    const entry = fs.readdirSync(p.cacheDir).find((f) => f.startsWith('clamp.'))!;
    fs.rmSync(path.join(p.cacheDir, entry));
    const { store, remembered } = memoryStore();
    const validated = new Map<string, string>();
    const ahead = createVerifyAhead({ ts, program: p.program, analysis: p.analysis, cacheDir: p.cacheDir, verdicts: store, jobs: new Set([clamp.id]), validated });
    const validator = createValidator(ts, p.program, p.analysis, { fileRequests: ahead.fileRequests, onFilePassed: ahead.passed });
    const body = fs.readFileSync(path.join(dir, 'impl', 'clamp.ts'), 'utf8');
    // sha256's entry is a generated one this run leaves alone: it ships with the candidate.
    expect(ahead.fileRequests(clamp, { spec: clamp.found, body, label: 'candidate' }).map((r) => r.spec.name)).toEqual(['clamp', 'sha256']);
    expect(validator.validate(clamp, body)).toMatchObject({ ok: true });
    expect(remembered).toHaveLength(1);
    // The worker writes what passed; classification then plans exactly the text that was checked.
    writeEntry(p.cacheDir, { name: 'clamp', hash: clamp.hash!, file: clamp.ir.file, model: 'test', body });
    validated.set(clamp.id, body);
    expect(p.classify(store).statuses.map((s) => s.status)).toEqual(['fresh', 'fresh']);
    expect(remembered).toHaveLength(1);
  });

  test('a sibling this run regenerates ships with a candidate only once its entry holds the body that passed', () => {
    const p = project(fixture());
    const [clamp, sha256] = ['clamp', 'sha256'].map((n) => p.analysis.specs.find((s) => s.ir.name === n)!) as [typeof p.analysis.specs[number], typeof p.analysis.specs[number]];
    const validated = new Map<string, string>();
    const ahead = createVerifyAhead({ ts, program: p.program, analysis: p.analysis, cacheDir: p.cacheDir, verdicts: memoryStore().store, jobs: new Set([clamp.id, sha256.id]), validated });
    const own = { spec: clamp.found, body: 'candidate', label: 'candidate' };
    // sha256's entry on disk is the one this run replaces: not known to pass.
    expect(ahead.fileRequests(clamp, own).map((r) => r.spec.name)).toEqual(['clamp']);
    validated.set(sha256.id, 'export function sha256(text: string): string {\n  return text;\n}\n');
    expect(ahead.fileRequests(clamp, own).map((r) => r.spec.name)).toEqual(['clamp']);
    writeEntry(p.cacheDir, { name: 'sha256', hash: sha256.hash!, file: sha256.ir.file, model: 'test', body: validated.get(sha256.id)! });
    expect(ahead.fileRequests(clamp, own).map((r) => r.spec.name)).toEqual(['clamp', 'sha256']);
  });
});
