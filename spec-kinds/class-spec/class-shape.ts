/**
 * Class specs: `declare class X<T> extends B implements I { ...members with their own JSDoc }`, implemented
 * as `class X<T> extends B { ... }` with private state and helpers of its own.
 */
import type * as TS from 'typescript';
import type { SpecShape } from '../spec-shape';
import { checkClassAnswer, classImplementationOf } from './class-answer';
import { checkClassShape } from './class-check-shape';
import { classConformance } from './class-conformance';
import { declaredMembers } from './class-members';
import { classStub } from './class-stub';
import { memberDocEdits } from './class-eject-docs';

const classOf = (spec: { declarations: readonly TS.Node[] }) => spec.declarations[0] as TS.ClassDeclaration;
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export const classShape: SpecShape = {
  name: 'class',
  definition: (name) => `\`class ${name} { ... }\``,
  checkShape: checkClassShape,
  typeRoots: (_ts, spec) => {
    const decl = classOf(spec);
    return [...(decl.typeParameters ?? []), ...(decl.heritageClauses ?? []), ...decl.members];
  },
  // The header alone: each member is keyed by its own fingerprint, so a change names the member.
  signatures: (ts, printer, spec) => {
    const decl = classOf(spec);
    const bare = ts.factory.updateClassDeclaration(decl, undefined, decl.name, decl.typeParameters, decl.heritageClauses, []);
    return [oneLine(printer.printNode(ts.EmitHint.Unspecified, bare, spec.sourceFile))];
  },
  members: (ts, printer, spec) => declaredMembers(ts, spec.sourceFile, classOf(spec)).map((m) => ({
    name: `${m.isStatic ? 'static ' : ''}${m.name}`,
    text: [...m.nodes.map((n) => oneLine(printer.printNode(ts.EmitHint.Unspecified, n, spec.sourceFile))), ...(m.jsdoc ? [m.jsdoc.normalized] : [])].join('\n'),
  })),
  implementationOf: classImplementationOf,
  isMain: (ts, stmt, name) => ts.isClassDeclaration(stmt) && stmt.name?.text === name,
  checkAnswer: checkClassAnswer,
  conformance: classConformance,
  stubBody: classStub,
  ejectEdits: memberDocEdits,
  rebuild: (ts, impl, modifiers) => {
    const c = impl as TS.ClassDeclaration;
    const all = modifiers.map((m) => ts.factory.createModifier(m.kind as TS.ModifierSyntaxKind));
    return ts.factory.createClassDeclaration(all, ts.factory.createIdentifier(c.name!.text), c.typeParameters, c.heritageClauses, c.members);
  },
  promptIntro: 'You implement one TypeScript class from its spec: a `declare class` with a JSDoc contract on the class and on each member.',
  promptRules: (spec) => [
    `- Define \`class ${spec.name}\` as a top-level class declaration with a body, with the declared type parameters and the declared ` +
      '`extends` clause. Implement every declared member with its declared signature: constructors (all overloads), methods (sync and ' +
      'async, overloads, generics), getters and setters, readonly and optional properties, static members. Renaming parameters is fine.',
    '- Keep state private: `#name` fields or `private` members. Add no public or static member the declaration does not have; ' +
      'helper functions and constants may go at top level.',
  ],
};
