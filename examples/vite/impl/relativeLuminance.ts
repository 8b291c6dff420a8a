const WEIGHTS = { r: 0.2126, g: 0.7152, b: 0.0722 } as const;

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(color: Rgb): number {
  return WEIGHTS.r * linear(color.r) + WEIGHTS.g * linear(color.g) + WEIGHTS.b * linear(color.b);
}
