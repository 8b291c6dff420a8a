import type { AnalyzedSpec } from './analyze-program';
import type { SpecStatus } from './classify-specs';

export interface BuildPlan {
  /** Specs to generate, in project order. */
  targets: (SpecStatus & { spec: AnalyzedSpec })[];
  /** In scope and kept as they are: fresh, or hand-edited without --force. */
  reused: SpecStatus[];
  /** In scope but impossible to generate: malformed or on a dependency cycle. */
  blocked: SpecStatus[];
  /** Targets added because a named spec depends on them and their entry is not usable. */
  addedDependencies: string[];
}

const NEEDS_WORK = new Set(['stale', 'missing', 'corrupt']);

/**
 * What `jaunt build` generates: in scope, every spec without a usable entry; with --force, every spec
 * in scope. Named specs bring along the dependencies that lack a usable entry, since a build needs them.
 */
export function planBuild(all: readonly SpecStatus[], scope: readonly SpecStatus[], o: { force: boolean; named: boolean }): BuildPlan {
  const byId = new Map(all.map((s) => [s.id, s]));
  const chosen = new Set<SpecStatus>();
  const plan: BuildPlan = { targets: [], reused: [], blocked: [], addedDependencies: [] };
  for (const s of scope) {
    if (!s.spec || s.hash === undefined) plan.blocked.push(s);
    else if (NEEDS_WORK.has(s.status) || o.force) chosen.add(s);
    else plan.reused.push(s);
  }
  if (o.named) {
    const visit = (s: SpecStatus): void => {
      for (const depId of s.spec?.ir.deps ?? []) {
        const dep = byId.get(depId);
        if (!dep || chosen.has(dep) || !dep.spec || dep.hash === undefined || !NEEDS_WORK.has(dep.status)) continue;
        chosen.add(dep);
        plan.addedDependencies.push(dep.name);
        visit(dep);
      }
    };
    for (const s of [...chosen]) visit(s);
  }
  plan.targets = all.filter((s): s is SpecStatus & { spec: AnalyzedSpec } => chosen.has(s) && s.spec !== undefined);
  return plan;
}
