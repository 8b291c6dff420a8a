import type * as TS from 'typescript';
import { formatCode, type JauntDiagnostic } from '../core/errors';

/** tsc prints `TS<code>`: Jaunt's codes live at 990000 + n so they never collide with TypeScript's. */
export const TS_CODE_BASE = 990000;

export function toTsDiagnostic(ts: typeof TS, program: TS.Program, d: JauntDiagnostic): TS.Diagnostic {
  const file = d.location ? program.getSourceFile(d.location.file) : undefined;
  let start = d.location?.start;
  if (file && start === undefined && d.location?.line !== undefined) {
    start = file.getPositionOfLineAndCharacter(Math.max(0, d.location.line - 1), 0);
  }
  return {
    category: d.severity === 'error' ? ts.DiagnosticCategory.Error : d.severity === 'warning' ? ts.DiagnosticCategory.Warning : ts.DiagnosticCategory.Message,
    code: TS_CODE_BASE + d.code,
    file,
    start: file ? start : undefined,
    length: file ? d.location?.length ?? 0 : undefined,
    messageText: `${formatCode(d.code)}: ${d.message}`,
  };
}
