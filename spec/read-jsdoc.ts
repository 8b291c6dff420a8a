import type * as ts from 'typescript';
import type { SpecTag } from './spec-ir';

export interface JsDocBlock {
  /** The comment exactly as written, `/**` to `*\/`. */
  raw: string;
  /** Offset of the comment in the file. */
  pos: number;
  description: string;
  tags: SpecTag[];
  /** Description and tags, whitespace-normalized: what the hash sees. */
  normalized: string;
}

const TAG_LINE = /^@([A-Za-z][\w-]*)\s*(.*)$/;

/** Collapses whitespace inside paragraphs, keeps paragraph breaks: reflowing text changes nothing. */
function normalizeText(lines: string[]): string {
  return lines
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .join('\n');
}

/** Parses one `/** ... *\/` comment into description and tags. */
export function parseJsDoc(raw: string, pos: number): JsDocBlock {
  const inner = raw.replace(/^\/\*\*/, '').replace(/\*\/$/, '');
  const lines = inner.split(/\r?\n/).map((l) => l.replace(/^\s*\*?\s?/, ''));
  const descLines: string[] = [];
  const tags: { name: string; lines: string[] }[] = [];
  for (const line of lines) {
    const m = TAG_LINE.exec(line.trim());
    if (m && m[1] !== undefined) tags.push({ name: m[1], lines: [m[2] ?? ''] });
    else if (tags.length > 0) tags[tags.length - 1]!.lines.push(line);
    else descLines.push(line);
  }
  const description = normalizeText(descLines);
  const specTags = tags.map((t) => ({ name: t.name, text: normalizeText(t.lines) }));
  const normalized = [description, ...specTags.map((t) => (t.text ? `@${t.name} ${t.text}` : `@${t.name}`))]
    .filter((s) => s !== '')
    .join('\n');
  return { raw, pos, description, tags: specTags, normalized };
}

/** The JSDoc comment closest above `node` (leading comments only; no parseAllJsDoc needed). */
export function leadingJsDoc(tsi: typeof ts, sf: ts.SourceFile, node: ts.Node): JsDocBlock | undefined {
  const ranges = tsi.getLeadingCommentRanges(sf.text, node.pos) ?? [];
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i]!;
    const text = sf.text.slice(r.pos, r.end);
    if (r.kind === tsi.SyntaxKind.MultiLineCommentTrivia && text.startsWith('/**') && text !== '/**/') {
      return parseJsDoc(text, r.pos);
    }
  }
  return undefined;
}

export function hasJauntTag(doc: JsDocBlock | undefined): doc is JsDocBlock {
  return doc !== undefined && doc.tags.some((t) => t.name === 'jaunt');
}
