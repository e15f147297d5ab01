// The colours the card app gives links, button text and the card's text so that they read (≥ 4.5:1) whatever the
// brand's colours and the page's theme: pure (readable.test.ts); theme.ts reads the page and applies them.
import { contrastRatio, mix, readableOn, readableOnAll, textColorOn } from '../../shared/color.js';

/** What the page's colours become: pure (theme.test.ts); `page` holds the colours the stylesheet gives. */
export interface PageColors {
  bg: string;
  surface: string;
  link: string;
  btn: string;
  btnText: string;
  cardBg: string;
  cardText: string;
  /** Errors and the delete button: Telegram's destructive colour, or ours. */
  danger: string;
}

export function readableColors(page: PageColors): { link: string; btnText: string; cardText: string; cardHint: string; danger: string; dangerText: string } {
  const link = readableOnAll([page.surface, page.bg], page.link);
  const danger = readableOnAll([page.surface, page.bg], page.danger);
  const btnText = contrastRatio(page.btn, page.btnText) >= 4.5 ? page.btnText : textColorOn(page.btn);
  const cardText = readableOn(page.cardBg, page.cardText);
  // The card's quieter lines (captions, hints): a quarter towards the card, still readable.
  const cardHint = readableOn(page.cardBg, mix(cardText, page.cardBg, 0.25));
  return { link, btnText, cardText, cardHint, danger, dangerText: textColorOn(danger) };
}

