import { importToTypeScript } from './planned-imports';
import type { FilePlan } from './plan-file';
import type { PlannedPiece, SpecPlan } from './plan-splice';

/** Where a piece of a spec's splice landed in the rendered text. */
export interface RenderedSpan {
  spec: string;
  kind: 'imports' | 'helpers' | 'main';
  start: number;
  end: number;
  /** The pieces in this span with their offsets in the rendered text (to map errors to entry lines). */
  pieces: { piece: PlannedPiece; start: number }[];
}

/**
 * Where a stretch of the rendered text came from: `copied` text is the original from offset `from` on;
 * spliced text stands for the original at `from` (its spec's declaration), as the tsc splice's nodes do.
 */
export interface TextOrigin {
  start: number;
  end: number;
  from: number;
  copied: boolean;
}

export interface RenderedText {
  text: string;
  spans: RenderedSpan[];
  /** The rendered text stretch by stretch, in order: what a source map is made from. */
  origins: TextOrigin[];
}

type Chunk = { text: string; span?: Omit<RenderedSpan, 'start' | 'end' | 'pieces'>; pieces?: PlannedPiece[] };
type Insertion = { at: number; end: number; order: number; chunks: Chunk[]; mapTo: number };

function pieceChunks(spec: SpecPlan, kind: 'helpers' | 'main', pieces: PlannedPiece[]): Chunk[] {
  return pieces.length === 0 ? [] : [{ text: `${pieces.map((p) => p.text).join('\n')}\n`, span: { spec: spec.spec.name, kind }, pieces }];
}

/**
 * The file as TypeScript source with every spec replaced as the plan says: what validation type-checks
 * and what a source-to-source splice ships. Imports go after the file's imports, each helper group before
 * the statement the plan names, and the function in the spec's place (its JSDoc kept above it).
 */
export function renderPlanText(plan: FilePlan, text: string): RenderedText {
  const { statements } = plan.scope.sourceFile;
  const startOf = (index: number) => (index < statements.length ? statements[index]!.getFullStart() : text.length);
  const insertions: Insertion[] = [];
  const importChunks: Chunk[] = plan.specs.filter((s) => s.imports.length > 0)
    .map((s) => ({ text: `${s.imports.map(importToTypeScript).join('\n')}\n`, span: { spec: s.spec.name, kind: 'imports' } }));
  const importsAt = startOf(plan.scope.firstBodyStatement);
  const firstSpec = plan.specs[0]?.spec.declarations[0]?.getStart() ?? importsAt;
  if (importChunks.length > 0) insertions.push({ at: importsAt, end: importsAt, order: 0, chunks: [{ text: '\n' }, ...importChunks], mapTo: firstSpec });
  plan.specs.forEach((s, i) => {
    const at = startOf(s.helpersBefore);
    const chunks = pieceChunks(s, 'helpers', s.helpers);
    const decls = s.spec.declarations;
    const mapTo = decls[0]!.getStart();
    if (chunks.length > 0) insertions.push({ at, end: at, order: 1 + i, chunks: [{ text: '\n' }, ...chunks], mapTo });
    insertions.push({ at: mapTo, end: decls[decls.length - 1]!.end, order: 0, chunks: pieceChunks(s, 'main', s.main), mapTo });
  });
  insertions.sort((a, b) => a.at - b.at || (a.end - a.at) - (b.end - b.at) || a.order - b.order);
  let out = '';
  let from = 0;
  const spans: RenderedSpan[] = [];
  const origins: TextOrigin[] = [];
  const copy = (to: number) => {
    if (to > from) origins.push({ start: out.length, end: out.length + (to - from), from, copied: true });
    out += text.slice(from, to);
  };
  for (const ins of insertions) {
    copy(ins.at);
    const insertedAt = out.length;
    for (const c of ins.chunks) {
      const start = out.length;
      const pieces: RenderedSpan['pieces'] = [];
      let offset = start;
      for (const p of c.pieces ?? []) pieces.push({ piece: p, start: offset }), (offset += p.text.length + 1);
      out += c.text;
      if (c.span) spans.push({ ...c.span, start, end: out.length, pieces });
    }
    if (out.length > insertedAt) origins.push({ start: insertedAt, end: out.length, from: ins.mapTo, copied: false });
    from = ins.end;
  }
  copy(text.length);
  return { text: out, spans, origins };
}

/**
 * Each file's text as it ships under `plans` (a file without a plan ships as written), rendered once per
 * file: what the example, test and mutant runs load.
 */
export function shippedTexts(plans: ReadonlyMap<string, FilePlan>): (sf: { fileName: string; text: string }) => string {
  const rendered = new Map<string, string>();
  return (sf) => {
    const plan = plans.get(sf.fileName);
    if (!plan) return sf.text;
    let text = rendered.get(sf.fileName);
    if (text === undefined) rendered.set(sf.fileName, (text = renderPlanText(plan, sf.text).text));
    return text;
  };
}
