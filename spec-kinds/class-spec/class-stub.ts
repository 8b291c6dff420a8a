import type * as TS from 'typescript';
import type { FoundSpec } from '../../spec/find-specs';
import { baseOf, declaredMembers } from './class-members';

/**
 * A class with the declared type surface whose constructor and static members throw `message`: the rest
 * of the file type-checks against it exactly as against the declaration, and nothing of it works at run time.
 */
export function classStub(ts: typeof TS, spec: FoundSpec, message: string): string {
  const decl = spec.declarations[0] as TS.ClassDeclaration;
  const sf = spec.sourceFile;
  const thrown = `throw new Error(${JSON.stringify(message)});`;
  const header = sf.text.slice(decl.name!.getStart(sf), decl.members.pos).trim().replace(/\{$/, '').trim();
  const base = baseOf(ts, sf, decl);
  const lines: string[] = [];
  lines.push(base
    ? `  constructor(..._args: unknown[]) {\n    const fail = (): never => { ${thrown} };\n    super(...(fail() as unknown as ConstructorParameters<typeof ${base.expression}>));\n  }`
    : `  constructor(..._args: unknown[]) {\n    ${thrown}\n  }`);
  const bare = (n: TS.Node) => n.getText(sf).replace(/;\s*$/, '');
  for (const m of declaredMembers(ts, sf, decl)) {
    const staticWord = m.isStatic ? 'static ' : '';
    if (m.kind === 'method') {
      const overloads = m.nodes.map((n) => `  ${bare(n)};`);
      lines.push(...overloads, `  ${staticWord}${m.name}${m.optional ? '?' : ''}(..._args: unknown[]): never { ${thrown} }`);
    } else if (m.kind === 'accessor') {
      for (const n of m.nodes) lines.push(`  ${bare(n)} { ${thrown} }`);
    } else if (m.kind === 'property' && m.isStatic) {
      const p = m.nodes[0] as TS.PropertyDeclaration;
      const type = p.type ? p.type.getText(sf) : 'unknown';
      lines.push(`  static get ${m.name}(): ${type} { ${thrown} }`);
      if (!m.readonly) lines.push(`  static set ${m.name}(_value: ${type}) { ${thrown} }`);
    } else if (m.kind === 'property') {
      lines.push(`  declare ${bare(m.nodes[0]!)};`);
    }
  }
  return `class ${header} {\n${lines.join('\n')}\n}\n`;
}
