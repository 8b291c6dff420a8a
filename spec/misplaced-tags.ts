/**
 * `@jaunt` written where Jaunt does not read it, or written wrong. Without this, such a spec is a plain
 * `declare function`: tsc emits nothing for it and the module silently lacks the function.
 */
import type * as TS from 'typescript';
import { withinOneEdit } from './near-names';

export type TagMistake =
  /** `// @jaunt` */
  | 'line-comment'
  /** `/* @jaunt *\/`: a block comment, not JSDoc. */
  | 'block-comment'
  /** In a JSDoc that another JSDoc separates from the declaration (Jaunt reads the nearest one). */
  | 'separated'
  /** In the JSDoc but inside a line of text (`/** Doubles n. @jaunt *\/`): not a tag. */
  | 'mid-line'
  /** `@Jaunt`, `@ jaunt`, `@jant`, `@jaunts`, `@juant` */
  | 'misspelt'
  /** `@jauntDeps` in a JSDoc with no `@jaunt`. */
  | 'deps-without-tag';

export interface TagFinding {
  mistake: TagMistake;
  /** The token as written, e.g. `@jant`. */
  written: string;
  /** Offset and length of the token in the file. */
  start: number;
  length: number;
  /** The comment's text without markers or the token: the contract it was meant to carry. */
  description: string;
  /** The token is in the JSDoc nearest the declaration: a small edit there fixes it. */
  inNearestJsDoc: boolean;
  /** 'separated' only: the offset of the JSDoc in between. */
  betweenAt?: number;
}

// `@` not inside a word, an e-mail or a path; one space after it is tolerated (`@ jaunt` is a typo).
const TOKEN = /(?<![\w.@/$-])@([ \t]?)([A-Za-z][\w-]*)/g;
const LINE_START = /^\s*(?:\/\/+|\/\*\*?|\*+)?\s*$/;
const PRIORITY: readonly TagMistake[] = ['separated', 'line-comment', 'block-comment', 'mid-line', 'misspelt', 'deps-without-tag'];

interface Token {
  written: string;
  word: string;
  spaced: boolean;
  /** Offset in the comment. */
  index: number;
  atLineStart: boolean;
}

function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const index = m.index;
    const end = index + m[0].length;
    // `@jaunt/cli`, `@jaunt.dev`: a package or a host, not a tag.
    if (text[end] === '/' || (text[end] === '.' && /\w/.test(text[end + 1] ?? ''))) continue;
    const lineStart = text.lastIndexOf('\n', index - 1) + 1;
    out.push({ written: m[0], word: m[2]!, spaced: m[1] !== '', index, atLineStart: LINE_START.test(text.slice(lineStart, index)) });
  }
  return out;
}

/** Comment text without `//`, `/*`, `*\/`, leading `*`, tag lines and the token: the contract it was meant to carry. */
function descriptionOf(text: string, token: Token): string {
  return (text.slice(0, token.index) + text.slice(token.index + token.written.length))
    .replace(/^\/\*\*?|\*\/$/g, '')
    .split('\n')
    .map((l) => l.replace(/^\s*(?:\/\/+|\*+)?\s?/, ''))
    .filter((l) => !/^\s*@\w/.test(l))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The run of `//` comments around range `i`, as one text: a contract often spans several lines. */
function lineCommentRun(ts: typeof TS, text: string, ranges: readonly TS.CommentRange[], i: number): { text: string; offset: number } {
  const single = (j: number) => ranges[j]?.kind === ts.SyntaxKind.SingleLineCommentTrivia;
  let first = i;
  let last = i;
  while (single(first - 1)) first--;
  while (single(last + 1)) last++;
  return { text: text.slice(ranges[first]!.pos, ranges[last]!.end), offset: ranges[i]!.pos - ranges[first]!.pos };
}

export interface ScanOptions {
  /**
   * The statement is a bodiless `declare function`: Jaunt's tag is the only thing that makes it emit
   * anything, so any mention counts and near misses by one edit are looked for. For other statements
   * only tag-like mentions at the start of a comment line count, so prose about Jaunt stays quiet.
   */
  bodiless: boolean;
}

/**
 * The most telling misplaced or misspelt tag among the comments above `stmt`, whose nearest JSDoc (if
 * any) has no `@jaunt` tag. Undefined when the comments show no sign of a spec.
 */
export function findTagMistake(ts: typeof TS, sf: TS.SourceFile, stmt: TS.Statement, o: ScanOptions): TagFinding | undefined {
  const ranges = ts.getLeadingCommentRanges(sf.text, stmt.pos) ?? [];
  const isJsDoc = (r: TS.CommentRange) =>
    r.kind === ts.SyntaxKind.MultiLineCommentTrivia && sf.text.startsWith('/**', r.pos) && r.end - r.pos > 4;
  let nearest = -1;
  for (let i = ranges.length - 1; i >= 0 && nearest < 0; i--) if (isJsDoc(ranges[i]!)) nearest = i;
  const found: TagFinding[] = [];
  ranges.forEach((r, i) => {
    const text = sf.text.slice(r.pos, r.end);
    const run = r.kind === ts.SyntaxKind.SingleLineCommentTrivia ? lineCommentRun(ts, sf.text, ranges, i) : { text, offset: 0 };
    for (const t of tokensOf(text)) {
      if (!o.bodiless && !t.atLineStart) continue;
      const mistake = classify(t, o.bodiless, () => {
        if (r.kind === ts.SyntaxKind.SingleLineCommentTrivia) return 'line-comment';
        if (!isJsDoc(r)) return 'block-comment';
        if (i !== nearest) return 'separated';
        return 'mid-line';
      });
      if (!mistake) continue;
      found.push({
        mistake, written: t.written, start: r.pos + t.index, length: t.written.length,
        description: descriptionOf(run.text, { ...t, index: t.index + run.offset }), inNearestJsDoc: i === nearest,
        ...(mistake === 'separated' ? { betweenAt: ranges[nearest]!.pos } : {}),
      });
    }
  });
  found.sort((a, b) => PRIORITY.indexOf(a.mistake) - PRIORITY.indexOf(b.mistake));
  return found[0];
}

function classify(t: Token, bodiless: boolean, placeOfExact: () => TagMistake): TagMistake | undefined {
  const lower = t.word.toLowerCase();
  if (t.word === 'jaunt' && !t.spaced) return placeOfExact();
  if (lower === 'jaunt') return 'misspelt';
  if (t.word === 'jauntDeps' && !t.spaced) return 'deps-without-tag';
  // A misspelt @jauntDeps still says "this is a spec"; by one edit only where the cost is bounded.
  if (lower === 'jauntdeps' || (bodiless && withinOneEdit(lower, 'jauntdeps'))) return 'deps-without-tag';
  if (bodiless && withinOneEdit(lower, 'jaunt')) return 'misspelt';
  return undefined;
}

/** Tags of a real spec that look like `@jauntDeps` but are not: their names would be ignored. */
export function misspeltDepsTags(tags: readonly { name: string }[]): string[] {
  return tags.map((t) => t.name).filter((n) => n !== 'jauntDeps' && withinOneEdit(n, 'jauntDeps'));
}

/** The JSDoc to write instead: the description the author wrote, and the tag alone on its last line. */
export function suggestedJsDoc(description: string, name: string): string {
  return `/**\n * ${description || `What ${name} must do.`}\n * @jaunt\n */`;
}
