import type { SpecIR } from './spec-ir';
import { hashAsync, hashSync } from './hash';

/** Bumped when the canonical form changes: every spec then gets a new hash. */
export const HASH_FORMAT = 1;

/** The dependency part of the key: each dependency's name and hash, sorted. */
export type DepHashes = ReadonlyArray<readonly [name: string, hash: string]>;

/**
 * The exact text the spec hash covers. File, line and export are left out (moving a spec keeps its
 * implementation); model and prompt are provenance, never key.
 */
export function canonicalSpec(ir: SpecIR, depHashes: DepHashes): string {
  return JSON.stringify({
    format: HASH_FORMAT,
    name: ir.name,
    signatures: ir.signatures,
    doc: ir.doc,
    types: ir.types,
    deps: [...depHashes].map(([n, h]) => `${n}:${h}`).sort(),
    members: ir.members,
  });
}

export function specHash(ir: SpecIR, depHashes: DepHashes): string {
  return hashSync(canonicalSpec(ir, depHashes));
}

export function specHashAsync(ir: SpecIR, depHashes: DepHashes): Promise<string> {
  return hashAsync(canonicalSpec(ir, depHashes));
}

/** Short fingerprints of each input of the hash, kept in an entry so `status` can say what changed. */
export interface SpecInputs {
  doc: string;
  signature: string;
  types: string;
  /** Dependency name → its spec hash. */
  deps: Record<string, string>;
  /** A class's members: name → fingerprint of its declaration and JSDoc. */
  members?: Record<string, string>;
}

const short = (text: string) => hashSync(text).slice(0, 8);

export function specInputs(ir: SpecIR, depHashes: DepHashes): SpecInputs {
  return {
    doc: short(ir.doc),
    signature: short(JSON.stringify(ir.signatures)),
    types: short(JSON.stringify(ir.types)),
    deps: Object.fromEntries([...depHashes].sort(([a], [b]) => (a < b ? -1 : 1))),
    ...(ir.members ? { members: Object.fromEntries(ir.members.map((m) => [m.name, short(m.text)])) } : {}),
  };
}

// Member names may hold spaces (`static parse`) and punctuation (`[Symbol.iterator]`): written URI-encoded.
const encodeMember = (name: string) => encodeURIComponent(name);

/** `doc=… sig=… types=… deps=a:…,b:…` (and ` members=get:…,static%20parse:…` for a class) — one header line. */
export function formatInputs(i: SpecInputs): string {
  const deps = Object.entries(i.deps).map(([n, h]) => `${n}:${h}`).join(',');
  const members = i.members ? ` members=${Object.entries(i.members).map(([n, h]) => `${encodeMember(n)}:${h}`).join(',') || '-'}` : '';
  return `doc=${i.doc} sig=${i.signature} types=${i.types} deps=${deps || '-'}${members}`;
}

const pairs = (text: string, decode: (s: string) => string = (s) => s): Record<string, string> =>
  text === '-' ? {} : Object.fromEntries(text.split(',').map((p) => {
    const at = p.lastIndexOf(':');
    return [decode(p.slice(0, at)), p.slice(at + 1)];
  }));

export function parseInputs(line: string): SpecInputs | undefined {
  const m = /^doc=(\w+) sig=(\w+) types=(\w+) deps=(\S+)(?: members=(\S+))?$/.exec(line.trim());
  if (!m) return undefined;
  return {
    doc: m[1]!, signature: m[2]!, types: m[3]!, deps: pairs(m[4]!),
    ...(m[5] !== undefined ? { members: pairs(m[5], decodeURIComponent) } : {}),
  };
}

/** What differs between the inputs an entry was written for and the spec now, in words. */
export function describeChange(before: SpecInputs, now: SpecInputs): string[] {
  const out: string[] = [];
  if (before.doc !== now.doc) out.push('JSDoc');
  if (before.signature !== now.signature) out.push('signature');
  if (before.types !== now.types) out.push('a referenced type');
  const members = new Set([...Object.keys(before.members ?? {}), ...Object.keys(now.members ?? {})]);
  for (const n of members) {
    if (!(n in (before.members ?? {}))) out.push(`new member ${n}`);
    else if (!(n in (now.members ?? {}))) out.push(`removed member ${n}`);
    else if (before.members![n] !== now.members![n]) out.push(`member ${n}`);
  }
  const names = new Set([...Object.keys(before.deps), ...Object.keys(now.deps)]);
  for (const n of [...names].sort()) {
    if (!(n in before.deps)) out.push(`new dependency ${n}`);
    else if (!(n in now.deps)) out.push(`dropped dependency ${n}`);
    else if (before.deps[n] !== now.deps[n]) out.push(`dependency ${n}`);
  }
  return out;
}
