import { describe, expect, it } from 'vitest';
import { contrastRatio, cssColorToHex, isDark, mix, readableOn, readableOnAll, rgb, textColorOn } from './color.js';

describe('colours', () => {
  it('reads hex colours', () => {
    expect(rgb('#fff')).toEqual([255, 255, 255]);
    expect(rgb('#17324d')).toEqual([23, 50, 77]);
    expect(rgb('#17324dcc')).toEqual([23, 50, 77]);
    expect(rgb('red')).toBeNull();
  });

  it('picks readable text and tells dark from light', () => {
    expect(textColorOn('#17324d')).toBe('#ffffff');
    expect(textColorOn('#ffd600')).toBe('#000000');
    expect(isDark('#212121')).toBe(true);
    expect(isDark('#ffffff')).toBe(false);
  });

  it('computes the WCAG contrast ratio (known pairs)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
    // WebAIM's checker: #767676 on white is 4.54:1, #2b66f5 on white 4.86:1 (the card app's default accent).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#2b66f5', '#ffffff')).toBeCloseTo(4.86, 1);
    expect(contrastRatio('#ffe066', '#ffffff')).toBeLessThan(1.4);
  });

  it('mixes colours', () => {
    expect(mix('#ffffff', '#000000', 0.5)).toBe('#808080');
    expect(mix('#fff', '#000', 0)).toBe('#ffffff');
    expect(mix('#123456', '#ffffff', 1)).toBe('#ffffff');
  });

  it('leaves a colour that already reads as it is', () => {
    expect(readableOn('#ffffff', '#2b66f5')).toBe('#2b66f5');
    expect(readableOn('#000000', '#FFE066')).toBe('#ffe066');
  });

  it('darkens on a light background and lightens on a dark one, just enough', () => {
    for (const [bg, color] of [['#ffffff', '#ffe066'], ['#f2f3f7', '#ffe066'], ['#ffffff', '#00ff00'], ['#1b1d22', '#1f2a44'], ['#0e0f12', '#d12b2b'], ['#ffffff', '#ffffff'], ['#000000', '#000000']] as const) {
      const out = readableOn(bg, color);
      expect(contrastRatio(bg, out), `${color} on ${bg} → ${out}`).toBeGreaterThanOrEqual(4.5);
      // Just enough: a step less would not read (unless nothing had to move at all).
      const lighter = isDark(bg);
      const [r, g, b] = rgb(out)!;
      const [r0, g0, b0] = rgb(color)!;
      if (lighter) expect(r + g + b).toBeGreaterThanOrEqual(r0 + g0 + b0);
      else expect(r + g + b).toBeLessThanOrEqual(r0 + g0 + b0);
      expect(contrastRatio(bg, mix(out, color, 0.05))).toBeLessThan(4.5 + 0.3);
    }
    // The hue stays: a yellow stays warm (red ≥ blue), not grey.
    const [r, , b] = rgb(readableOn('#ffffff', '#ffe066'))!;
    expect(r).toBeGreaterThan(b);
  });

  it('honours another minimum, and gives black or white when nothing else can reach it', () => {
    expect(contrastRatio('#ffffff', readableOn('#ffffff', '#ffe066', 3))).toBeGreaterThanOrEqual(3);
    expect(contrastRatio('#ffffff', readableOn('#ffffff', '#ffe066', 3))).toBeLessThan(4.5);
    expect(contrastRatio('#ffffff', readableOn('#ffffff', '#ffe066', 7))).toBeGreaterThanOrEqual(7);
    expect(readableOn('#777777', '#808080', 7)).toBe('#000000');
    expect(readableOn('#ffffff', 'not a colour')).toBe('#000000');
  });

  it('reads on every background of a page', () => {
    const out = readableOnAll(['#ffffff', '#e6e6e6'], '#ffe066');
    expect(contrastRatio('#ffffff', out)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#e6e6e6', out)).toBeGreaterThanOrEqual(4.5);
  });

  it('reads computed CSS colours', () => {
    expect(cssColorToHex('rgb(43, 102, 245)')).toBe('#2b66f5');
    expect(cssColorToHex(' #FFF ')).toBe('#ffffff');
    expect(cssColorToHex('rgba(0, 0, 0, 0)')).toBeNull();
    expect(cssColorToHex('rgb(255 255 255 / 0.5)')).toBe('#ffffff');
    expect(cssColorToHex('color(srgb 1 0.5 0)')).toBe('#ff8000');
    expect(cssColorToHex('var(--x)')).toBeNull();
  });
});
