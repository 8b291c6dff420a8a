import type { RenderedText } from './render-text';

/** A version 3 source map of one file, as bundlers take it from a transform. */
export interface SourceMapV3 {
  version: 3;
  file: string;
  sources: string[];
  sourcesContent: string[];
  names: string[];
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One signed number in base64 VLQ: the sign in the lowest bit, five bits per digit, low digits first. */
export function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Line and column (0-based) of an offset, by binary search over the line starts. */
function position(starts: readonly number[], offset: number): [number, number] {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return [lo, offset - starts[lo]!];
}

/**
 * The source map of a rendered splice back to the original file. Copied text maps at each line start and
 * token by token (each word and each run of other characters), so columns survive a bundler composing its
 * own map on top;
 * spliced code maps line by line to its spec's declaration, as the tsc splice's source maps do.
 */
export function textSourceMap(rendered: RenderedText, original: string, source: string, file = source): SourceMapV3 {
  const outStarts = lineStarts(rendered.text);
  const srcStarts = lineStarts(original);
  const lines: [number, number, number][][] = outStarts.map(() => []);
  const add = (outOffset: number, srcOffset: number) => {
    const [line, column] = position(outStarts, outOffset);
    const [srcLine, srcColumn] = position(srcStarts, srcOffset);
    lines[line]!.push([column, srcLine, srcColumn]);
  };
  const token = /[A-Za-z_$\d]+|\s+|[^A-Za-z_$\d\s]+/g;
  for (const o of rendered.origins) {
    if (!o.copied) {
      add(o.start, o.from);
      for (let line = position(outStarts, o.start)[0] + 1; line < outStarts.length && outStarts[line]! < o.end; line++) add(outStarts[line]!, o.from);
      continue;
    }
    for (let line = position(outStarts, o.start)[0] + 1; line < outStarts.length && outStarts[line]! < o.end; line++) {
      add(outStarts[line]!, o.from + (outStarts[line]! - o.start));
    }
    token.lastIndex = 0;
    const text = rendered.text.slice(o.start, o.end);
    for (let m = token.exec(text); m; m = token.exec(text)) {
      if (!/^\s+$/.test(m[0])) add(o.start + m.index, o.from + m.index);
    }
  }
  // Relative encoding: the column resets per line; source line and column carry over across lines.
  for (const segments of lines) {
    segments.sort((a, b) => a[0] - b[0]);
    // One segment per column (a line start that is also a token start).
    for (let i = segments.length - 1; i > 0; i--) if (segments[i]![0] === segments[i - 1]![0]) segments.splice(i, 1);
  }
  let srcLine = 0;
  let srcColumn = 0;
  const mappings = lines.map((segments) => {
    let column = 0;
    return segments.map(([c, l, sc]) => {
      const text = vlq(c - column) + vlq(0) + vlq(l - srcLine) + vlq(sc - srcColumn);
      column = c;
      srcLine = l;
      srcColumn = sc;
      return text;
    }).join(',');
  }).join(';');
  return { version: 3, file, sources: [source], sourcesContent: [original], names: [], mappings };
}
