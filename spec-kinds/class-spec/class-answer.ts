import type * as TS from 'typescript';
import type { FoundSpec } from '../../spec/find-specs';
import { hasModifier } from '../../spec/node-facts';
import { baseOf } from './class-members';

const isDeclare = (ts: typeof TS, s: TS.Statement): boolean => hasModifier(ts, s, ts.SyntaxKind.DeclareKeyword);

export function classImplementationOf(ts: typeof TS, sf: TS.SourceFile, name: string): TS.ClassDeclaration | undefined {
  return sf.statements.find((s): s is TS.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name && !isDeclare(ts, s));
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** The answer must define `class Name` at top level, with the declared base class. */
export function checkClassAnswer(ts: typeof TS, answer: TS.SourceFile, spec: FoundSpec): string[] {
  const name = spec.name;
  const want = `\`class ${name} { ... }\``;
  const impl = classImplementationOf(ts, answer, name);
  if (!impl) {
    const asOther = answer.statements.some((s) => (ts.isFunctionDeclaration(s) && s.name?.text === name) ||
      (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)));
    if (asOther) return [`\`${name}\` is defined as a function or variable; define it as a class declaration ${want} instead`];
    const others = answer.statements.flatMap((s) => (ts.isClassDeclaration(s) && s.name && !isDeclare(ts, s) ? [s.name.text] : []));
    return [others.length > 0
      ? `the answer must define ${want} at top level, but it defines ${others.map((n) => `\`class ${n}\``).join(', ')} instead; the class must be named '${name}'`
      : `the answer must define ${want} at top level, and it defines no top-level class`];
  }
  const errors: string[] = [];
  const declared = baseOf(ts, spec.sourceFile, spec.declarations[0] as TS.ClassDeclaration);
  const actual = baseOf(ts, answer, impl);
  if (squash(declared?.type ?? '') !== squash(actual?.type ?? '')) {
    errors.push(declared ? `class ${name} must extend \`${declared.type}\` as declared${actual ? `, not \`${actual.type}\`` : ''}`
      : `class ${name} must not extend \`${actual!.type}\`: its declaration has no base class`);
  }
  if ((ts.getModifiers(impl) ?? []).some((m) => m.kind === ts.SyntaxKind.AbstractKeyword)) {
    errors.push(`class ${name} must not be abstract: its declaration is a class users construct`);
  }
  return errors;
}
