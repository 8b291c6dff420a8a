import { describe, expect, it } from 'vitest';
import { contrastRatio, parseHexColor, relativeLuminance } from '../src/color';
import { rateContrast } from '../src/rating';

describe('colours, as the committed implementations compute them', () => {
  it('parses short and long hex colours, and refuses the rest', () => {
    expect(parseHexColor('#0af')).toEqual({ r: 0, g: 170, b: 255 });
    expect(parseHexColor('#1A1A2e')).toEqual({ r: 26, g: 26, b: 46 });
    for (const bad of ['0af', '#12345', '#ggg', '']) expect(() => parseHexColor(bad)).toThrow(SyntaxError);
  });

  it('computes WCAG luminance and contrast in either order', () => {
    expect(relativeLuminance({ r: 255, g: 255, b: 255 })).toBeCloseTo(1, 10);
    expect(relativeLuminance({ r: 0, g: 0, b: 0 })).toBe(0);
    const black = parseHexColor('#000');
    const white = parseHexColor('#fff');
    expect(contrastRatio(black, white)).toBeCloseTo(21, 10);
    expect(contrastRatio(white, black)).toBeCloseTo(21, 10);
    expect(contrastRatio(parseHexColor('#777777'), white)).toBeCloseTo(4.48, 2);
  });

  it('rates contrast by the WCAG thresholds', () => {
    const white = parseHexColor('#fff');
    expect(rateContrast(parseHexColor('#000'), white)).toBe('AAA');
    expect(rateContrast(parseHexColor('#767676'), white)).toBe('AA');
    expect(rateContrast(parseHexColor('#777777'), white)).toBe('AA large');
    expect(rateContrast(parseHexColor('#0af'), white)).toBe('fail');
  });
});
