/** Library entry: the core that the transformer and the CLI share. */
export { analyzeProgram, type AnalyzedSpec, type ProgramAnalysis } from './core/analyze-program';
export { prepareProgram, type PreparedProgram } from './core/prepare-program';
export { Codes, JauntError, type JauntDiagnostic } from './core/errors';
export { resolveOptions, type JauntOptions, type ResolvedOptions } from './config/options';
export { lookupEntry, writeEntry, entryPath, listEntries } from './cache/cache-store';
export { OFFLINE } from './cache/entry-format';
export { hashSync, hashAsync } from './spec/hash';
export { canonicalSpec, specHash, specHashAsync } from './spec/spec-hash';
export type { SpecIR } from './spec/spec-ir';
