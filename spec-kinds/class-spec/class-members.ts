/** The members of a `declare class` spec, grouped as a caller sees them: one per name and side. */
import type * as TS from 'typescript';
import { hasModifier } from '../../spec/node-facts';
import { leadingJsDoc, type JsDocBlock } from '../../spec/read-jsdoc';

export type MemberKind = 'constructor' | 'method' | 'property' | 'accessor' | 'unsupported';

export interface DeclaredMember {
  /** As written: `get`, `'content-type'`, `[Symbol.iterator]`; `constructor` for construct signatures. */
  name: string;
  /** How code reaches it: `.get`, `['content-type']`, `[Symbol.iterator]`. */
  access: string;
  /** As a key type in `keyof`: `'get'`, `typeof Symbol.iterator`. */
  keyType: string;
  isStatic: boolean;
  kind: MemberKind;
  /** Overloads, or a getter and its setter. */
  nodes: TS.ClassElement[];
  optional: boolean;
  /** Readable only: `readonly`, or a getter without a setter. */
  readonly: boolean;
  /** The JSDoc of the member's first declaration. */
  jsdoc: JsDocBlock | undefined;
}

function nameParts(ts: typeof TS, sf: TS.SourceFile, name: TS.PropertyName): { name: string; access: string; keyType: string } {
  if (ts.isIdentifier(name)) return { name: name.text, access: `.${name.text}`, keyType: `'${name.text}'` };
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name)) {
    const text = JSON.stringify(name.text);
    return { name: name.getText(sf), access: `[${text}]`, keyType: ts.isNumericLiteral(name) ? name.text : text };
  }
  if (ts.isComputedPropertyName(name)) {
    const expr = name.expression.getText(sf);
    return { name: `[${expr}]`, access: `[${expr}]`, keyType: `typeof ${expr}` };
  }
  return { name: name.getText(sf), access: '', keyType: 'never' };
}

function kindOf(ts: typeof TS, m: TS.ClassElement): MemberKind {
  if (ts.isConstructorDeclaration(m)) return 'constructor';
  if (ts.isMethodDeclaration(m)) return 'method';
  if (ts.isPropertyDeclaration(m)) return 'property';
  if (ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) return 'accessor';
  return 'unsupported';
}

/** The class's members, in declaration order of their first appearance. */
export function declaredMembers(ts: typeof TS, sf: TS.SourceFile, decl: TS.ClassDeclaration): DeclaredMember[] {
  const byKey = new Map<string, DeclaredMember>();
  for (const m of decl.members) {
    const kind = kindOf(ts, m);
    const isStatic = hasModifier(ts, m, ts.SyntaxKind.StaticKeyword);
    const parts = kind === 'constructor' ? { name: 'constructor', access: '', keyType: 'never' }
      : m.name ? nameParts(ts, sf, m.name) : { name: ts.SyntaxKind[m.kind], access: '', keyType: 'never' };
    const key = `${isStatic ? 'static ' : ''}${parts.name}`;
    const existing = byKey.get(key);
    if (existing) {
      existing.nodes.push(m);
      // A setter next to a getter makes the member writable.
      if (ts.isSetAccessorDeclaration(m) || (ts.isGetAccessorDeclaration(m) && existing.nodes.some(ts.isSetAccessorDeclaration))) existing.readonly = false;
      continue;
    }
    const readonly = hasModifier(ts, m, ts.SyntaxKind.ReadonlyKeyword) || ts.isGetAccessorDeclaration(m);
    const optional = (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) && m.questionToken !== undefined;
    byKey.set(key, { ...parts, isStatic, kind, nodes: [m], optional, readonly, jsdoc: leadingJsDoc(ts, sf, m) });
  }
  return [...byKey.values()];
}

/** The member as written, one line, without its JSDoc or trailing `;`: what errors quote. */
export function memberText(sf: TS.SourceFile, m: DeclaredMember): string {
  return m.nodes.map((n) => n.getText(sf).replace(/\s+/g, ' ').replace(/;$/, '')).join('; ');
}

/** The class's type parameter names as a type argument list: `<K, V>`, or nothing. */
export function typeArguments(decl: TS.ClassDeclaration): string {
  const tps = decl.typeParameters ?? [];
  return tps.length ? `<${tps.map((t) => t.name.text).join(', ')}>` : '';
}

/** The class's type parameter list as declared (constraints and defaults kept): `<K extends string, V = unknown>`. */
export function typeParameterList(sf: TS.SourceFile, decl: TS.ClassDeclaration): string {
  const tps = decl.typeParameters ?? [];
  return tps.length ? `<${tps.map((t) => t.getText(sf)).join(', ')}>` : '';
}

/** The `extends` clause's expression (`Base`) and type (`Base<T>`), if any. */
export function baseOf(ts: typeof TS, sf: TS.SourceFile, decl: TS.ClassDeclaration): { expression: string; type: string } | undefined {
  const clause = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const t = clause?.types[0];
  if (!t) return undefined;
  return { expression: t.expression.getText(sf), type: t.getText(sf) };
}

export function implementsOf(ts: typeof TS, sf: TS.SourceFile, decl: TS.ClassDeclaration): string[] {
  const clause = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ImplementsKeyword);
  return clause ? clause.types.map((t) => t.getText(sf)) : [];
}
