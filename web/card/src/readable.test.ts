import { describe, expect, it } from 'vitest';
import { contrastRatio } from '../../shared/color.js';
import { readableColors } from './readable.js';

const light = { bg: '#f2f3f7', surface: '#ffffff', btnText: '#000000', cardBg: '#1f2a44', cardText: '#ffffff', danger: '#d12b2b' };
const dark = { bg: '#0e0f12', surface: '#1b1d22', btnText: '#000000', cardBg: '#1f2a44', cardText: '#ffffff', danger: '#d12b2b' };

describe('the card app keeps any brand colour readable', () => {
  it('a very light accent: links darkened on a light page, kept on a dark one', () => {
    const onLight = readableColors({ ...light, link: '#ffe066', btn: '#ffe066' });
    expect(contrastRatio('#ffffff', onLight.link)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#f2f3f7', onLight.link)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#ffe066', onLight.btnText)).toBeGreaterThanOrEqual(4.5);
    const onDark = readableColors({ ...dark, link: '#ffe066', btn: '#ffe066' });
    expect(onDark.link).toBe('#ffe066');
  });

  it('a very dark accent: lightened on a dark page; button text that cannot be read is replaced', () => {
    const out = readableColors({ ...dark, link: '#1a1a40', btn: '#1a1a40', btnText: '#ffffff' });
    expect(contrastRatio('#1b1d22', out.link)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#0e0f12', out.link)).toBeGreaterThanOrEqual(4.5);
    expect(out.btnText).toBe('#ffffff');
    // Telegram's own button colours that do not read together.
    const tg = readableColors({ ...light, link: '#2b66f5', btn: '#ffe066', btnText: '#ffffff' });
    expect(tg.btnText).toBe('#000000');
    // The default accent reads on white (4.86:1) but not quite on the grey page (#f2f3f7): a shade darker.
    expect(contrastRatio('#f2f3f7', '#2b66f5')).toBeLessThan(4.5);
    expect(contrastRatio('#f2f3f7', tg.link)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#f2f3f7', tg.link)).toBeLessThan(4.7);
  });

  it("the card face: the owner's text colour nudged until it reads on the card colour; quieter lines too", () => {
    const out = readableColors({ ...light, link: '#2b66f5', btn: '#2b66f5', cardBg: '#ffd600', cardText: '#ffeb80' });
    expect(contrastRatio('#ffd600', out.cardText)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#ffd600', out.cardHint)).toBeGreaterThanOrEqual(4.5);
    const fine = readableColors({ ...light, link: '#2b66f5', btn: '#2b66f5', cardBg: '#1f2a44', cardText: '#ffffff' });
    expect(fine.cardText).toBe('#ffffff');
    expect(fine.cardHint).not.toBe('#ffffff');
    expect(contrastRatio('#1f2a44', fine.cardHint)).toBeGreaterThanOrEqual(4.5);
  });

  it('the danger colour (errors, the delete button) too: Telegram dark themes without a destructive colour', () => {
    const out = readableColors({ ...dark, bg: '#212121', surface: '#181818', link: '#8774e1', btn: '#8774e1' });
    expect(contrastRatio('#181818', '#d12b2b')).toBeLessThan(4.5);
    expect(contrastRatio('#181818', out.danger)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(out.danger, out.dangerText)).toBeGreaterThanOrEqual(4.5);
    expect(readableColors({ ...light, link: '#2b66f5', btn: '#2b66f5' }).dangerText).toBe('#ffffff');
  });
});
