// The Info page's rich text, cleaned on the server before it is stored: only the tags in INFO_HTML_TAGS, links only
// to https/http/mailto/tel (opened in a new tab, rel=noopener noreferrer nofollow), no style, class or on* attributes.
// Whatever is not allowed is dropped (script, style, iframe… with their content; other tags keep their text).
import sanitizeHtml from 'sanitize-html';
import { INFO_HTML_TAGS, INFO_LINK_SCHEMES } from '../core/businessProfile.js';

/** Input longer than this is refused before parsing (the API's body limit is larger). */
export const MAX_INFO_HTML_INPUT = 100_000;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...INFO_HTML_TAGS],
  allowedAttributes: { a: ['href', 'target', 'rel'] },
  allowedSchemes: [...INFO_LINK_SCHEMES],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  allowedSchemesAppliedToAttributes: ['href'],
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math', 'title', 'head'],
  // Editors produce <div> for paragraphs and <h1> for headings: kept as p and h2.
  transformTags: {
    div: 'p',
    h1: 'h2',
    h4: 'h3',
    h5: 'h3',
    h6: 'h3',
    a: (tagName, attribs) => ({ tagName, attribs: { ...(attribs.href ? { href: attribs.href.trim() } : {}), target: '_blank', rel: 'noopener noreferrer nofollow' } }),
  },
};

/** Clean HTML for the Info page; empty when nothing but whitespace is left. */
export function sanitizeInfoHtml(html: string): string {
  const cleaned = sanitizeHtml(html.slice(0, MAX_INFO_HTML_INPUT), OPTIONS)
    // An <a> whose href was refused (javascript:, data:, //host…) is not a link any more: its text stays.
    .replace(/<a target="_blank" rel="noopener noreferrer nofollow">([\s\S]*?)<\/a>/g, '$1');
  const visible = cleaned.replace(/<[^>]*>/g, '').replace(/&nbsp;|\s/g, '');
  return visible === '' ? '' : cleaned.trim();
}
