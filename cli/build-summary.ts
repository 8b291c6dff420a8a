import * as path from 'node:path';
import type { GenerationReport } from '../generate/generation-events';
import type { BuildPlan } from '../core/plan-build';
import type { Endpoint } from '../config/endpoint';
import type { BuildJson, BuildSpecJson, DiagnosticJson } from './json-shapes';
import { displayPath, marks, type Output } from './output';
import { costUsd, formatUsd, type PriceChoice } from './pricing';
import { clock } from './progress-display';
import { statusDetail, type SpecStatus } from '../core/classify-specs';

export interface BuildResult {
  plan: BuildPlan;
  report: GenerationReport;
  model: string;
  /** Shown redacted, never with credentials. */
  endpoint: Endpoint;
  price: PriceChoice;
  provider?: string;
  /** Specs re-stamped by --reverify, with their new entries. */
  reverified?: { status: SpecStatus; entry: string }[];
}

/** One row per spec in scope: what happened to it. Generated entries are found by the outcome's path. */
export function buildRows(r: BuildResult, projectDir: string): BuildSpecJson[] {
  const rel = (p: string | undefined) => (p === undefined ? null : path.relative(projectDir, p).split(path.sep).join('/'));
  const outcomes = new Map(r.report.outcomes.map((o) => [o.id, o]));
  const rows: BuildSpecJson[] = [];
  for (const s of r.plan.targets) {
    const o = outcomes.get(s.id);
    const generated = o?.status === 'generated';
    rows.push({
      id: s.id, name: s.name, file: s.file, line: s.line, status: o?.status ?? 'failed',
      entry: generated ? rel(o.detail) : null,
      inputTokens: o?.inputTokens ?? 0, outputTokens: o?.outputTokens ?? 0, attempts: o?.attempts ?? 0,
      reason: generated ? null : o?.detail ?? 'not run', code: o?.status === 'failed' ? o.code ?? null : null, answeredBy: o?.model ?? null,
    });
  }
  for (const { status: s, entry } of r.reverified ?? []) {
    rows.push({ id: s.id, name: s.name, file: s.file, line: s.line, status: 'reverified', entry: rel(entry), inputTokens: 0, outputTokens: 0, attempts: 0,
      reason: `${statusDetail(s)}; the earlier entry passes every check against the new contract` });
  }
  for (const s of r.plan.reused) {
    rows.push({ id: s.id, name: s.name, file: s.file, line: s.line, status: 'reused', entry: rel(s.entry), inputTokens: 0, outputTokens: 0, attempts: 0, reason: null });
  }
  for (const s of r.plan.blocked) {
    rows.push({ id: s.id, name: s.name, file: s.file, line: s.line, status: 'invalid', entry: null, inputTokens: 0, outputTokens: 0, attempts: 0, reason: statusDetail(s) });
  }
  return rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

export function buildJson(r: BuildResult, project: string, projectDir: string, diagnostics: DiagnosticJson[]): BuildJson {
  const specs = buildRows(r, projectDir);
  const count = (status: BuildSpecJson['status']) => specs.filter((s) => s.status === status).length;
  const price = r.price.price;
  return {
    project, model: r.model, endpoint: r.endpoint.shown, endpointSource: r.endpoint.source, specs,
    counts: { generated: count('generated'), reused: count('reused'), reverified: count('reverified'), failed: count('failed'), skipped: count('skipped'), invalid: count('invalid') },
    provider: r.provider ?? 'anthropic',
    budget: r.report.budget ? { usd: r.report.budget.limitUsd, spentUsd: r.report.budget.spentUsd, refused: r.report.budget.refused } : null,
    tokens: { input: r.report.inputTokens, output: r.report.outputTokens },
    cost: {
      usd: price ? costUsd(price, r.report.inputTokens, r.report.outputTokens) : null,
      priceIn: price?.input ?? null, priceOut: price?.output ?? null, source: r.price.source,
    },
    wallMs: r.report.wallMs,
    diagnostics,
  };
}

/** The closing lines of a human build: counts, tokens, cost, and every failure with its place. */
export function printBuildSummary(json: BuildJson, out: Output, projectDir: string): void {
  const s = out.style;
  const mark = marks(s);
  const c = json.counts;
  const bad = c.failed + c.skipped + c.invalid;
  const parts = [`generated ${c.generated}`, `reused ${c.reused}`, ...(c.reverified > 0 ? [`re-verified ${c.reverified}`] : []), `failed ${c.failed + c.skipped}`];
  if (c.invalid > 0) parts.push(`malformed ${c.invalid}`);
  out.out(`${bad > 0 ? mark.fail : mark.ok} ${parts.join(' · ')}`);
  const attempted = c.generated + c.failed + c.skipped > 0;
  const usd = json.cost.usd;
  const cost = usd === null
    ? `cost unknown (no price for ${json.model}; pass --price-in/--price-out or set JAUNT_PRICE=in/out)`
    : `≈ ${formatUsd(usd)} estimated (${json.model} at $${json.cost.priceIn}/$${json.cost.priceOut} per million tokens in/out, ${json.cost.source})`;
  if (attempted) {
    out.out(`  tokens ${json.tokens.input.toLocaleString('en-US')} in / ${json.tokens.output.toLocaleString('en-US')} out · ${cost}`);
    out.out(`  time ${clock(json.wallMs)}`);
  }
  if (json.budget) {
    const left = json.budget.refused.length;
    out.out(`  budget ${formatUsd(json.budget.usd)}: ≈ ${formatUsd(json.budget.spentUsd)} spent` +
      (left > 0 ? `; stopped before ${left} spec${left === 1 ? '' : 's'} that could have gone over it (JAUNT3012, listed below): the entries written are kept` : ''));
  }
  const failures = json.specs.filter((x) => x.status === 'failed' || x.status === 'skipped' || x.status === 'invalid');
  if (failures.length > 0) {
    out.out();
    for (const f of failures) {
      out.out(`  ${s.cyan(`${displayPath(out.cwd, path.join(projectDir, f.file))}:${f.line}`)}  ${f.name}  ${s.red(f.status)}: ${f.reason ?? ''}`);
    }
  }
}
