import type * as TS from 'typescript';
import type { FilePlan } from '../splice/plan-file';
import type { SpecPlan } from '../splice/plan-splice';
import { renderPlanText, type RenderedSpan } from '../splice/render-text';
import type { ConformancePart } from '../spec-kinds/spec-shape';

/** A spec file as it ships, plus one conformance check per spec: what the compiler checks. */
export interface ShippedText {
  plan: FilePlan;
  text: string;
  spans: RenderedSpan[];
  /** Offset of each spec's conformance check in `text`, in plan order, with its parts (offsets in `text`). */
  checks: { spec: SpecPlan; start: number; end: number; parts: ConformancePart[] }[];
}

/** Renders the plan and appends the checks. `only` limits the checks to some specs (a candidate's). */
export function shippedText(plan: FilePlan, only?: ReadonlySet<SpecPlan>): ShippedText {
  const rendered = renderPlanText(plan, plan.scope.sourceFile.text);
  let text = `${rendered.text}\n`;
  const checks: ShippedText['checks'] = [];
  for (const spec of plan.specs) {
    if (only && !only.has(spec)) continue;
    const check = spec.conformance();
    const at = text.length;
    checks.push({ spec, start: at, end: at + check.text.length, parts: check.parts.map((p) => ({ ...p, start: at + p.start, end: at + p.end })) });
    text += check.text;
  }
  return { plan, text, spans: rendered.spans, checks };
}

const MODULE_WRAPPER = ['__dirname', '__filename', 'require', 'module', 'exports'];

/**
 * What the compiler cannot see about the module format: names that exist only in CommonJS used in a file
 * emitted as an ES module (@types/node declares them everywhere), and `const enum`s, which tsc inlines in
 * the file's own code only (nothing of them exists at run time).
 */
export function formatRuleErrors(plan: FilePlan, spec: SpecPlan, options: TS.CompilerOptions, fileLabel: string): string[] {
  const errors: string[] = [];
  if (!plan.scope.commonJs) {
    for (const name of MODULE_WRAPPER) {
      if (spec.freeNames.has(name)) {
        errors.push(`uses \`${name}\`, which does not exist in ${fileLabel}: the file is emitted as an ES module (use import.meta.url, or an import)`);
      }
    }
  }
  if (!options.preserveConstEnums) {
    for (const name of plan.scope.constEnums) {
      if (spec.freeNames.has(name)) errors.push(`uses the const enum \`${name}\` as a value: tsc inlines const enums only in the file's own code, so nothing of it exists at run time (use its members' values, or a plain enum)`);
    }
  }
  return errors;
}
