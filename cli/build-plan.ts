/**
 * `jaunt build --plan`: what a build would generate and why, what it would re-verify, and what that is
 * expected to cost, computed from the prompts it would send. Sends nothing.
 */
import * as path from 'node:path';
import type { Endpoint } from '../config/endpoint';
import { costUsd, formatUsd, type Price } from '../config/cost';
import type { ResolvedOptions } from '../config/options';
import type { BuildPlan } from '../core/plan-build';
import { statusDetail, type SpecStatus } from '../core/classify-specs';
import { estimateJob } from '../generate/estimate';
import type { GenerationJob } from '../generate/generation-job';
import { displayPath, plural, type Output } from './output';
import type { PriceChoice } from './pricing';

export interface PlanSpecJson {
  id: string;
  name: string;
  file: string;
  line: number;
  /** generate: a request would be sent; reverify: `--reverify` would re-stamp its earlier entry, no request. */
  action: 'generate' | 'reverify';
  /** Why: `never generated`, `JSDoc changed`, `forced (--force)`, … */
  reason: string;
  inputTokens: number;
  outputTokens: number;
  /** Every attempt used, every answer at maxTokens. */
  worstInputTokens: number;
  worstOutputTokens: number;
  /** Null when the model's price is unknown. */
  usd: number | null;
}

export interface PlanJson {
  project: string;
  provider: string;
  model: string;
  endpoint: string;
  specs: PlanSpecJson[];
  /** Specs in scope that would be kept as they are, and malformed ones that cannot be generated. */
  reused: number;
  invalid: number;
  totals: { inputTokens: number; outputTokens: number; usd: number | null; worstUsd: number | null };
  cost: { priceIn: number | null; priceOut: number | null; source: string };
  /** USD; null without a budget. `fits`: the expected cost is within it. */
  budget: { usd: number; fits: boolean | null } | null;
  /** Always 0: a plan sends nothing. */
  requests: 0;
}

/** Why a target is in the plan, in the words of `status`. */
export function targetReason(s: SpecStatus, force: boolean, added: readonly string[]): string {
  const base = s.status === 'fresh' || s.status === 'edited' ? (force ? `forced (--force; it was ${s.status})` : s.status)
    : s.status === 'missing' ? 'never generated' : s.status === 'stale' ? `stale: ${statusDetail(s)}` : `${s.status}: ${statusDetail(s)}`;
  return added.includes(s.name) ? `${base}; a named spec depends on it` : base;
}

export interface PlanInput {
  plan: BuildPlan;
  jobs: GenerationJob[];
  /** Previous bodies by spec id (stale specs): their size predicts the answer's. */
  previousBodies: Map<string, string>;
  reverifiable: SpecStatus[];
  options: ResolvedOptions;
  endpoint: Endpoint;
  price: PriceChoice;
  budget: number | undefined;
  force: boolean;
}

export function planJson(p: PlanInput, project: string): PlanJson {
  const price: Price | undefined = p.price.price;
  const usd = (i: number, o: number): number | null => (price ? costUsd(price, i, o) : null);
  const byId = new Map(p.plan.targets.map((t) => [t.id, t]));
  const specs: PlanSpecJson[] = p.jobs.map((job) => {
    const s = byId.get(job.id)!;
    const e = estimateJob(job, p.options, p.previousBodies.get(job.id));
    return {
      id: s.id, name: s.name, file: s.file, line: s.line, action: 'generate', reason: targetReason(s, p.force, p.plan.addedDependencies),
      inputTokens: e.inputTokens, outputTokens: e.outputTokens, worstInputTokens: e.worstInputTokens, worstOutputTokens: e.worstOutputTokens,
      usd: usd(e.inputTokens, e.outputTokens),
    };
  });
  for (const s of p.reverifiable) {
    specs.push({ id: s.id, name: s.name, file: s.file, line: s.line, action: 'reverify', reason: `stale: ${statusDetail(s)}; its earlier entry passes every check against the new contract`,
      inputTokens: 0, outputTokens: 0, worstInputTokens: 0, worstOutputTokens: 0, usd: 0 });
  }
  specs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const sum = (f: (s: PlanSpecJson) => number): number => specs.reduce((n, s) => n + f(s), 0);
  const totals = {
    inputTokens: sum((s) => s.inputTokens), outputTokens: sum((s) => s.outputTokens),
    usd: usd(sum((s) => s.inputTokens), sum((s) => s.outputTokens)),
    worstUsd: usd(sum((s) => s.worstInputTokens), sum((s) => s.worstOutputTokens)),
  };
  return {
    project, provider: p.options.provider, model: p.options.model, endpoint: p.endpoint.shown, specs,
    reused: p.plan.reused.length, invalid: p.plan.blocked.length, totals,
    cost: { priceIn: price?.input ?? null, priceOut: price?.output ?? null, source: p.price.source },
    budget: p.budget === undefined ? null : { usd: p.budget, fits: totals.usd === null ? null : totals.usd <= p.budget },
    requests: 0,
  };
}

const n = (x: number): string => x.toLocaleString('en-US');

export function printPlan(json: PlanJson, out: Output, projectDir: string): void {
  const s = out.style;
  const generate = json.specs.filter((x) => x.action === 'generate');
  const reverify = json.specs.filter((x) => x.action === 'reverify');
  if (json.specs.length === 0) {
    out.out(`Nothing to generate: ${plural(json.reused, 'spec')} up to date${json.invalid > 0 ? `, ${json.invalid} malformed` : ''}. No request sent.`);
    return;
  }
  out.out(`Plan: ${plural(generate.length, 'spec')} to generate with ${json.model} (${json.provider}) at ${json.endpoint}` +
    `${reverify.length > 0 ? `, ${reverify.length} to re-verify` : ''}. No request sent.`);
  for (const x of json.specs) {
    const where = s.cyan(`${displayPath(out.cwd, path.join(projectDir, x.file))}:${x.line}`);
    const cost = x.action === 'reverify' ? 're-verify, no request'
      : `~${n(x.inputTokens)} in / ~${n(x.outputTokens)} out${x.usd === null ? '' : `  ≈ ${formatUsd(x.usd)}`}`;
    out.out(`  ${where}  ${x.name}  ${s.dim(x.reason)}  ${cost}`);
  }
  const t = json.totals;
  const money = t.usd === null
    ? `cost unknown (no price for ${json.model}; pass --price-in/--price-out or set JAUNT_PRICE=in/out)`
    : `≈ ${formatUsd(t.usd)} estimated, up to ${formatUsd(t.worstUsd!)} if every attempt is used at maxTokens ` +
      `($${json.cost.priceIn}/$${json.cost.priceOut} per million tokens in/out, ${json.cost.source})`;
  out.out(`  total ~${n(t.inputTokens)} in / ~${n(t.outputTokens)} out tokens · ${money}`);
  if (json.budget) {
    const fits = json.budget.fits === null ? 'cannot be compared (no price)' : json.budget.fits ? 'fits the expected cost' : 'is below the expected cost: the build would stop before some specs';
    out.out(`  budget ${formatUsd(json.budget.usd)} ${fits}`);
  }
  out.out(s.dim('  Estimates: prompts at 4 characters per token, answers the size of the entry they replace (else ~500 tokens).'));
}
