import type { GenerationReport } from './generation-events';

/** What the tsc plugin asks the generation worker (plain data: it crosses a thread boundary). */
export interface WorkerRequest {
  configPath: string;
  pluginConfig: Record<string, unknown> | undefined;
  /** Spec id → the hash the plugin computed; a spec whose hash differs in the worker is not generated. */
  specs: Record<string, string>;
  force: boolean;
}

export type WorkerResponse =
  | { ok: true; report: GenerationReport; notFound: string[] }
  | { ok: false; message: string };
