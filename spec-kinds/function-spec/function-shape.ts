/** Function specs: `declare function f(...): T;`, with overloads, implemented as `function f(...) { ... }`. */
import type * as TS from 'typescript';
import { Codes, diagnostic, type JauntDiagnostic } from '../../core/errors';
import type { FoundSpec } from '../../spec/find-specs';
import { nodeLocation } from '../../spec/node-facts';
import type { SpecShape } from '../spec-shape';
import { checkFunctionAnswer } from './function-answer';

const fns = (spec: FoundSpec): TS.FunctionDeclaration[] => spec.declarations as TS.FunctionDeclaration[];

export function containsAny(ts: typeof TS, node: TS.Node): boolean {
  if (node.kind === ts.SyntaxKind.AnyKeyword) return true;
  return ts.forEachChild(node, (c) => (containsAny(ts, c) ? true : undefined)) ?? false;
}

/** Return type, parameter types and no `any`: what a model cannot be held to, it must not be asked for. */
export function checkSignature(ts: typeof TS, spec: FoundSpec, decl: TS.SignatureDeclaration, what: string, needsReturn = true): JauntDiagnostic[] {
  const sf = spec.sourceFile;
  const out: JauntDiagnostic[] = [];
  if (needsReturn && !decl.type) {
    out.push(diagnostic(Codes.MissingReturnType,
      `${what} has no return type: write the type it returns (the contract must be checkable)`, nodeLocation(sf, decl), spec.name));
  }
  const typed = [...decl.parameters.map((p) => p.type), decl.type, ...(decl.typeParameters ?? []).map((t) => t.constraint)];
  if (typed.some((t) => t !== undefined && containsAny(ts, t))) {
    out.push(diagnostic(Codes.AnyInSignature,
      `${what} uses 'any' in its signature: use 'unknown' or a precise type so the implementation can be checked`, nodeLocation(sf, decl), spec.name));
  }
  const untyped = decl.parameters.find((p) => !p.type);
  if (untyped) {
    out.push(diagnostic(Codes.AnyInSignature,
      `${what} has parameter '${untyped.name.getText(sf)}' without a type`, nodeLocation(sf, untyped), spec.name));
  }
  return out;
}

const implementationOf = (ts: typeof TS, sf: TS.SourceFile, name: string): TS.FunctionDeclaration | undefined =>
  sf.statements.find((s): s is TS.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name && s.body !== undefined);

/**
 * `declare function __jaunt_spec_f<sig>` per declared overload, and an assignment of the implementation
 * to its type: checks the implementation against every overload (assignability of the function type
 * checks parameters contravariantly under strictFunctionTypes, and the return type).
 */
function conformance(_ts: typeof TS, spec: FoundSpec) {
  const { sourceFile: sf, name } = spec;
  const declared = fns(spec);
  const signatures = declared.map((d) => {
    const rest = sf.text.slice(d.name!.end, d.end).trimEnd();
    return `declare function __jaunt_spec_${name}${rest}${rest.endsWith(';') ? '' : ';'}`;
  });
  const text = `${signatures.join('\n')}\nconst __jaunt_conforms_${name}: typeof __jaunt_spec_${name} = ${name};\n`;
  const sigs = declared.map((d) => `\`${d.getText(sf).replace(/^(?:(?:export|declare|default)\s+)*/, '').replace(/\s+/g, ' ').replace(/;$/, '')}\``);
  const says = `the implementation does not match the declared ${sigs.length === 1 ? `signature ${sigs[0]!}` : `overloads ${sigs.join(', ')}`}`;
  return { text, parts: [{ start: 0, end: text.length, says }] };
}

export const functionShape: SpecShape = {
  name: 'function',
  definition: (name) => `\`function ${name}(...) { ... }\``,
  checkShape: (ts, spec) => fns(spec).flatMap((d) => checkSignature(ts, spec, d, `spec '${spec.name}'`)),
  typeRoots: (_ts, spec) => fns(spec).flatMap((d) => [...d.parameters, ...(d.typeParameters ?? []), ...(d.type ? [d.type] : [])]),
  signatures: (ts, printer, spec) => fns(spec).map((decl) => {
    const bare = ts.factory.updateFunctionDeclaration(decl, undefined, decl.asteriskToken, decl.name,
      decl.typeParameters, decl.parameters, decl.type, undefined);
    return printer.printNode(ts.EmitHint.Unspecified, bare, spec.sourceFile).replace(/\s+/g, ' ').trim();
  }),
  implementationOf,
  isMain: (ts, stmt, name) => ts.isFunctionDeclaration(stmt) && stmt.name?.text === name,
  checkAnswer: (ts, answer, spec) => checkFunctionAnswer(ts, answer, spec.name),
  conformance,
  stubBody: (_ts, spec, message) => `function ${spec.name}(..._args: unknown[]): never {\n  throw new Error(${JSON.stringify(message)});\n}\n`,
  rebuild: (ts, impl, modifiers) => {
    const fn = impl as TS.FunctionDeclaration;
    const asyncModifier = (ts.getModifiers(fn) ?? []).filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    const all = [...modifiers, ...asyncModifier].map((m) => ts.factory.createModifier(m.kind as TS.ModifierSyntaxKind));
    return ts.factory.createFunctionDeclaration(all, fn.asteriskToken, ts.factory.createIdentifier(fn.name!.text),
      fn.typeParameters, fn.parameters, fn.type, fn.body);
  },
  promptIntro: 'You implement one TypeScript function from its spec: a `declare function` with a JSDoc contract.',
  promptRules: (spec) => [
    `- Define \`function ${spec.name}(...) { ... }\` as a top-level function declaration with a body. It must accept every declared overload ` +
      'and return the declared types; you may repeat the overload signatures above it. Renaming parameters is fine.',
  ],
};
