/**
 * The check of a class implementation against its declaration, member by member. Each declared member is
 * read off the implementation and assigned to a type written from the declaration: methods as call
 * signatures in a type literal, which the compiler compares strictly (a method compared with a method is
 * checked bivariantly, so a wrong parameter type would pass), properties by their type, writable ones by
 * an assignment too, constructors as construct signatures of the class value. `keyof` then finds public
 * members the declaration lacks. The check is type-only text; it never runs.
 */
import type * as TS from 'typescript';
import type { FoundSpec } from '../../spec/find-specs';
import type { Conformance, ConformancePart } from '../spec-shape';
import { baseOf, declaredMembers, implementsOf, memberText, typeArguments, typeParameterList, type DeclaredMember } from './class-members';

/** The node's text with every `this` type replaced by `self` (a type literal has no `this`). */
function textOf(ts: typeof TS, sf: TS.SourceFile, node: TS.Node, start: number, end: number, self: string): string {
  const cuts: { pos: number; end: number }[] = [];
  const visit = (n: TS.Node): void => {
    if (n.kind === ts.SyntaxKind.ThisType) cuts.push({ pos: n.getStart(sf), end: n.end });
    ts.forEachChild(n, visit);
  };
  visit(node);
  let out = '';
  let at = start;
  for (const c of cuts.filter((c) => c.pos >= start && c.end <= end).sort((a, b) => a.pos - b.pos)) {
    out += sf.text.slice(at, c.pos) + self;
    at = c.end;
  }
  return (out + sf.text.slice(at, end)).replace(/\s+/g, ' ').trim().replace(/;$/, '');
}

/** `{ <T>(a: A): R; ... }`: each method overload as a call signature. */
function callSignatures(ts: typeof TS, sf: TS.SourceFile, m: DeclaredMember, self: string): string {
  const sigs = m.nodes.filter(ts.isMethodDeclaration).map((n) => textOf(ts, sf, n, (n.questionToken ?? n.name).end, n.end, self));
  return `{ ${sigs.map((s) => `${s};`).join(' ')} }`;
}

function memberType(ts: typeof TS, sf: TS.SourceFile, m: DeclaredMember, self: string): string | undefined {
  const typed = (n: TS.Node | undefined, owner: TS.Node) => (n ? textOf(ts, sf, owner, n.getStart(sf), n.end, self) : undefined);
  if (m.kind === 'method') return callSignatures(ts, sf, m, self);
  const first = m.nodes[0]!;
  if (ts.isPropertyDeclaration(first)) return typed(first.type, first);
  const getter = m.nodes.find(ts.isGetAccessorDeclaration);
  if (getter) return typed(getter.type, getter);
  const setter = m.nodes.find(ts.isSetAccessorDeclaration);
  return setter ? typed(setter.parameters[0]?.type, setter) : undefined;
}

/** `{ new <K, V>(capacity: number): LRU<K, V>; }` for every declared constructor (or the implicit one). */
function constructSignatures(ts: typeof TS, sf: TS.SourceFile, decl: TS.ClassDeclaration, name: string, members: DeclaredMember[]): string {
  const instance = `${name}${typeArguments(decl)}`;
  const tps = typeParameterList(sf, decl);
  const ctors = members.find((m) => m.kind === 'constructor')?.nodes.filter(ts.isConstructorDeclaration) ?? [];
  const params = ctors.length === 0 ? [''] : ctors.map((c) => {
    const first = c.parameters[0];
    return first ? textOf(ts, sf, c, first.getStart(sf), c.parameters[c.parameters.length - 1]!.end, instance) : '';
  });
  return `{ ${params.map((p) => `new ${tps}(${p}): ${instance};`).join(' ')} }`;
}

/**
 * A type that accepts `'none'` only when `keys` has nothing beyond `declared`; otherwise it is an object type
 * whose printed form names the extra keys (the compiler's message then lists them, on every version).
 */
function undeclared(keys: string, declared: readonly string[]): string {
  const extra = `Exclude<${keys}, ${declared.join(' | ') || 'never'}>`;
  return `[${extra}] extends [never] ? 'none' : { undeclaredPublicMembers: ${extra} }`;
}

export function classConformance(ts: typeof TS, spec: FoundSpec): Conformance {
  const decl = spec.declarations[0] as TS.ClassDeclaration;
  const { name, sourceFile: sf } = spec;
  const members = declaredMembers(ts, sf, decl);
  const instance = `${name}${typeArguments(decl)}`;
  const base = baseOf(ts, sf, decl);
  const parts: ConformancePart[] = [];
  let text = '';
  const add = (line: string, says: string) => {
    parts.push({ start: text.length, end: text.length + line.length + 1, says });
    text += `${line}\n`;
  };
  const memberSays = (m: DeclaredMember) => `member \`${m.isStatic ? 'static ' : ''}${m.name}\` does not match its declaration \`${memberText(sf, m)}\``;
  const keys = (list: DeclaredMember[]) => list.filter((m) => m.kind !== 'constructor').map((m) => m.keyType);

  text += `function __jaunt_conforms_${name}${typeParameterList(sf, decl)}(__self: ${instance}): void {\n`;
  members.filter((m) => !m.isStatic && m.kind !== 'constructor' && m.kind !== 'unsupported').forEach((m, i) => {
    const type = memberType(ts, sf, m, instance);
    if (type === undefined) return;
    const target = m.optional ? `(${type}) | undefined` : type;
    const readable = m.kind !== 'accessor' || m.nodes.some(ts.isGetAccessorDeclaration);
    if (readable) add(`  const __jaunt_member_${i}: ${target} = __self${m.access};`, memberSays(m));
    if (!m.readonly && m.kind !== 'method') add(`  __self${m.access} = null as unknown as ${target};`, `${memberSays(m)}: it must be writable`);
  });
  implementsOf(ts, sf, decl).forEach((type, i) => add(`  const __jaunt_implements_${i}: ${type} = __self;`, `the class does not implement \`${type}\` as declared`));
  const instanceKeys = [...keys(members.filter((m) => !m.isStatic)), ...(base ? [`keyof ${base.type}`] : [])];
  add(`  const __jaunt_public: ${undeclared(`keyof ${instance}`, instanceKeys)} = 'none';`,
    'the class has public members its declaration does not have (make them private with `#name` or `private`, or remove them)');
  text += '}\n';

  const ctor = members.find((m) => m.kind === 'constructor');
  add(`const __jaunt_new_${name}: ${constructSignatures(ts, sf, decl, name, members)} = ${name};`,
    `the constructor does not match its declaration \`${ctor ? memberText(sf, ctor) : 'constructor()'}\``);
  members.filter((m) => m.isStatic && m.kind !== 'unsupported').forEach((m, i) => {
    const type = memberType(ts, sf, m, instance);
    if (type === undefined) return;
    const target = m.optional ? `(${type}) | undefined` : type;
    add(`const __jaunt_static_${name}_${i}: ${target} = ${name}${m.access};`, memberSays(m));
  });
  const staticKeys = ["'prototype'", ...keys(members.filter((m) => m.isStatic)), ...(base ? [`keyof typeof ${base.expression}`] : [])];
  add(`const __jaunt_statics_${name}: ${undeclared(`keyof typeof ${name}`, staticKeys)} = 'none';`,
    'the class has public static members its declaration does not have (make them private with `static #name` or `private static`, or remove them)');
  return { text, parts };
}
