import * as path from 'node:path';

/** ANSI styling that collapses to plain text when colors are off. */
export interface Style {
  enabled: boolean;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

/** Colors only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
export function colorsEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function createStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return {
    enabled,
    red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39),
    dim: wrap(2, 22), bold: wrap(1, 22),
  };
}

/** The status marks doctor and check print, colored when colors are on. */
export function marks(style: Style): { ok: string; fail: string; warn: string } {
  return { ok: style.green('✓'), fail: style.red('✗'), warn: style.yellow('!') };
}

/** A stream the CLI writes to: process.stdout/stderr, or a capture when main() runs inside another program. */
export interface OutStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What main() talks to besides its arguments: the streams, and whether it owns the process (signals, exit). */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  /** True for the jaunt binary: SIGINT during a build ends the process with 130 once entries are kept. */
  ownsProcess: boolean;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, ownsProcess: true });

/** Where a command writes: results on stdout, progress and problems on stderr. */
export interface Output {
  cwd: string;
  io: CliIo;
  /** Style for stdout. */
  style: Style;
  /** Style for stderr (it can be a terminal while stdout is piped, or the other way round). */
  errStyle: Style;
  out(line?: string): void;
  err(line?: string): void;
  /** Pretty-printed JSON on stdout, for --json. */
  json(value: unknown): void;
}

export function createOutput(env: NodeJS.ProcessEnv, cwd: string, io: CliIo = processIo()): Output {
  return {
    cwd,
    io,
    style: createStyle(colorsEnabled(io.stdout, env)),
    errStyle: createStyle(colorsEnabled(io.stderr, env)),
    out: (line = '') => void io.stdout.write(`${line}\n`),
    err: (line = '') => void io.stderr.write(`${line}\n`),
    json: (value) => void io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}

/** A path as the user would type it from where they ran jaunt (clickable in most terminals). */
export function displayPath(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  const shown = rel === '' ? '.' : rel.startsWith('..') && path.isAbsolute(absolute) && rel.split(path.sep).length > 4 ? absolute : rel;
  return shown.split(path.sep).join('/');
}

/** `1 spec`, `2 specs`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
