import { invalidateBuildInfo } from '../../core/invalidate-build-info';
import { intOption, numberOption } from '../args';
import { intProblem } from '../../config/option-rules';
import { planBuild } from '../../core/plan-build';
import { buildJson, printBuildSummary, type BuildResult } from '../build-summary';
import { cacheUsage } from '../../core/cache-usage';
import { CliError, usageError } from '../cli-error';
import type { Command } from '../command';
import { diagnosticJson, formatDiagnostic } from '../diagnostics';
import { ExitCode } from '../exit-codes';
import { endpointLine } from '../options-display';
import { displayPath, plural } from '../output';
import { choosePrice, parsePricePair } from '../pricing';
import { createLiveProgress, createPlainProgress, type ProgressDisplay } from '../progress-display';
import { openProject, projectStatuses } from '../project';
import { selectSpecs } from '../select-specs';

export const buildCommand: Command = {
  name: 'build',
  summary: 'generate the implementations that are stale or missing (no JS emitted)',
  args: '[spec...]',
  description: [
    'Asks the model for every spec without a usable cache entry (or only the named ones, plus any of their',
    'dependencies that lack one), validates each answer against the spec, and writes it to the cache.',
    'Emits no JavaScript: build your project with tspc afterwards. Needs ANTHROPIC_API_KEY when there is',
    'something to generate. Hand-edited entries are kept unless --force is given.',
    'Progress goes to stderr (live on a terminal, one line per event otherwise); the summary to stdout.',
  ],
  options: [
    { name: 'force', type: 'boolean', description: 'regenerate the specs in scope even if fresh, replacing hand-edited entries' },
    { name: 'concurrency', type: 'string', value: '<n>', description: 'specs generated at once (default: plugin option, else 4)' },
    { name: 'price-in', type: 'string', value: '<usd>', description: 'USD per million input tokens, for the cost estimate' },
    { name: 'price-out', type: 'string', value: '<usd>', description: 'USD per million output tokens, for the cost estimate' },
  ],
  positionals: { min: 0, max: Infinity },
  examples: ['jaunt build', 'jaunt build createToken --force', 'jaunt build --concurrency 8', 'JAUNT_PRICE=3/15 jaunt build --json'],
  async run(ctx) {
    const { parsed, env, out } = ctx;
    const force = parsed.flags.has('force');
    const concurrency = intOption(parsed, 'concurrency');
    // The flag overrides the plugin option, so it obeys the same bounds.
    const concurrencyProblem = concurrency === undefined ? undefined : intProblem('concurrency', concurrency);
    if (concurrencyProblem) throw usageError(`--${concurrencyProblem.replace(/^option "concurrency"/, 'concurrency')}`);
    const priceIn = numberOption(parsed, 'price-in');
    const priceOut = numberOption(parsed, 'price-out');
    if (env.JAUNT_PRICE && !parsePricePair(env.JAUNT_PRICE)) {
      throw usageError(`JAUNT_PRICE must be "<input>/<output>" in USD per million tokens, e.g. 3/15; got '${env.JAUNT_PRICE}'`);
    }
    const project = openProject(ctx.cwd, ctx.project, ctx.env);
    const options = { ...project.options, ...(concurrency !== undefined ? { concurrency } : {}) };
    const all = projectStatuses(project).statuses;
    const named = parsed.positionals.length > 0;
    const scope = named ? selectSpecs(all, parsed.positionals, { projectDir: project.projectDir, cwd: ctx.cwd }) : all;
    const plan = planBuild(all, scope, { force, named });
    const price = choosePrice(options.model, { priceIn, priceOut, env, pluginOption: project.pluginConfig?.price });
    const diagnostics = project.analysis.diagnostics.filter((d) => d.severity === 'error');

    if (!ctx.json) {
      for (const d of diagnostics) out.err(formatDiagnostic(d, ctx.cwd, out.errStyle));
      if (plan.addedDependencies.length > 0) out.err(`Also generating ${plan.addedDependencies.join(', ')}: named specs depend on them and their entries are not usable.`);
    }
    if (plan.targets.length > 0 && !env.ANTHROPIC_API_KEY) {
      // Only whether it is set is ever looked at or reported: never the key itself.
      throw new CliError(ExitCode.MissingKey, `ANTHROPIC_API_KEY is not set; jaunt build needs it to generate ${plural(plan.targets.length, 'spec')} (${plan.targets.map((t) => t.name).join(', ')})`, {
        hint: 'export ANTHROPIC_API_KEY=<your key> and rerun, or write the implementations yourself with `jaunt author <spec> --from <file>`',
      });
    }

    let report: BuildResult['report'] = { outcomes: [], inputTokens: 0, outputTokens: 0, wallMs: 0 };
    if (plan.targets.length > 0) {
      // Before anything is sent: which model, and the server that will receive the key.
      out.err(`Generating ${plural(plan.targets.length, 'spec')} with ${options.model} at ${endpointLine(options.endpoint, displayPath(ctx.cwd, project.configPath))}`);
      const stream = out.io.stderr;
      const display: ProgressDisplay = stream.isTTY && env.TERM !== 'dumb' && !env.CI
        ? createLiveProgress({ total: plan.targets.length, stream, style: out.errStyle })
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
        report = await generateImplementations({
          ts: project.ts, program: project.program, analysis: project.analysis, options,
          specs: plan.targets.map((t) => t.spec), apiKey: env.ANTHROPIC_API_KEY ?? '', force, onEvent: (e) => display.event(e),
        });
      } finally {
        display.finish();
        process.removeListener('SIGINT', onInterrupt);
        // New entries must reach the next incremental tsc build, which only sees source text.
        if (report.outcomes.some((o) => o.status === 'generated')) invalidateBuildInfo(project.ts, project.program.getCompilerOptions());
      }
    }

    const json = buildJson({ plan, report, model: options.model, endpoint: options.endpoint, price }, project.configPath, project.projectDir,
      diagnostics.map((d) => diagnosticJson(d, project.projectDir)));
    const ok = json.counts.failed + json.counts.skipped + json.counts.invalid === 0;
    if (ctx.json) {
      out.json(json);
      return ok ? ExitCode.Ok : ExitCode.Failed;
    }
    if (plan.targets.length === 0 && plan.blocked.length === 0) {
      const edited = plan.reused.filter((s) => s.status === 'edited').length;
      out.out(`${out.style.green('✓')} Nothing to generate: ${plural(plan.reused.length, 'spec')} up to date${edited > 0 ? ` (${edited} hand-edited; --force replaces them)` : ''}.`);
      return ExitCode.Ok;
    }
    printBuildSummary(json, out, project.projectDir);
    if (json.counts.generated > 0) out.out(`\nReview and commit the new entries: git add ${displayPath(ctx.cwd, options.cacheDir)}`);
    const orphans = cacheUsage(project.analysis, options.cacheDir).orphans.length;
    if (orphans > 0) out.out(out.style.dim(`${plural(orphans, 'cache entry', 'cache entries')} no longer used: \`jaunt gc --delete\` removes them.`));
    return ok ? ExitCode.Ok : ExitCode.Failed;
  },
};
