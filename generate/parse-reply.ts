/** Pulls the implementation out of a model reply: the one fenced TypeScript block it should contain. */
import { MAX_CODE_BYTES, formatBytes } from './reply-limits';

/** `tooLarge`: the block was found but is over the size cap, which makes the spec's failure a JAUNT3010. */
export type ExtractResult = { ok: true; code: string } | { ok: false; reason: string; tooLarge?: boolean };

interface Fence {
  lang: string;
  lines: string[];
}

const OPENER = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;
const CLOSER = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const TS_LANGS = new Set(['', 'ts', 'typescript', 'mts', 'cts']);
const DEFINES_FUNCTION = /^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:(?:async[ \t]+)?function[ \t]*\*?[ \t]*|class[ \t]+)([A-Za-z_$][\w$]*)[ \t]*[<({ ]/m;

/** Fenced blocks as CommonMark reads them: a closer has no info string and is at least as long. */
function fences(lines: readonly string[]): Fence[] {
  const out: Fence[] = [];
  let open: { marker: string; fence: Fence } | undefined;
  for (const line of lines) {
    if (open) {
      const close = CLOSER.exec(line);
      if (close && close[1]![0] === open.marker[0] && close[1]!.length >= open.marker.length) open = undefined;
      else open.fence.lines.push(line);
      continue;
    }
    const start = OPENER.exec(line);
    if (start) {
      open = { marker: start[1]!, fence: { lang: start[2]!.toLowerCase(), lines: [] } };
      out.push(open.fence);
    }
  }
  // An unclosed block runs to the end of the reply; if it was cut off, the compiler will say so.
  return out;
}

/** A model that fences its code twice leaves the inner fence lines inside the block: drop them. */
function unwrapNested(lines: string[]): string[] {
  const firstCode = lines.findIndex((l) => l.trim() !== '');
  const first = firstCode >= 0 ? OPENER.exec(lines[firstCode]!) : null;
  if (!first || !TS_LANGS.has(first[2]!.toLowerCase())) return lines;
  const rest = lines.slice(firstCode + 1);
  let last = rest.length - 1;
  while (last >= 0 && rest[last]!.trim() === '') last--;
  return last >= 0 && CLOSER.test(rest[last]!) ? rest.slice(0, last) : rest;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The code of the reply's single ```ts (or ```typescript, or unlabeled) block.
 *
 * Several TypeScript blocks: models often add a usage example or show a helper separately. When
 * `specName` is given, the one block defining `function specName` (or `class specName`) wins; otherwise
 * the one block that defines any function or class. Anything else is ambiguous and rejected, so the retry asks for one block
 * rather than us guessing (gluing blocks together duplicates code more often than it completes it).
 */
export function extractCode(text: string, specName?: string, maxCodeBytes = MAX_CODE_BYTES): ExtractResult {
  const found = findCode(text, specName);
  if (!found.ok) return found;
  const bytes = Buffer.byteLength(found.code, 'utf8');
  if (bytes <= maxCodeBytes) return found;
  return {
    ok: false, tooLarge: true,
    reason: `the implementation is ${formatBytes(bytes)}, over the ${formatBytes(maxCodeBytes)} limit for one spec; answer with a much shorter implementation`,
  };
}

function findCode(text: string, specName: string | undefined): ExtractResult {
  const all = fences(text.split(/\r?\n/));
  const candidates = all
    .filter((f) => TS_LANGS.has(f.lang))
    .map((f) => unwrapNested(f.lines).join('\n').trim())
    .filter((code) => code !== '');
  if (candidates.length === 0) {
    const others = [...new Set(all.filter((f) => !TS_LANGS.has(f.lang)).map((f) => '```' + f.lang))];
    const emptyTs = all.some((f) => TS_LANGS.has(f.lang));
    if (emptyTs && others.length === 0) return { ok: false, reason: 'the reply\'s ```ts code block is empty' };
    return {
      ok: false,
      reason: others.length > 0
        ? `reply has no \`\`\`ts code block (only ${others.join(', ')}); put the implementation in one \`\`\`ts block`
        : 'reply has no ```ts code block; put the implementation in one ```ts block',
    };
  }
  if (candidates.length === 1) return { ok: true, code: `${candidates[0]!}\n` };

  const defining = candidates.filter((code) => {
    if (specName === undefined) return DEFINES_FUNCTION.test(code);
    const named = new RegExp(DEFINES_FUNCTION.source.replace('([A-Za-z_$][\\w$]*)', escapeRegExp(specName) + '\\b'), 'm');
    return named.test(code);
  });
  if (defining.length === 1) return { ok: true, code: `${defining[0]!}\n` };
  const what = specName === undefined ? 'that define functions or classes' : `that define \`${specName}\``;
  return {
    ok: false,
    reason: `reply has ${plural(candidates.length, '```ts code block')}` +
      (defining.length > 1 ? `, ${defining.length} of them ${what}` : `, none of them ${what}`) +
      '; answer with exactly one block holding the whole implementation',
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
