// Jaunt cache entry: the implementation of a @jaunt spec. Review it like source and commit it.
// Editing the body is allowed: Jaunt keeps hand edits and never overwrites them without --force.
/* @jaunt-entry
 * spec: parseHexColor
 * file: src/color.ts
 * hash: 38f17755d0b43bce
 * inputs: doc=d6192070 sig=9bc0db04 types=2846e69b deps=-
 * model: authored offline (no model)
 * tool: jaunt-ts 0.1.0
 * created: 2026-11-28T09:44:31.684Z
 * checksum: d5e962cf9899770d
 */
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

function channel(hex: string): number {
  return Number.parseInt(hex.length === 1 ? hex + hex : hex, 16);
}

export function parseHexColor(text: string): Rgb {
  if (!HEX.test(text)) throw new SyntaxError(`not a hex colour (#rgb or #rrggbb): ${JSON.stringify(text)}`);
  const digits = text.slice(1);
  const step = digits.length === 3 ? 1 : 2;
  return { r: channel(digits.slice(0, step)), g: channel(digits.slice(step, 2 * step)), b: channel(digits.slice(2 * step, 3 * step)) };
}
