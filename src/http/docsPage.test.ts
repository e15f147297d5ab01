import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { apiDocsHtml } from './docsPage.js';

const SPEC_URL = '/api/v1/openapi.json';

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!);
}

describe('apiDocsHtml', () => {
  const html = apiDocsHtml({ specUrl: SPEC_URL, title: 'Kopilka API' });

  it('is one self-contained document: no external URL, no script or stylesheet to load', () => {
    for (const page of [html, apiDocsHtml({ specUrl: SPEC_URL })]) {
      expect(page).not.toMatch(/https?:\/\//i);
      expect(page).not.toMatch(/<script\b[^>]*\bsrc\s*=/i);
      expect(page).not.toMatch(/<link\b[^>]*\bhref\s*=/i);
      expect(page).not.toMatch(/@import|url\(/i);
      expect(page).toMatch(/^<!doctype html>/i);
      expect(page).toContain('<meta charset="utf-8">');
      expect(page).toContain('<meta name="viewport"');
      expect(page).toContain('prefers-color-scheme:dark');
    }
  });

  it('stays light', () => {
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(25 * 1024);
  });

  it('embeds the spec URL as a JSON string', () => {
    expect(html).toContain(`const SPEC_URL = ${JSON.stringify(SPEC_URL)};`);
  });

  it('keeps a hostile spec URL inside its string literal', () => {
    const url = '/x</script><script>alert(1)</script>\u2028"\'';
    const page = apiDocsHtml({ specUrl: url });
    expect(page).not.toContain('</script><script>alert(1)');
    expect(page.match(/<script\b/gi)).toHaveLength(1);
    const literal = /const SPEC_URL = (".*");\n/.exec(page)?.[1];
    expect(JSON.parse(literal!)).toBe(url);
  });

  it('escapes the title', () => {
    const page = apiDocsHtml({ specUrl: SPEC_URL, title: '<script>alert(1)</script> & "Co"' });
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('<title>&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;Co&#34;</title>');
    expect(page.match(/<script\b/gi)).toHaveLength(1);
  });

  it('has exactly one inline script, and it is valid JavaScript', () => {
    const scripts = inlineScripts(html);
    expect(scripts).toHaveLength(1);
    expect(() => new vm.Script(scripts[0]!, { filename: 'docsPage-inline.js' })).not.toThrow();
  });
});
