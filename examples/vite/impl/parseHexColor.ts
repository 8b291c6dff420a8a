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
