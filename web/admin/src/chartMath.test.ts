import { describe, expect, it } from 'vitest';
import { barBoxes, heatColor, labelEvery, linePath, niceTicks, yOf, type Frame } from './chartMath.js';

const f: Frame = { width: 110, height: 120, left: 10, right: 0, top: 10, bottom: 10 };

describe('chart geometry', () => {
  it('round ticks cover the largest value', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(2, 4, 1)).toEqual([0, 1, 2]); // whole quantities: no half steps
    expect(niceTicks(2)).toEqual([0, 0.5, 1, 1.5, 2]);
    const t = niceTicks(123_457);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(123_457);
    expect(t.length).toBeLessThanOrEqual(6);
  });

  it('lines and bars sit in the plot; 0 at the bottom, the top value at the top', () => {
    expect(yOf(0, 100, f)).toBe(110);
    expect(yOf(100, 100, f)).toBe(10);
    expect(linePath([0, 50, 100], 100, f)).toBe('M10 110 L60 60 L110 10');
    expect(linePath([], 100, f)).toBe('');
    const bars = barBoxes([100, -5], 100, f, 0);
    expect(bars).toEqual([{ x: 10, y: 10, w: 50, h: 100 }, { x: 60, y: 110, w: 50, h: 0 }]);
  });

  it('heat shades go from light to dark; labels thin out but keep the ends', () => {
    expect(heatColor(0, 10)).toBe('#eef4ff');
    expect(heatColor(10, 10)).toBe('#1d4ed8');
    expect(heatColor(5, 0)).toBe('#eef4ff');
    const show = labelEvery(30, 6);
    const shown = Array.from({ length: 30 }, (_, i) => i).filter(show);
    expect(shown[0]).toBe(0);
    expect(shown[shown.length - 1]).toBe(29);
    expect(shown.length).toBeLessThanOrEqual(7);
  });
});
