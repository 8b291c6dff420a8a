import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSyncFn } from 'synckit';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { Codes, diagnostic, formatCode, type JauntDiagnostic } from '../core/errors';
import type { Generator, GeneratorHost } from '../core/prepare-program';
import { resolveOptions } from '../config/options';
import { createValidator, validatorOptionsOf, type ValidationResult } from '../validate/validate-candidate';
import { readPackageDeps } from './build-prompt';
import { jobsFor, programValidator, type GenerationJob, type ProgramJobValidator } from './generation-job';
import { specLocation } from '../core/classify-specs';
import { PACKAGE_ROOT } from '../core/version';
import type { GenerationReport } from './generation-events';
import { formatSummary } from './progress-lines';
import { benchMark } from './bench-timeline';
import { serveChecks } from './serve-checks';
import { createVerifyAhead } from './verify-ahead';
import type { CheckRequest, WorkerRequest, WorkerResponse } from './worker-protocol';

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
 * Checks a batch of candidates, all that arrived since the last call, in one go. A check that throws is a
 * failed check, never a hung run: the worker waits for every answer.
 */
function checkBatch(validator: ProgramJobValidator, jobs: ReadonlyMap<string, GenerationJob>, requests: readonly CheckRequest[]): { ticket: number; result: ValidationResult }[] {
  const unknown: ValidationResult = { ok: false, errors: ['internal error: the worker asked about a spec this build did not send'] };
  const known = requests.flatMap((r) => {
    const job = jobs.get(r.job);
    return job ? [{ ticket: r.ticket, job, candidate: r.candidate }] : [];
  });
  let results: ValidationResult[];
  try {
    results = validator.validateMany(known);
  } catch (e) {
    const failed: ValidationResult = { ok: false, errors: [`internal error while checking the candidate: ${e instanceof Error ? e.message : String(e)}`] };
    results = known.map(() => failed);
  }
  const byTicket = new Map(known.map((k, i) => [k.ticket, results[i]!]));
  return requests.map((r) => ({ ticket: r.ticket, result: byTicket.get(r.ticket) ?? unknown }));
}

/**
 * The tsc plugin's generator. The worker sends the requests and waits for replies on its own event loop;
 * this thread builds the prompts, then checks each batch of candidates in the program it already holds
 * while the worker keeps receiving, until the worker reports the run. One program per build, and no reply
 * waits behind a check.
 */
export function workerGenerator(configPath: string, pluginConfig: Record<string, unknown> | undefined, force: boolean): Generator {
  return (analysis: ProgramAnalysis, specs: AnalyzedSpec[], host?: GeneratorHost): JauntDiagnostic[] => {
    if (!host) return [diagnostic(Codes.WorkerFailed, 'the generation worker needs the program (an older caller of the generator): rebuild with the current jaunt-ts')];
    let call: (req: WorkerRequest) => WorkerResponse;
    let response: WorkerResponse;
    benchMark('generate-start');
    try {
      // Started first, so the worker boots while this thread writes the prompts.
      call = worker();
      // The options the worker resolves too: the cache the behaviour check reads, and `tests`.
      const options = resolveOptions(pluginConfig, path.dirname(configPath), process.env, configPath);
      const jobs = jobsFor(host.ts, host.program, analysis, specs, readPackageDeps(analysis.projectDir), { tests: options.tests });
      const byId = new Map(jobs.map((j) => [j.id, j]));
      const validated = new Map<string, string>();
      // A spec file's first verification, during the model phase rather than after it (verify-ahead.ts).
      const ahead = createVerifyAhead({ ts: host.ts, program: host.program, analysis, cacheDir: options.cacheDir, jobs: new Set(byId.keys()), validated });
      const validator = programValidator(createValidator(host.ts, host.program, analysis, {
        ...validatorOptionsOf(options), fileRequests: ahead.fileRequests, onFilePassed: ahead.passed,
      }), analysis);
      response = serveChecks(call, call({ type: 'start', configPath, pluginConfig, force, jobs }), {
        jobs: byId, ahead,
        check: (requests) => {
          const results = checkBatch(validator, byId, requests);
          for (const { ticket, result } of results) if (result.ok) validated.set(requests.find((r) => r.ticket === ticket)!.job, result.body);
          return results;
        },
      });
    } catch (e) {
      return [diagnostic(Codes.WorkerFailed, `the generation worker failed: ${e instanceof Error ? e.message : String(e)}`)];
    }
    benchMark('generate-end');
    if (response.type === 'failed') return [diagnostic(Codes.WorkerFailed, `generation failed: ${response.message}`)];
    const reused = analysis.specs.length - specs.length;
    fs.writeSync(2, `${formatSummary(response.report, reused)}\n`);
    return reportDiagnostics(analysis, response.report);
  };
}
