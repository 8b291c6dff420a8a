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
  });
}

export function specHash(ir: SpecIR, depHashes: DepHashes): string {
  return hashSync(canonicalSpec(ir, depHashes));
}

export function specHashAsync(ir: SpecIR, depHashes: DepHashes): Promise<string> {
  return hashAsync(canonicalSpec(ir, depHashes));
}
