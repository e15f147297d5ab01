import { describe, expect, it } from 'vitest';
import { infoPlainText } from '../core/businessProfile.js';
import { MAX_INFO_HTML_INPUT, sanitizeInfoHtml } from './richText.js';

const LINK = 'target="_blank" rel="noopener noreferrer nofollow"';
/** No executable thing survives: no script/style/iframe/svg/img elements, no on* or style/class attributes, no bad schemes. */
const harmless = (html: string) => {
  expect(html).not.toMatch(/<\s*(script|style|iframe|svg|img|object|embed|math|template|form|input|textarea|base|meta|link)\b/i);
  expect(html).not.toMatch(/\s(on\w+|style|class|id|src|srcdoc|formaction)\s*=/i);
  expect(html).not.toMatch(/(javascript|vbscript|data)\s*:/i);
};

describe('sanitizeInfoHtml: the Info page keeps simple formatting and safe links only', () => {
  it('keeps the allowed tags and makes every link open safely in a new tab', () => {
    const html = '<h2>Меню</h2><h3>Кофе</h3><p>a<br>b <b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <s>x</s></p><ul><li>1</li></ul><ol><li>2</li></ol>'
      + '<p><a href="https://a.ru">A</a> <a href="http://b.ru">B</a> <a href="mailto:c@d.ru">C</a> <a href="tel:+74951234567">T</a></p>';
    expect(sanitizeInfoHtml(html)).toBe('<h2>Меню</h2><h3>Кофе</h3><p>a<br />b <b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <s>x</s></p><ul><li>1</li></ul><ol><li>2</li></ol>'
      + `<p><a href="https://a.ru" ${LINK}>A</a> <a href="http://b.ru" ${LINK}>B</a> <a href="mailto:c@d.ru" ${LINK}>C</a> <a href="tel:+74951234567" ${LINK}>T</a></p>`);
  });

  it('drops scripts with their content and every handler, style and class', () => {
    const out = sanitizeInfoHtml('<p style="color:red" class="big" id="x" onclick="steal()">Hi<script>alert(1)</script><style>p{display:none}</style></p><img src=x onerror=alert(1)><body onload=alert(1)>ok</body>');
    expect(out).toBe('<p>Hi</p>ok');
    harmless(out);
  });

  it('refuses javascript:, data:, vbscript: and protocol-relative links however they are spelt, keeping the text', () => {
    for (const href of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'javascript&#58;alert(1)', '&#106;avascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox(1)', '//evil.example/x', 'ftp://x.example']) {
      const out = sanitizeInfoHtml(`<p><a href="${href}" target="_self">link</a></p>`);
      expect(out, href).toBe('<p>link</p>');
      harmless(out);
    }
  });

  it('mends nested and unclosed tags, and maps editor tags (div, h1) to allowed ones', () => {
    expect(sanitizeInfoHtml('<p>unclosed <b>bold <i>both')).toBe('<p>unclosed <b>bold <i>both</i></b></p>');
    expect(sanitizeInfoHtml('<ul><li>one<li>two</ul>')).toBe('<ul><li>one</li><li>two</li></ul>');
    expect(sanitizeInfoHtml('<div>para</div><h1>Title</h1><h4>sub</h4>')).toBe('<p>para</p><h2>Title</h2><h3>sub</h3>');
    const nested = sanitizeInfoHtml('<b><i><u><s><a href="https://x.ru"><script>x</script><span onclick="y">deep</span></a></s></u></i></b>');
    expect(nested).toBe(`<b><i><u><s><a href="https://x.ru" ${LINK}>deep</a></s></u></i></b>`);
    harmless(nested);
  });

  it('takes svg, math, iframes, forms and comments away; escapes what is only text', () => {
    const out = sanitizeInfoHtml('<svg><a xlink:href="javascript:alert(1)"><text>svg</text></a></svg><math><mi>m</mi></math><iframe srcdoc="<script>x</script>"></iframe><form action="https://x"><input value="v"><button formaction="javascript:x">b</button></form><!-- <script>c</script> -->&lt;script&gt;alert(1)&lt;/script&gt;');
    harmless(out);
    expect(out).toBe('b&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('an empty-looking page is empty; very long input is cut before parsing and stays harmless', () => {
    expect(sanitizeInfoHtml('<p> </p><br><script>x</script><p>&nbsp;</p>')).toBe('');
    const long = `<p>${'<b onmouseover="x()">a</b><script>y</script>'.repeat(20_000)}`;
    expect(long.length).toBeGreaterThan(MAX_INFO_HTML_INPUT);
    const started = Date.now();
    const out = sanitizeInfoHtml(long);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(out.length).toBeLessThanOrEqual(MAX_INFO_HTML_INPUT);
    harmless(out);
    expect(out.startsWith('<p><b>a</b><b>a</b>')).toBe(true);
  });

  it('its plain form: tags stripped, list items as "• ", links as "text (url)"', () => {
    const html = sanitizeInfoHtml('<h2>О нас</h2><p>Кофе &amp; <b>десерты</b></p><ul><li>Латте</li><li>Раф</li></ul><p><a href="https://zerno.ru">Сайт</a>, <a href="tel:+74951234567">+74951234567</a>, <a href="mailto:hi@zerno.ru">почта</a></p>');
    expect(infoPlainText(html)).toBe('О нас\n\nКофе & десерты\n\n• Латте\n• Раф\n\nСайт (https://zerno.ru), +74951234567, почта (hi@zerno.ru)');
  });
});
