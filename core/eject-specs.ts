import type * as TS from 'typescript';
import { lookupEntry } from '../cache/cache-store';
import { readFileScope } from '../splice/file-scope';
import { emitsCommonJs } from '../splice/module-format';
import { planFile } from '../splice/plan-file';
import { renderPlanText, type RenderedText } from '../splice/render-text';
import { shapeOf } from '../spec-kinds/shapes';
import type { Edit } from '../splice/text-edits';
import { applyEdits } from '../splice/text-edits';
import { relativePath, type ProgramAnalysis } from './analyze-program';
import type { SpecStatus } from './classify-specs';
import { Codes, JauntError } from './errors';

/** One source file rewritten with some of its specs as plain functions. */
export interface EjectedFile {
  fileName: string;
  text: string;
  specs: { name: string; entry: string }[];
}

const where = (s: SpecStatus) => ({ file: s.fileName, line: s.line });

/**
 * Why a spec cannot be ejected: it has no implementation that checks, or a spec left behind depends on
 * it (its key and its dependency list would name a function that is no longer a spec).
 */
function refusal(s: SpecStatus, chosen: ReadonlySet<string>, all: readonly SpecStatus[]): JauntError | undefined {
  if (s.status !== 'fresh' && s.status !== 'edited') {
    return new JauntError(Codes.EjectRefused,
      `spec '${s.name}' (${s.file}:${s.line}) has no implementation to eject (${s.status}${s.reasons.length > 0 ? `: ${s.reasons.slice(0, 2).join('; ')}` : ''}): run \`jaunt build\` first`,
      where(s), s.name);
  }
  const dependents = all.filter((d) => d.spec !== undefined && !chosen.has(d.id) && d.spec.ir.deps.includes(s.id));
  if (dependents.length > 0) {
    const names = dependents.map((d) => d.name);
    return new JauntError(Codes.EjectRefused,
      `spec '${s.name}' (${s.file}:${s.line}) is a dependency of ${names.map((n) => `'${n}'`).join(', ')}, which would stay specs: eject them together (jaunt eject ${[s.name, ...names].join(' ')})`,
      where(s), s.name);
  }
  return undefined;
}

/** The JSDoc without its Jaunt tags (`@jaunt`, `@jauntDeps …`, `@jauntAllow …`) and their continuation lines. */
export function withoutJauntTags(raw: string): string {
  if (!raw.includes('\n')) return raw.replace(/\s*@jaunt\w*(?:\s+[^@*]*)?(?=\s*\*\/$|\s+@)/g, '');
  const lines = raw.split('\n');
  const kept: string[] = [];
  let dropping = false;
  for (const [i, line] of lines.entries()) {
    const body = line.replace(/^\s*\*?\s?/, '');
    const last = i === lines.length - 1;
    if (last && /^@jaunt\w*\b/.test(body.trim())) {
      kept.push(line.replace(/@jaunt[\s\S]*?(?=\*\/)/, ''));
      continue;
    }
    if (!last && /^@jaunt\w*\b/.test(body.trim())) {
      dropping = true;
      continue;
    }
    if (/^@\w/.test(body.trim()) || last) dropping = false;
    if (!dropping) kept.push(line);
  }
  return kept.join('\n');
}

/**
 * The names a helper must not take in source code: every identifier of the file and the names of the
 * module wrapper. (A compiled splice also avoids every word of the text, comments included, and the names
 * tsc generates for CommonJS imports; in source, tsc picks its own names around the user's.)
 */
function identifiersOf(ts: typeof TS, sf: TS.SourceFile): Set<string> {
  const names = new Set(['require', 'exports', 'module', '__filename', '__dirname', 'arguments', 'undefined', 'globalThis']);
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return names;
}

/** Maps an offset of the original text to the rendered text (offsets in copied stretches only). */
function renderedOffset(rendered: RenderedText, offset: number): number | undefined {
  const o = rendered.origins.find((x) => x.copied && offset >= x.from && offset < x.from + (x.end - x.start));
  return o ? o.start + (offset - o.from) : undefined;
}

/**
 * The source files with the chosen specs replaced by their implementations, as the splice plan places
 * them, except for imports: names the file imports are used as the file's own (a compiled splice must
 * import them again, since tsc drops imports the file does not use; source code keeps them).
 */
export function ejectSpecs(ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, cacheDir: string,
  statuses: readonly SpecStatus[], chosen: readonly SpecStatus[]): EjectedFile[] {
  const ids = new Set(chosen.map((s) => s.id));
  for (const s of chosen) {
    const problem = refusal(s, ids, statuses);
    if (problem) throw problem;
  }
  const byFile = new Map<string, SpecStatus[]>();
  for (const s of chosen) byFile.set(s.fileName, [...(byFile.get(s.fileName) ?? []), s]);
  const out: EjectedFile[] = [];
  for (const [fileName, specs] of byFile) {
    const sf = program.getSourceFile(fileName)!;
    const scope = { ...readFileScope(ts, sf, emitsCommonJs(ts, program, sf)), imports: new Map(), words: identifiersOf(ts, sf) };
    const requests = specs.map((s) => {
      const lookup = lookupEntry(cacheDir, s.name, s.hash!);
      if (lookup.status !== 'hit' && lookup.status !== 'edited') {
        throw new JauntError(Codes.EjectRefused, `the entry of spec '${s.name}' (${s.file}:${s.line}) changed while ejecting: run jaunt eject again`, where(s), s.name);
      }
      return { spec: s.spec!.found, body: lookup.body, label: relativePath(analysis.projectDir, lookup.path) };
    });
    const { plan, problems } = planFile(ts, scope, requests);
    if (problems.length > 0) throw problems[0]!;
    const rendered = renderPlanText(plan, sf.text);
    const edits: Edit[] = [];
    for (const s of specs) {
      const doc = s.spec!.found.jsdoc;
      const at = renderedOffset(rendered, doc.pos);
      if (at !== undefined) edits.push({ pos: at, end: at + doc.raw.length, text: withoutJauntTags(doc.raw) });
    }
    // A class's members keep their contracts too: the second pass places them on the implementation.
    let text = applyEdits(rendered.text, edits);
    for (const s of specs) text = applyEdits(text, shapeOf(s.spec!.found).ejectEdits?.(ts, s.spec!.found, text) ?? []);
    out.push({ fileName, text, specs: requests.map((r) => ({ name: r.spec.name, entry: r.label })) });
  }
  return out;
}
