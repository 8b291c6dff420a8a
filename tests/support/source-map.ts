/** Just enough of Source Map v3 to ask where a generated line comes from. */

export interface RawSourceMap {
  version: number;
  sources: string[];
  mappings: string;
}

/** One mapping segment, all 0-based: generated column, and the original source, line and column. */
export interface Segment {
  column: number;
  source?: number;
  line?: number;
  sourceColumn?: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one run of base64 VLQ values (`AAgBA` → [0, 0, 16, 0]). */
export function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64.indexOf(ch);
    if (digit < 0) throw new Error(`not a base64 digit: ${ch}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new Error(`unterminated VLQ value in ${text}`);
  return out;
}

/** The segments of every generated line, with the deltas of `mappings` resolved to absolute values. */
export function decodeMappings(mappings: string): Segment[][] {
  let source = 0;
  let line = 0;
  let sourceColumn = 0;
  return mappings.split(';').map((group) => {
    let column = 0;
    return group.split(',').filter((s) => s !== '').map((s) => {
      const v = decodeVlq(s);
      column += v[0]!;
      if (v.length < 4) return { column };
      source += v[1]!;
      line += v[2]!;
      sourceColumn += v[3]!;
      return { column, source, line, sourceColumn };
    });
  });
}
