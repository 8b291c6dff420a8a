import { hashSync } from '../spec/hash';

/** Provenance of one cached implementation, kept in a header comment of the entry file. */
export interface EntryMeta {
  spec: string;
  /** Project-relative file of the spec when the entry was written. */
  file: string;
  hash: string;
  /** The model id as the provider's reply named it, or OFFLINE for implementations written without a model. */
  model: string;
  /** Who answered (`anthropic`, `openai`); absent for entries written offline or before providers were recorded. */
  provider?: string;
  /** Set when the body was carried over from an earlier contract's entry that passed every check against this one. */
  reverified?: string;
  tool: string;
  created: string;
  checksum: string;
  inputTokens?: number;
  outputTokens?: number;
  attempts?: number;
  /** Fingerprints of the spec's inputs (see spec-hash.ts formatInputs). */
  inputs?: string;
  /** How many example assertions the implementation passed before it was cached. */
  examples?: number;
}

export const OFFLINE = 'authored offline (no model)';
const MARK = '@jaunt-entry';
const FIELDS = ['spec', 'file', 'hash', 'inputs', 'model', 'provider', 'reverified', 'tool', 'created', 'tokens', 'attempts', 'examples', 'checksum'] as const;

/** Line endings and trailing space are not edits: git and editors change them freely. */
export function normalizeBody(body: string): string {
  return body.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trim() + '\n';
}

export function bodyChecksum(body: string): string {
  return hashSync(normalizeBody(body));
}

export function renderEntry(meta: Omit<EntryMeta, 'checksum'>, body: string): string {
  const normalized = normalizeBody(body);
  const values: Record<(typeof FIELDS)[number], string | undefined> = {
    spec: meta.spec, file: meta.file, hash: meta.hash, inputs: meta.inputs, model: meta.model, provider: meta.provider,
    reverified: meta.reverified, tool: meta.tool, created: meta.created,
    tokens: meta.inputTokens !== undefined ? `${meta.inputTokens} in / ${meta.outputTokens ?? 0} out` : undefined,
    attempts: meta.attempts !== undefined ? String(meta.attempts) : undefined,
    examples: meta.examples !== undefined ? `${meta.examples} passed` : undefined,
    checksum: hashSync(normalized),
  };
  const lines = FIELDS.filter((f) => values[f] !== undefined).map((f) => ` * ${f}: ${values[f]}`);
  return [
    '// Jaunt cache entry: the implementation of a @jaunt spec. Review it like source and commit it.',
    '// Editing the body is allowed: Jaunt keeps hand edits and never overwrites them without --force.',
    `/* ${MARK}`, ...lines, ' */', normalized,
  ].join('\n');
}

export type ParsedEntry = { ok: true; meta: EntryMeta; body: string } | { ok: false; reason: string };

export function parseEntry(text: string): ParsedEntry {
  const start = text.indexOf(`/* ${MARK}`);
  if (start < 0) return { ok: false, reason: 'no @jaunt-entry header' };
  const end = text.indexOf('*/', start);
  if (end < 0) return { ok: false, reason: 'unterminated header' };
  const fields = new Map<string, string>();
  for (const line of text.slice(start, end).split('\n').slice(1)) {
    const m = /^\s*\*\s*([a-z]+):\s*(.*?)\s*$/.exec(line);
    if (m) fields.set(m[1]!, m[2]!);
  }
  const missing = ['spec', 'hash', 'model', 'checksum'].filter((f) => !fields.get(f));
  if (missing.length) return { ok: false, reason: `header lacks ${missing.join(', ')}` };
  const tokens = /^(\d+) in \/ (\d+) out$/.exec(fields.get('tokens') ?? '');
  const attempts = fields.get('attempts');
  const meta: EntryMeta = {
    spec: fields.get('spec')!, file: fields.get('file') ?? '', hash: fields.get('hash')!, model: fields.get('model')!,
    tool: fields.get('tool') ?? '', created: fields.get('created') ?? '', checksum: fields.get('checksum')!,
    ...(tokens ? { inputTokens: Number(tokens[1]), outputTokens: Number(tokens[2]) } : {}),
    ...(attempts ? { attempts: Number(attempts) } : {}),
    ...(/^\d+ passed$/.test(fields.get('examples') ?? '') ? { examples: parseInt(fields.get('examples')!, 10) } : {}),
    ...(fields.get('inputs') ? { inputs: fields.get('inputs') } : {}),
    ...(fields.get('provider') ? { provider: fields.get('provider') } : {}),
    ...(fields.get('reverified') ? { reverified: fields.get('reverified') } : {}),
  };
  return { ok: true, meta, body: text.slice(end + 2).replace(/^\r?\n/, '') };
}
