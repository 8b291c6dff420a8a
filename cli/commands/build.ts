import * as fs from 'node:fs';
import { invalidateBuildInfo } from '../../core/invalidate-build-info';
import { intOption, numberOption } from '../args';
import { intProblem, suggestName } from '../../config/option-rules';
import { PROVIDERS, PROVIDER_IDS, apiKeyFrom, isProviderId } from '../../config/providers';
import { Codes } from '../../core/errors';
import { planBuild } from '../../core/plan-build';
import { checkReverifiable, restamp, type ReverifyCheck } from '../../core/reverify';
import type { SpecStatus } from '../../core/classify-specs';
import { buildJson, printBuildSummary, type BuildResult } from '../build-summary';
import { planJson, printPlan } from '../build-plan';
import { cacheUsage } from '../../core/cache-usage';
import { CliError, usageError } from '../cli-error';
import type { Command } from '../command';
import { diagnosticJson, formatDiagnostic } from '../diagnostics';
import { ExitCode } from '../exit-codes';
import { endpointLine } from '../options-display';
import { displayPath, plural } from '../output';
import { choosePrice, parsePricePair } from '../pricing';
import { createLiveProgress, createPlainProgress, type ProgressDisplay } from '../progress-display';
import { openProject, projectStatuses, type ProjectContext } from '../project';
import { selectSpecs } from '../select-specs';

/** The stale specs of `targets` whose earlier entry passes every check against the new contract. */
function reverifiable(project: ProjectContext, targets: readonly SpecStatus[]): { status: SpecStatus; check: Extract<ReverifyCheck, { ok: true }> }[] {
  const candidates = targets.filter((t) => t.status === 'stale' && t.staleBy === 'contract' && t.previousEntry);
  if (candidates.length === 0) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createValidator, validatorOptionsOf } = require('../../validate/validate-candidate') as typeof import('../../validate/validate-candidate');
  const validator = createValidator(project.ts, project.program, project.analysis, validatorOptionsOf(project.options));
  return candidates.flatMap((status) => {
    const check = checkReverifiable(status, project.options.cacheDir, validator);
    return check.ok ? [{ status, check }] : [];
  });
}

/** The body of the entry a stale spec had, to size the answer that replaces it; undefined when unreadable. */
function previousBody(s: SpecStatus): string | undefined {
  if (!s.previousEntry) return undefined;
  try {
    const text = fs.readFileSync(s.previousEntry, 'utf8');
    const end = text.indexOf('*/');
    return end < 0 ? undefined : text.slice(end + 2);
  } catch {
    return undefined;
  }
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'generate the implementations that are stale or missing (no JS emitted)',
  args: '[spec...]',
  description: [
    'Asks the model for every spec without a usable cache entry (or only the named ones, plus any of their',
    'dependencies that lack one), validates each answer against the spec, and writes it to the cache.',
    'Emits no JavaScript: build your project with tspc afterwards. Needs the provider\'s key (ANTHROPIC_API_KEY,',
    'or OPENAI_API_KEY with --provider openai) when there is something to generate. Hand-edited entries are kept',
    'unless --force is given. --plan shows what would be generated, why, and the estimated cost, and sends',
    'nothing. --budget stops sending before the build could spend more. --reverify re-stamps, without a',
    'request, stale specs whose earlier entry passes every check against the new contract (review them:',
    'a wording change in a JSDoc can change meaning). Progress goes to stderr; the summary to stdout.',
  ],
  options: [
    { name: 'force', type: 'boolean', description: 'regenerate the specs in scope even if fresh, replacing hand-edited entries' },
    { name: 'tests', type: 'boolean', description: 'also write a battery of held-out tests per generated spec and run it on every candidate (one extra request per spec; plugin option "tests")' },
    { name: 'plan', type: 'boolean', description: 'list what would be generated and why, with estimated tokens and cost; send nothing' },
    { name: 'budget', type: 'string', value: '<usd>', description: 'most USD to spend; stop sending before going over (default: plugin option "budget")' },
    { name: 'reverify', type: 'boolean', description: 're-stamp stale specs whose earlier entry passes every check, without a request' },
    { name: 'provider', type: 'string', value: '<id>', description: `who answers: ${PROVIDER_IDS.join(' or ')} (default: plugin option, else anthropic)` },
    { name: 'model', type: 'string', value: '<id>', description: 'model id (default: plugin option, else the provider\'s default)' },
    { name: 'concurrency', type: 'string', value: '<n>', description: 'specs generated at once (default: plugin option, else 4)' },
    { name: 'price-in', type: 'string', value: '<usd>', description: 'USD per million input tokens, for the cost estimate' },
    { name: 'price-out', type: 'string', value: '<usd>', description: 'USD per million output tokens, for the cost estimate' },
  ],
  positionals: { min: 0, max: Infinity },
  examples: ['jaunt build', 'jaunt build --plan', 'jaunt build --budget 2', 'jaunt build --reverify', 'jaunt build createToken --force',
    'OPENAI_BASE_URL=http://localhost:8000/v1 jaunt build --provider openai --model qwen3-coder', 'JAUNT_PRICE=3/15 jaunt build --json'],
  async run(ctx) {
    const { parsed, env, out } = ctx;
    const force = parsed.flags.has('force');
    const planOnly = parsed.flags.has('plan');
    const reverify = parsed.flags.has('reverify');
    if (force && reverify) throw usageError('--force and --reverify cannot be combined: --force regenerates every spec in scope');
    const concurrency = intOption(parsed, 'concurrency');
    // The flag overrides the plugin option, so it obeys the same bounds.
    const concurrencyProblem = concurrency === undefined ? undefined : intProblem('concurrency', concurrency);
    if (concurrencyProblem) throw usageError(`--${concurrencyProblem.replace(/^option "concurrency"/, 'concurrency')}`);
    const priceIn = numberOption(parsed, 'price-in');
    const priceOut = numberOption(parsed, 'price-out');
    const budgetFlag = numberOption(parsed, 'budget');
    if (budgetFlag === 0) throw usageError('--budget must be above 0 (USD)');
    const providerFlag = parsed.values.get('provider');
    if (providerFlag !== undefined && !isProviderId(providerFlag)) {
      const near = suggestName(providerFlag, PROVIDER_IDS);
      throw usageError(`--provider must be ${PROVIDER_IDS.join(' or ')}, got '${providerFlag}'.${near ? ` Did you mean '${near}'?` : ''}`);
    }
    const modelFlag = parsed.values.get('model');
    if (modelFlag !== undefined && modelFlag.trim() === '') throw usageError('--model needs a model id');
    if (env.JAUNT_PRICE && !parsePricePair(env.JAUNT_PRICE)) {
      throw usageError(`JAUNT_PRICE must be "<input>/<output>" in USD per million tokens, e.g. 3/15; got '${env.JAUNT_PRICE}'`);
    }
    const project = openProject(ctx.cwd, ctx.project, ctx.env, { ...(providerFlag ? { provider: providerFlag } : {}), ...(modelFlag ? { model: modelFlag } : {}) }, (line) => ctx.out.err(line));
    const base = project.options;
    const price = choosePrice(base.model, { priceIn, priceOut, env, pluginOption: project.pluginConfig?.price });
    const budget = budgetFlag ?? base.budget;
    if (budget !== undefined && !price.price) {
      throw new CliError(ExitCode.Config, `a budget needs a price, and Jaunt knows none for model ${base.model}`, {
        code: Codes.BudgetNeedsPrice, hint: 'pass --price-in and --price-out (USD per million tokens), set JAUNT_PRICE=in/out, or add "price" to the plugin entry',
      });
    }
    const options = { ...base, ...(concurrency !== undefined ? { concurrency } : {}), ...(parsed.flags.has('tests') ? { tests: true } : {}), price: price.price, budget };
    const info = PROVIDERS[options.provider];
    const all = projectStatuses(project).statuses;
    const named = parsed.positionals.length > 0;
    const scope = named ? selectSpecs(all, parsed.positionals, { projectDir: project.projectDir, cwd: ctx.cwd }) : all;
    const plan = planBuild(all, scope, { force, named });
    const diagnostics = project.analysis.diagnostics.filter((d) => d.severity === 'error');
    const configShown = displayPath(ctx.cwd, project.configPath);

    // Re-verification first: what passes needs no request (in a plan, nothing is written).
    const passing = reverify ? reverifiable(project, plan.targets) : [];
    const passed = new Set(passing.map((p) => p.status.id));
    const targets = plan.targets.filter((t) => !passed.has(t.id));

    if (!ctx.json) {
      for (const d of diagnostics) out.err(formatDiagnostic(d, ctx.cwd, out.errStyle));
      if (plan.addedDependencies.length > 0) out.err(`Also ${planOnly ? 'planning' : 'generating'} ${plan.addedDependencies.join(', ')}: named specs depend on them and their entries are not usable.`);
    }
    if (planOnly) {
      const { readPackageDeps } = await import('../../generate/build-prompt');
      const { jobsFor } = await import('../../generate/generation-job');
      const jobs = jobsFor(project.ts, project.program, project.analysis, targets.map((t) => t.spec), readPackageDeps(project.projectDir));
      const previousBodies = new Map(targets.flatMap((t) => {
        const body = previousBody(t);
        return body === undefined ? [] : [[t.id, body] as const];
      }));
      const json = planJson({ plan, jobs, previousBodies, reverifiable: passing.map((p) => p.status), options, endpoint: options.endpoint, price, budget, force }, project.configPath);
      if (ctx.json) out.json(json);
      else printPlan(json, out, project.projectDir);
      return ExitCode.Ok;
    }

    const reverified = passing.map(({ status, check }) => {
      const entry = restamp(options.cacheDir, check, status.reasons);
      // Never silent: a JSDoc edit may have changed what the function must do.
      if (!ctx.json) out.err(`Re-verified ${status.name} (${status.file}:${status.line}): ${status.reasons.join(', ')} changed and its earlier entry passes every check; re-stamped as ${displayPath(ctx.cwd, entry)} without a request. Review it: a wording change can change meaning.`);
      return { status, entry };
    });
    const apiKey = apiKeyFrom(env, options.provider);
    if (targets.length > 0 && !apiKey) {
      // Only whether it is set is ever looked at or reported: never the key itself.
      throw new CliError(ExitCode.MissingKey, `${info.keyEnv} is not set; jaunt build needs it to generate ${plural(targets.length, 'spec')} (${targets.map((t) => t.name).join(', ')})`, {
        hint: `export ${info.keyEnv}=<your key> and rerun, or write the implementations yourself with \`jaunt author <spec> --from <file>\``,
      });
    }

    let report: BuildResult['report'] = { outcomes: [], inputTokens: 0, outputTokens: 0, wallMs: 0 };
    try {
      if (targets.length > 0) report = await generate();
    } finally {
      // New entries must reach the next incremental tsc build, which only sees source text.
      if (reverified.length > 0 || report.outcomes.some((o) => o.status === 'generated')) invalidateBuildInfo(project.ts, project.program.getCompilerOptions());
    }

    async function generate(): Promise<BuildResult['report']> {
      // Before anything is sent: which model, and the server that will receive the key.
      const who = options.provider === 'anthropic' ? options.model : `${options.model} (${options.provider})`;
      const limit = budget !== undefined ? `, budget $${budget}` : '';
      out.err(`Generating ${plural(targets.length, 'spec')} with ${who} at ${endpointLine(options.endpoint, configShown)}${limit}`);
      const stream = out.io.stderr;
      const display: ProgressDisplay = stream.isTTY && env.TERM !== 'dumb' && !env.CI
        ? createLiveProgress({ total: targets.length, stream, style: out.errStyle })
        : createPlainProgress(stream);
      const onInterrupt = () => {
        display.finish();
        out.err('jaunt build: interrupted; the entries written so far are kept.');
        process.exit(130);
      };
      // Only the jaunt binary owns the process and its signals.
      if (out.io.ownsProcess) process.once('SIGINT', onInterrupt);
      try {
        const { generateImplementations } = await import('../../generate/engine');
        return await generateImplementations({
          ts: project.ts, program: project.program, analysis: project.analysis, options,
          specs: targets.map((t) => t.spec), apiKey: apiKey ?? '', force, onEvent: (e) => display.event(e),
        });
      } finally {
        display.finish();
        process.removeListener('SIGINT', onInterrupt);
      }
    }

    const json = buildJson({ plan: { ...plan, targets }, report, model: options.model, provider: options.provider, endpoint: options.endpoint, price, reverified },
      project.configPath, project.projectDir, diagnostics.map((d) => diagnosticJson(d, project.projectDir)));
    const ok = json.counts.failed + json.counts.skipped + json.counts.invalid === 0;
    if (ctx.json) {
      out.json(json);
      return ok ? ExitCode.Ok : ExitCode.Failed;
    }
    if (targets.length === 0 && plan.blocked.length === 0 && reverified.length === 0) {
      const edited = plan.reused.filter((s) => s.status === 'edited').length;
      out.out(`${out.style.green('✓')} Nothing to generate: ${plural(plan.reused.length, 'spec')} up to date${edited > 0 ? ` (${edited} hand-edited; --force replaces them)` : ''}.`);
      return ExitCode.Ok;
    }
    printBuildSummary(json, out, project.projectDir);
    if (json.counts.generated + json.counts.reverified > 0) out.out(`\nReview and commit the new entries: git add ${displayPath(ctx.cwd, options.cacheDir)}`);
    const orphans = cacheUsage(project.analysis, options.cacheDir).orphans.length;
    if (orphans > 0) out.out(out.style.dim(`${plural(orphans, 'cache entry', 'cache entries')} no longer used: \`jaunt gc --delete\` removes them.`));
    return ok ? ExitCode.Ok : ExitCode.Failed;
  },
};
