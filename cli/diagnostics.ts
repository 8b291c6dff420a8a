import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatCode, type JauntDiagnostic } from '../core/errors';
import { displayPath, type Style } from './output';

/** A diagnostic in `--json` output. Paths are relative to the tsconfig's folder, with `/`. */
export interface DiagnosticJson {
  code: string;
  severity: 'error' | 'warning' | 'message';
  message: string;
  file: string | null;
  /** 1-based. */
  line: number | null;
  /** 1-based; null when only the line is known. */
  column: number | null;
  spec: string | null;
}

const texts = new Map<string, string | undefined>();

function textOf(file: string): string | undefined {
  if (!texts.has(file)) {
    try {
      texts.set(file, fs.readFileSync(file, 'utf8'));
    } catch {
      texts.set(file, undefined);
    }
  }
  return texts.get(file);
}

/** 1-based line and column of a diagnostic, from its offset when it has one. */
export function positionOf(d: JauntDiagnostic): { line: number | undefined; column: number | undefined } {
  const loc = d.location;
  if (!loc) return { line: undefined, column: undefined };
  const text = loc.start !== undefined ? textOf(loc.file) : undefined;
  if (text === undefined || loc.start === undefined) return { line: loc.line, column: undefined };
  const before = text.slice(0, loc.start);
  const line = before.split('\n').length;
  return { line, column: loc.start - before.lastIndexOf('\n') };
}

export function diagnosticJson(d: JauntDiagnostic, projectDir: string): DiagnosticJson {
  const { line, column } = positionOf(d);
  return {
    code: formatCode(d.code), severity: d.severity, message: d.message,
    file: d.location ? path.relative(projectDir, d.location.file).split(path.sep).join('/') : null,
    line: line ?? null, column: column ?? null, spec: d.spec ?? null,
  };
}

/** `src/math.ts:12:1 - error JAUNT1007: message`, tsc's layout, so editors and CI annotators pick it up. */
export function formatDiagnostic(d: JauntDiagnostic, cwd: string, style: Style): string {
  const { line, column } = positionOf(d);
  const where = d.location
    ? `${style.cyan(displayPath(cwd, d.location.file))}${line !== undefined ? `:${style.yellow(String(line))}` : ''}${column !== undefined ? `:${style.yellow(String(column))}` : ''} - `
    : '';
  const severity = d.severity === 'error' ? style.red('error') : d.severity === 'warning' ? style.yellow('warning') : 'message';
  return `${where}${severity} ${style.dim(formatCode(d.code))}: ${d.message}`;
}
