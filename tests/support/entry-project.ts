/**
 * basic-cjs with a chosen jaunt-ts plugin entry, written one key per line so a test can say on which line
 * of tsconfig.json an error must point. The cache is removed unless kept, so any build that got past the
 * options would have something to ask the model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { code, type FakeAnthropic, type FakeReply } from './fake-anthropic';
import { copyProject, jaunt, removeProject, type CliResult } from './cli-project';
import { tspc } from './fixture-project';

export interface EntryProject {
  dir: string;
  /** 1-based line of `"key":` in tsconfig.json (the first one at or after "plugins"). */
  lineOf(key: string): number;
  /** Runs `jaunt <args>` in the project. */
  jaunt(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Runs ts-patch's tspc in the project (its emit goes to out/). */
  tspc(env: NodeJS.ProcessEnv): Promise<CliResult>;
  remove(): void;
}

/**
 * Makes `{ transform: 'jaunt-ts/transformer', ...entry }` the only plugin entry of `<dir>/tsconfig.json`,
 * one key per line; returns what puts the file back as it was.
 */
export function writePluginEntry(dir: string, entry: Record<string, unknown>): () => void {
  const file = path.join(dir, 'tsconfig.json');
  const original = fs.readFileSync(file, 'utf8');
  const config = JSON.parse(original) as { compilerOptions: Record<string, unknown> };
  config.compilerOptions.plugins = [{ transform: 'jaunt-ts/transformer', ...entry }];
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return () => fs.writeFileSync(file, original);
}

export function entryProject(entry: Record<string, unknown>, o: { keepCache?: boolean } = {}): EntryProject {
  const dir = copyProject('basic-cjs');
  const file = path.join(dir, 'tsconfig.json');
  writePluginEntry(dir, entry);
  if (!o.keepCache) fs.rmSync(path.join(dir, '.jaunt'), { recursive: true, force: true });
  return {
    dir,
    lineOf(key) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const plugins = lines.findIndex((l) => l.includes('"plugins":'));
      const at = lines.findIndex((l, i) => i >= plugins && l.trimStart().startsWith(`${JSON.stringify(key)}:`));
      if (plugins < 0 || at < 0) throw new Error(`no ${key} in ${file}`);
      return at + 1;
    },
    jaunt: (args, env) => jaunt(dir, args, env),
    tspc: (env) => tspc(['-p', '.'], { cwd: dir, env, timeoutMs: 100_000 }),
    remove: () => removeProject(dir),
  };
}

/** The fixture's own implementation of a spec, as a well-behaved model answers it. */
export function answerFromImpl(dir: string, spec: string): FakeReply {
  return code(fs.readFileSync(path.join(dir, 'impl', `${spec}.ts`), 'utf8'));
}

/** Answers every spec of basic-cjs from the fixture's impl/ folder. */
export function answerEverything(server: FakeAnthropic, dir: string): void {
  server.fallback((req) => (req.spec ? answerFromImpl(dir, req.spec) : undefined));
}

/** Everything a run printed, for "never printed" assertions. */
export function printed(...runs: CliResult[]): string {
  return runs.map((r) => r.stdout + r.stderr).join('\n');
}
