/**
 * Executable `@example`s: `expr // => expected` asserts deep strict equality, `expr // throws TypeError`
 * (optionally `: message prefix`) asserts the error, `await` works in either; every other line is setup
 * run in order in the same scope. An example without an assertion stays documentation.
 */
import type * as TS from 'typescript';

export type ExampleStep =
  | { kind: 'setup'; code: string; line: number }
  | { kind: 'equals'; expr: string; expected: string; awaited: boolean; line: number; source: string }
  | { kind: 'throws'; expr: string; errorName: string; messagePrefix?: string; awaited: boolean; line: number; source: string };

export interface SpecExample {
  /** 1-based line of the `@example` tag in the spec's file. */
  line: number;
  steps: ExampleStep[];
  /** Set for a battery test: its failures are reported by this name, never with its code. */
  name?: string;
}

export interface ExampleProblem {
  line: number;
  message: string;
}

const ASSERTION = /^(=>|throws\b)\s*(.*)$/;
const THROWS = /^([A-Za-z_$][\w$]*)(?:\s*:\s*(.*))?$/;

/** The offset of the first `//` comment of a line of code (strings and templates skipped), if any. */
function commentStart(ts: typeof TS, line: string): number | undefined {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, line);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    // TypeScript 5.0 names it getTokenPos (getTokenStart came in 5.1 and replaced it).
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia) return (scanner.getTokenStart ?? (scanner as { getTokenPos(): number }).getTokenPos).call(scanner);
  }
  return undefined;
}

/** Parse errors of `code` read as an expression (or as statements), or an empty list. */
function syntaxErrors(ts: typeof TS, code: string, asExpression: boolean): string[] {
  const text = asExpression ? `(${code}\n);` : `async function __example() {\n${code}\n}`;
  const sf = ts.createSourceFile('example.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const diags = (sf as TS.SourceFile & { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics ?? [];
  return diags.slice(0, 2).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

/** The text lines of a JSDoc comment with the `*` gutter removed, each with its offset in the comment. */
function commentLines(raw: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let offset = 0;
  for (const line of raw.split('\n')) {
    const body = line.replace(/^\s*\/\*\*\s?/, '').replace(/\*\/\s*$/, '').replace(/^\s*\*(?!\/)\s?/, '');
    out.push({ text: body.replace(/\r$/, ''), offset });
    offset += line.length + 1;
  }
  return out;
}

function lineOfOffset(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** One line of example code as a step: an assertion when its first comment starts with `=>` or `throws`. */
function readStep(ts: typeof TS, code: string, line: number, problems: ExampleProblem[]): ExampleStep | undefined {
  const at = commentStart(ts, code);
  const comment = at === undefined ? undefined : code.slice(at + 2).trim();
  const m = comment === undefined ? null : ASSERTION.exec(comment);
  if (at === undefined || !m) return code.trim() === '' ? undefined : { kind: 'setup', code, line };
  let expr = code.slice(0, at).trim().replace(/;$/, '').trim();
  const awaited = /^await\s/.test(expr);
  if (awaited) expr = expr.replace(/^await\s+/, '');
  const source = `${awaited ? 'await ' : ''}${expr}`;
  if (expr === '') {
    problems.push({ line, message: `\`${source}\` asserts nothing: write the expression before the comment, e.g. \`f(1) // => 2\`` });
    return undefined;
  }
  const exprErrors = syntaxErrors(ts, expr, true);
  if (exprErrors.length) {
    problems.push({ line, message: `\`${expr}\` is not an expression (${exprErrors[0]!})` });
    return undefined;
  }
  if (m[1] === '=>') {
    const expected = m[2]!.trim();
    const errors = expected === '' ? ['nothing after =>'] : syntaxErrors(ts, expected, true);
    if (errors.length) {
      problems.push({ line, message: `the expected value \`${expected}\` after \`// =>\` is not an expression (${errors[0]!}); write a value such as \`[1, 2]\` or \`'text'\`, or drop the \`=>\` to keep the line as documentation` });
      return undefined;
    }
    return { kind: 'equals', expr, expected, awaited, line, source };
  }
  const t = THROWS.exec(m[2]!.trim());
  if (!t) {
    const rest = m[2]!.trim();
    problems.push({ line, message: `\`// throws${rest ? ` ${rest}` : ''}\` must name an error class, e.g. \`// throws RangeError\` or \`// throws RangeError: userId\`` });
    return undefined;
  }
  const prefix = t[2]?.trim();
  return { kind: 'throws', expr, errorName: t[1]!, ...(prefix ? { messagePrefix: prefix } : {}), awaited, line, source };
}

/** Lines of example code read as steps (a battery test's lines), and the lines that cannot run. */
export function parseSteps(ts: typeof TS, lines: readonly { code: string; line: number }[]): { steps: ExampleStep[]; problems: ExampleProblem[] } {
  const problems: ExampleProblem[] = [];
  const steps = lines.flatMap((l) => readStep(ts, l.code, l.line, problems) ?? []);
  if (problems.length === 0 && steps.some((s) => s.kind !== 'setup')) {
    const setupErrors = syntaxErrors(ts, steps.map((s) => (s.kind === 'setup' ? s.code : 'void 0;')).join('\n'), false);
    if (setupErrors.length) problems.push({ line: lines[0]?.line ?? 0, message: `its setup lines do not parse (${setupErrors[0]!})` });
  }
  return { steps, problems };
}

/**
 * The executable examples of a JSDoc comment (`raw` as written, at offset `pos` of `fileText`), and the
 * lines that look like assertions but cannot run. Fenced code blocks are read without their fences.
 */
export function parseExamples(ts: typeof TS, raw: string, pos: number, fileText: string): { examples: SpecExample[]; problems: ExampleProblem[] } {
  const examples: SpecExample[] = [];
  const problems: ExampleProblem[] = [];
  let current: { line: number; lines: { code: string; line: number }[] } | undefined;
  const finish = () => {
    if (!current) return;
    const steps = current.lines.flatMap((l) => readStep(ts, l.code, l.line, problems) ?? []);
    if (steps.some((s) => s.kind !== 'setup')) {
      const setupErrors = syntaxErrors(ts, steps.map((s) => (s.kind === 'setup' ? s.code : 'void 0;')).join('\n'), false);
      if (setupErrors.length) problems.push({ line: current.line, message: `the example's setup lines do not parse (${setupErrors[0]!})` });
      else examples.push({ line: current.line, steps });
    }
    current = undefined;
  };
  for (const { text, offset } of commentLines(raw)) {
    const line = lineOfOffset(fileText, pos + offset);
    const tag = /^\s*@([A-Za-z][\w-]*)\s?(.*)$/.exec(text);
    if (tag) {
      finish();
      if (tag[1] === 'example') current = { line, lines: [{ code: tag[2]!, line }] };
      continue;
    }
    if (current && !/^\s*```/.test(text)) current.lines.push({ code: text, line });
  }
  finish();
  return { examples, problems };
}

const parsed = new WeakMap<object, { examples: SpecExample[]; problems: ExampleProblem[] }>();

type Doc = { raw: string; pos: number };

/** The examples of a spec's JSDoc (and of its members' JSDoc, for a class), parsed once per comment. */
export function examplesOf(ts: typeof TS, spec: { jsdoc: Doc; memberDocs?: readonly Doc[]; sourceFile: TS.SourceFile }): { examples: SpecExample[]; problems: ExampleProblem[] } {
  const of = (doc: Doc) => {
    let result = parsed.get(doc);
    if (!result) parsed.set(doc, (result = parseExamples(ts, doc.raw, doc.pos, spec.sourceFile.text)));
    return result;
  };
  if (!spec.memberDocs?.length) return of(spec.jsdoc);
  const all = [spec.jsdoc, ...spec.memberDocs].map(of);
  return { examples: all.flatMap((r) => r.examples), problems: all.flatMap((r) => r.problems) };
}
