import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSyncFn } from 'synckit';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { Codes, diagnostic, formatCode, type JauntDiagnostic } from '../core/errors';
import type { Generator } from '../core/prepare-program';
import { specLocation } from '../core/classify-specs';
import { PACKAGE_ROOT } from '../core/version';
import type { GenerationReport } from './generation-events';
import { formatSummary } from './progress-lines';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

// Module level: started on the first miss only (~0.4 s), then kept across watch rebuilds.
let callWorker: ((req: WorkerRequest) => WorkerResponse) | undefined;

function worker(): (req: WorkerRequest) => WorkerResponse {
  callWorker ??= createSyncFn<(req: WorkerRequest) => Promise<WorkerResponse>>(
    path.join(PACKAGE_ROOT, 'dist', 'generate', 'generate-worker.js'));
  return callWorker;
}

// Failures after which the engine sends nothing more.
const STOPS_THE_RUN: ReadonlySet<number> = new Set([Codes.ProviderAuth, Codes.CacheWriteFailed]);

/**
 * Diagnostics for the specs a generation run could not write. A spec never sent because an earlier
 * failure stopped the run (a rejected key, an unwritable cache) carries that failure's code, not 3001:
 * nothing about the spec itself failed.
 */
export function reportDiagnostics(analysis: ProgramAnalysis, report: GenerationReport): JauntDiagnostic[] {
  const stopper = report.outcomes.find((o) => o.status === 'failed' && o.code !== undefined && STOPS_THE_RUN.has(o.code));
  return report.outcomes.flatMap((o) => {
    if (o.status === 'generated') return [];
    const spec = analysis.byId.get(o.id);
    const where = spec ? specLocation(spec) : undefined;
    if (o.status === 'skipped') return [diagnostic(Codes.DependencyFailed, `spec '${o.name}' was not generated: ${o.detail}`, where, o.name)];
    const neverSent = o.attempts === 0 && (o.code ?? Codes.GenerationFailed) === Codes.GenerationFailed;
    if (neverSent && stopper && stopper !== o) {
      return [diagnostic(stopper.code!, `spec '${o.name}' was not generated: the run stopped when spec '${stopper.name}' failed (${formatCode(stopper.code!)}); fix that and rebuild`, where, o.name)];
    }
    return [diagnostic(o.code ?? Codes.GenerationFailed, `spec '${o.name}' could not be generated: ${o.detail}`, where, o.name)];
  });
}

/**
 * The tsc plugin's generator: one synchronous call per program into a worker thread that runs the
 * same async engine as the CLI, then a one-line summary on stderr.
 */
export function workerGenerator(configPath: string, pluginConfig: Record<string, unknown> | undefined, force: boolean): Generator {
  return (analysis: ProgramAnalysis, specs: AnalyzedSpec[]): JauntDiagnostic[] => {
    const request: WorkerRequest = {
      configPath, pluginConfig, force,
      specs: Object.fromEntries(specs.map((s) => [s.id, s.hash!])),
    };
    let response: WorkerResponse;
    try {
      response = worker()(request);
    } catch (e) {
      return [diagnostic(Codes.WorkerFailed, `the generation worker failed: ${e instanceof Error ? e.message : String(e)}`)];
    }
    if (!response.ok) return [diagnostic(Codes.WorkerFailed, `generation failed: ${response.message}`)];
    const reused = analysis.specs.length - specs.length;
    fs.writeSync(2, `${formatSummary(response.report, reused)}\n`);
    return reportDiagnostics(analysis, response.report);
  };
}
