import type * as TS from 'typescript';
import type { FilePlan } from '../splice/plan-file';
import type { SpecPlan } from '../splice/plan-splice';
import { renderPlanText, type RenderedSpan } from '../splice/render-text';

/** A spec file as it ships, plus one conformance check per spec: what the compiler checks. */
export interface ShippedText {
  plan: FilePlan;
  text: string;
  spans: RenderedSpan[];
  /** Offset of each spec's conformance check in `text`, in plan order. */
  checks: { spec: SpecPlan; start: number; end: number }[];
}

/**
 * `declare function __jaunt_spec_f<sig>` per declared overload, and an assignment of the implementation
 * to its type: checks the implementation against every overload (assignability of the function type
 * checks parameters contravariantly under strictFunctionTypes, and the return type).
 */
function conformance(spec: SpecPlan): string {
  const { sourceFile: sf, declarations, name } = spec.spec;
  const signatures = declarations.map((d) => {
    const rest = sf.text.slice(d.name!.end, d.end).trimEnd();
    return `declare function __jaunt_spec_${name}${rest}${rest.endsWith(';') ? '' : ';'}`;
  });
  return `${signatures.join('\n')}\nconst __jaunt_conforms_${name}: typeof __jaunt_spec_${name} = ${name};\n`;
}

/** Renders the plan and appends the checks. `only` limits the checks to some specs (a candidate's). */
export function shippedText(plan: FilePlan, only?: ReadonlySet<SpecPlan>): ShippedText {
  const rendered = renderPlanText(plan, plan.scope.sourceFile.text);
  let text = `${rendered.text}\n`;
  const checks: ShippedText['checks'] = [];
  for (const spec of plan.specs) {
    if (only && !only.has(spec)) continue;
    const check = conformance(spec);
    checks.push({ spec, start: text.length, end: text.length + check.length });
    text += check;
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
