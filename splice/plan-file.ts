import type * as TS from 'typescript';
import { JauntError, formatCode, type JauntDiagnostic } from '../core/errors';
import type { FoundSpec } from '../spec/find-specs';
import type { FileScope } from './file-scope';
import { planSpec, type SpecPlan } from './plan-splice';
import { shapeOf } from '../spec-kinds/shapes';

/** What to splice for one spec: a cached body, or the problem that leaves it without one. */
export type SpliceRequest =
  | { spec: FoundSpec; body: string; label: string }
  | { spec: FoundSpec; problem: JauntDiagnostic };

/** The splice of every spec of one file: the single plan that validation checks and every renderer renders. */
export interface FilePlan {
  scope: FileScope;
  /** In the order their helpers go into the file (a group that uses another spec comes after it). */
  specs: SpecPlan[];
}

/** What the stand-in of a spec without an implementation throws: the build's own error for it. */
export function noImplementationMessage(name: string, problem: JauntDiagnostic): string {
  return `Jaunt has no implementation for spec '${name}': ${formatCode(problem.code)}: ${problem.message}`;
}

/** What a spec without an implementation ships: a function (or class) that throws the build's own error. */
export function stubBody(ts: typeof TS, spec: FoundSpec, problem: JauntDiagnostic): string {
  return shapeOf(spec).stubBody(ts, spec, noImplementationMessage(spec.name, problem));
}

/**
 * Plans every spec of a file. An entry that cannot be planned (does not parse, lacks the function)
 * becomes a stub, and its error is returned.
 */
export function planFile(ts: typeof TS, scope: FileScope, requests: readonly SpliceRequest[]): { plan: FilePlan; problems: JauntError[] } {
  const taken = new Set(scope.words);
  const problems: JauntError[] = [];
  const stub = (spec: FoundSpec, problem: JauntDiagnostic) =>
    planSpec(ts, scope, spec, stubBody(ts, spec, problem), `no implementation: ${formatCode(problem.code)}`, taken);
  const specs = requests.map((r) => {
    if ('problem' in r) return stub(r.spec, r.problem);
    try {
      return planSpec(ts, scope, r.spec, r.body, r.label, taken);
    } catch (e) {
      if (!(e instanceof JauntError)) throw e;
      problems.push(e);
      return stub(r.spec, e.toDiagnostic());
    }
  });
  // A later overload of a spec is replaced together with the first: nothing can go between them.
  const statements = scope.sourceFile.statements;
  const firstOf = new Map<number, number>();
  for (const r of requests) {
    const first = statements.indexOf(r.spec.declarations[0]!);
    r.spec.declarations.forEach((d) => firstOf.set(statements.indexOf(d), first));
  }
  for (const p of specs) p.helpersBefore = firstOf.get(p.helpersBefore) ?? p.helpersBefore;
  return { plan: { scope, specs: orderGroups(specs) }, problems };
}

/**
 * Helper groups that use another spec of the file at load must come after that spec's helpers: each
 * group moves down to the place of the groups it uses, and equal places keep dependencies first.
 */
function orderGroups(specs: SpecPlan[]): SpecPlan[] {
  const byName = new Map(specs.map((p) => [p.spec.name, p]));
  const usesOf = (p: SpecPlan) => [...p.helperUses].flatMap((n) => (byName.has(n) && n !== p.spec.name ? [byName.get(n)!] : []));
  for (let changed = true, rounds = 0; changed && rounds < specs.length; rounds++) {
    changed = false;
    for (const p of specs) {
      for (const dep of usesOf(p)) if (dep.helpersBefore > p.helpersBefore) (p.helpersBefore = dep.helpersBefore), (changed = true);
    }
  }
  const out: SpecPlan[] = [];
  const visiting = new Set<SpecPlan>();
  const visit = (p: SpecPlan): void => {
    if (out.includes(p) || visiting.has(p)) return;
    visiting.add(p);
    usesOf(p).filter((d) => d.helpersBefore === p.helpersBefore).forEach(visit);
    out.push(p);
  };
  [...specs].sort((a, b) => a.helpersBefore - b.helpersBefore).forEach(visit);
  return out.sort((a, b) => a.helpersBefore - b.helpersBefore);
}
