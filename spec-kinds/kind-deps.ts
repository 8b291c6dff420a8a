import { Codes, diagnostic, type JauntDiagnostic } from '../core/errors';
import type { FoundSpec } from '../spec/find-specs';
import type { ResolvedDeps } from '../spec/resolve-deps';
import { kindOf } from './spec-kind';

/**
 * The spec kinds' rules on resolved dependencies, applied before anything is keyed: an edge to a spec of a
 * kind nothing may depend on (a test) is dropped, with a warning when it was explicit; a spec whose kind
 * finds its dependencies wanting is marked unresolved, so it is reported and never generated.
 */
export function applyKindDeps(resolved: ReadonlyMap<FoundSpec, ResolvedDeps>, diagnostics: JauntDiagnostic[]): void {
  for (const [spec, r] of resolved) {
    for (const dep of r.deps.filter((d) => kindOf(d)?.dependable === false)) {
      r.deps.splice(r.deps.indexOf(dep), 1);
      if (r.inferred.delete(dep)) continue;
      diagnostics.push(diagnostic(Codes.DependsOnTestSpec,
        `spec '${spec.name}' names '${dep.name}', a @${kindOf(dep)!.tag} spec, as a dependency: it is not code that can be called, so the link is ignored`,
        { file: spec.sourceFile.fileName, line: spec.line, start: spec.declarations[0]!.getStart() }, spec.name, 'warning'));
    }
    const problems = kindOf(spec)?.checkDeps?.(spec, r.deps.filter((d) => !r.inferred.has(d))) ?? [];
    diagnostics.push(...problems);
    if (problems.some((p) => p.severity === 'error')) r.unresolved = true;
  }
}
