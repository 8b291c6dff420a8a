import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { runAsWorker } from 'synckit';
import { resolveOptions } from '../config/options';
import { analyzeProgram } from '../core/analyze-program';
import { loadProject } from '../core/load-program';
import { generateImplementations } from './engine';
import { formatEvent } from './progress-lines';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

// Kept across calls (watch rebuilds): the next program reuses this one's unchanged files.
let lastProgram: TS.Program | undefined;

function typescriptFor(projectDir: string): typeof TS {
  // The project's own compiler, as tsc used it; ours if it has none.
  let resolved: string;
  try {
    resolved = require.resolve('typescript', { paths: [projectDir] });
  } catch {
    resolved = require.resolve('typescript');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved) as typeof TS;
}

async function generate(req: WorkerRequest): Promise<WorkerResponse> {
  try {
    const projectDir = path.dirname(req.configPath);
    const ts = typescriptFor(projectDir);
    const project = loadProject(ts, req.configPath, lastProgram);
    lastProgram = project.program;
    const options = resolveOptions(req.pluginConfig, projectDir);
    const analysis = analyzeProgram(ts, project.program, options.projectDir);
    const specs = Object.entries(req.specs).flatMap(([id, hash]) => {
      const s = analysis.byId.get(id);
      return s && s.hash === hash ? [s] : [];
    });
    const notFound = Object.keys(req.specs).filter((id) => !specs.some((s) => s.id === id));
    const report = await generateImplementations({
      ts, program: project.program, analysis, specs, options, force: req.force,
      apiKey: process.env.ANTHROPIC_API_KEY ?? '',
      // Straight to fd 2: the main thread is blocked in Atomics.wait, and piped output would wait for it.
      onEvent: (e) => fs.writeSync(2, `${formatEvent(e)}\n`),
    });
    return { ok: true, report, notFound };
  } catch (e) {
    // Never exit the worker: a dead worker fails every later call.
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

runAsWorker(generate);
