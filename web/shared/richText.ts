// The Info page's HTML, cleaned by the server (src/app/richText.ts), put on a page: the card app, and the panel's
// editor and preview. Belt and braces: it is parsed in an inert document (DOMParser: no scripts run, nothing loads)
// and only the allowed elements and safe link attributes are copied, so no script or handler can come along.
const TAGS = new Set(['P', 'BR', 'B', 'STRONG', 'I', 'EM', 'U', 'S', 'UL', 'OL', 'LI', 'H2', 'H3', 'A']);
const SAFE_HREF = /^(https?:|mailto:|tel:)/i;

function copy(from: Node, to: Node): void {
  for (const n of Array.from(from.childNodes)) {
    if (n.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(n.textContent ?? ''));
    } else if (n.nodeType === Node.ELEMENT_NODE) {
      const el = n as Element;
      if (!TAGS.has(el.tagName)) {
        if (!/^(SCRIPT|STYLE|TEMPLATE|SVG|MATH|IFRAME|OBJECT|NOSCRIPT)$/i.test(el.tagName)) copy(el, to);
        continue;
      }
      const out = document.createElement(el.tagName.toLowerCase());
      const href = el.getAttribute('href')?.trim();
      if (el.tagName === 'A') {
        if (!href || !SAFE_HREF.test(href)) {
          copy(el, to);
          continue;
        }
        out.setAttribute('href', href);
        out.setAttribute('target', '_blank');
        out.setAttribute('rel', 'noopener noreferrer nofollow');
      }
      copy(el, out);
      to.appendChild(out);
    }
  }
}

/** A fragment with the page's formatting and links, and nothing else. */
export function richText(html: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  copy(new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body, fragment);
  return fragment;
}

/** The same, as HTML text (the panel cleans what is pasted into its editor with it). */
export function cleanHtml(html: string): string {
  const box = document.createElement('div');
  box.appendChild(richText(html));
  return box.innerHTML;
}
