import { describe, expect, it } from 'vitest';
import { isDark, rgb, textColorOn } from './color.js';

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
});
