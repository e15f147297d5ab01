// The API reference page served at /api/docs: one self-contained HTML document (inline CSS and vanilla JS, no CDN,
// no external URL, no dependency) that fetches the OpenAPI 3.1 document from `specUrl` and renders it in the browser.
// The spec is treated as data: the page builds DOM nodes with textContent, never innerHTML.

export interface ApiDocsOptions {
  /** Where the page fetches the OpenAPI JSON document, e.g. `/api/v1/openapi.json` (same origin). */
  specUrl: string;
  /** The initial page title, shown until the spec is loaded (then `info.title` is the heading). */
  title?: string;
}

export function apiDocsHtml(opts: ApiDocsOptions): string {
  const title = escapeHtml(opts.title ?? 'API reference');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'">
<title>${title}</title>
<style>${CSS}</style>
</head>
<body>
<div class="wrap">
<nav aria-label="Operations"><input id="q" type="search" placeholder="Filter by path or summary" aria-label="Filter operations by path or summary" autocomplete="off"><div id="nav"></div></nav>
<main id="main"><h1>${title}</h1><p class="mut">Loading the API description&hellip;</p></main>
</div>
<noscript><p class="err">This page needs JavaScript to render the API description.</p></noscript>
<script>
const SPEC_URL = ${scriptJson(opts.specUrl)};
${CLIENT_JS}</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element: no `</script>`, `<!--` or line separators can leak through. */
function scriptJson(value: string): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const CSS = `
:root{--bg:#fff;--fg:#1c2230;--mut:#5d6676;--ln:#e2e5eb;--sf:#f6f7f9;--cd:#eef1f5;--ac:#2456d6;--er:#b42318;--erb:#fdeceb;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#121519;--fg:#e3e6eb;--mut:#98a1b0;--ln:#2b313a;--sf:#181c22;--cd:#232932;--ac:#86a8ff;--er:#ff8a80;--erb:#3a1d1b}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
code,pre,.ty,.mt,.st,.m,.ni small{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{font-size:13px;background:var(--cd);padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
a{color:var(--ac)}
.wrap{display:grid;grid-template-columns:290px minmax(0,1fr)}
nav{position:sticky;top:0;height:100vh;overflow:auto;padding:12px;background:var(--sf);border-right:1px solid var(--ln)}
#q{width:100%;padding:8px 10px;font:inherit;color:inherit;background:var(--bg);border:1px solid var(--ln);border-radius:6px}
.ngh{margin:14px 0 4px;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:var(--mut)}
.ni{display:block;padding:4px 6px;border-radius:5px;color:inherit;text-decoration:none;font-size:14px}
.ni:hover,.ni:focus{background:var(--cd)}
.ni small{display:block;color:var(--mut);font-size:12px;overflow-wrap:anywhere}
main{padding:20px 28px 60px;max-width:1040px}
h1{margin:0 0 8px;font-size:26px}
h2{margin:36px 0 4px;padding-bottom:4px;font-size:21px;border-bottom:2px solid var(--ln)}
h3{margin:8px 0 4px;font-size:17px}
h4{margin:16px 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.03em;color:var(--mut)}
.ver{margin-left:8px;padding:2px 8px;font-size:13px;border-radius:10px;background:var(--cd);vertical-align:middle}
.desc p{margin:6px 0;white-space:pre-line}
.note{margin:14px 0;padding:8px 14px;border-left:3px solid var(--ac);background:var(--sf);border-radius:0 6px 6px 0}
.note p{margin:4px 0}
.op{margin:20px 0;padding:14px 16px;border:1px solid var(--ln);border-radius:8px;scroll-margin-top:8px}
.oph{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.oph code{font-size:14px;background:none;padding:0}
.m{display:inline-block;min-width:52px;padding:1px 6px;border-radius:4px;text-align:center;color:#fff;background:#5d6676;font-size:11px;font-weight:700;line-height:1.7;text-transform:uppercase}
.get{background:#1d7a4c}.post{background:#2456d6}.put{background:#8a5a00}.patch{background:#7a4fc4}.delete{background:#b42318}
.ni .m{min-width:46px;margin-right:6px;font-size:10px}
.mut{color:var(--mut)}.req,.dep{color:var(--er);font-size:12px;font-weight:600}
.tw{overflow-x:auto;margin:6px 0}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{padding:6px 8px;text-align:left;vertical-align:top;border-top:1px solid var(--ln)}
th{font-size:12px;font-weight:600;color:var(--mut);border-top:0}
td p,td .desc p{margin:0 0 4px}
td:first-child code{white-space:nowrap;overflow-wrap:normal}
.ty{font-size:13px;color:var(--ac)}
.sub>td{border-top:0;padding:0 0 6px 18px}
summary{cursor:pointer}
.sub summary{font-size:12px;color:var(--mut)}
.f span{overflow-wrap:anywhere;display:inline-block;margin:2px 4px 2px 0;padding:0 6px;border-radius:4px;background:var(--cd);font-size:12px}
.mt{margin:10px 0 2px;font-size:12px;color:var(--mut)}
.resp{margin:6px 0;padding:6px 10px;border:1px solid var(--ln);border-radius:6px}
.st{display:inline-block;min-width:44px;font-weight:700}
.s2{color:#1f9d5c}.s3{color:var(--ac)}.s4{color:#c27400}.s5{color:var(--er)}
pre.ex{margin:4px 0 8px;padding:10px 12px;background:var(--cd);border-radius:6px;overflow:auto;font-size:13px}
.alt{margin:6px 0;padding:4px 0 4px 12px;border-left:2px solid var(--ln)}
.lbl{font-size:13px;font-weight:600}
.err{padding:12px 14px;border:1px solid var(--er);background:var(--erb);border-radius:6px}
.hide{display:none!important}
@media (max-width:820px){.wrap{display:block}nav{position:static;height:auto;max-height:40vh;border-right:0;border-bottom:1px solid var(--ln)}main{padding:14px 12px 40px}.op{padding:10px}}
`.trim();

// Browser code, kept as plain ES2020 text (String.raw: backslashes stay as written; no backticks or dollar-brace inside).
// Whole-line comments and indentation are dropped when the module loads, to keep the page light.
const CLIENT_JS = String.raw`(() => {
'use strict';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const FMT = { 'date-time': '2025-01-31T12:00:00Z', date: '2025-01-31', time: '12:00:00Z', email: 'user@example.com',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6', uri: 'urn:example:resource', 'uri-reference': '/path', ipv4: '192.0.2.1' };
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const q = document.getElementById('q');
let spec = {};
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const entries = (o) => (isObj(o) ? Object.entries(o) : []);
const show = (v) => (typeof v === 'string' && v ? v : JSON.stringify(v));

// DOM building: attributes and text only (text nodes), so spec content can never become markup.
function h(tag, attrs, kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, kids);
  return el;
}
function add(el, kid) {
  if (kid === null || kid === undefined || kid === false) return;
  if (Array.isArray(kid)) kid.forEach((k) => add(el, k));
  else el.appendChild(typeof kid === 'object' ? kid : document.createTextNode(String(kid)));
}
function paras(text, cls) {
  if (typeof text !== 'string' || !text.trim()) return null;
  return h('div', { class: cls || 'desc' }, text.trim().split(/\r?\n[ \t]*\r?\n/).map((p) => h('p', null, p.trim())));
}
const table = (heads, rows) => h('div', { class: 'tw' }, h('table', null, [
  h('thead', null, h('tr', null, heads.map((x) => h('th', null, x)))), h('tbody', null, rows)]));

// $ref resolution (local JSON pointers only), following chains but never looping.
function ptr(ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  let cur = spec;
  for (const raw of ref.slice(2).split('/')) {
    let key = raw;
    try { key = decodeURIComponent(raw); } catch (e) { key = raw; }
    key = key.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}
function deref(o) {
  let name = null, ref = null;
  const hops = new Set();
  while (isObj(o) && typeof o.$ref === 'string') {
    if (hops.has(o.$ref)) return { s: {}, name, ref };
    hops.add(o.$ref);
    if (!ref) { ref = o.$ref; name = ref.split('/').pop().replace(/~1/g, '/').replace(/~0/g, '~'); }
    const t = ptr(o.$ref);
    if (t === undefined) return { s: {}, name, ref };
    o = t;
  }
  return { s: isObj(o) ? o : {}, name, ref };
}
function isNull(c) {
  const s = deref(c).s;
  return s.type === 'null' || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === 'null');
}
function mergeAll(s, d) {
  const out = Object.assign({}, s, { properties: Object.assign({}, isObj(s.properties) ? s.properties : {}),
    required: Array.isArray(s.required) ? s.required.slice() : [] });
  delete out.allOf;
  for (const part of s.allOf) {
    const p = info(part, d + 1).s;
    Object.assign(out.properties, isObj(p.properties) ? p.properties : {});
    if (Array.isArray(p.required)) out.required.push(...p.required);
    for (const k of ['type', 'description', 'items', 'additionalProperties', 'enum', 'format', 'oneOf', 'anyOf']) {
      if (out[k] === undefined && p[k] !== undefined) out[k] = p[k];
    }
  }
  if (!Object.keys(out.properties).length) delete out.properties;
  return out;
}
// A schema, resolved: its name (when it came from a $ref), types without "null", nullability and alternatives.
function info(raw, d) {
  d = d || 0;
  const r = deref(raw);
  let s = r.s, name = r.name, ref = r.ref;
  if (Array.isArray(s.allOf) && d < 8) {
    if (s.allOf.length === 1 && !s.properties && !name) ({ name, ref } = deref(s.allOf[0]));
    s = mergeAll(s, d);
  }
  let types = Array.isArray(s.type) ? s.type.slice() : typeof s.type === 'string' ? [s.type] : [];
  let nullable = s.nullable === true || types.includes('null');
  types = types.filter((t) => t !== 'null');
  const desc = isObj(raw) && typeof raw.description === 'string' ? raw.description : s.description;
  const kind = Array.isArray(s.oneOf) ? 'oneOf' : Array.isArray(s.anyOf) ? 'anyOf' : null;
  let alts = null;
  if (kind) {
    const rest = s[kind].filter((c) => !isNull(c));
    if (rest.length < s[kind].length) nullable = true;
    if (rest.length === 1 && !types.length && !s.properties && d < 8) {
      const inner = info(rest[0], d + 1);
      return Object.assign({}, inner, { nullable: true, name: name || inner.name, ref: ref || inner.ref, desc: desc || inner.desc });
    }
    if (rest.length) alts = { kind, list: rest };
  }
  return { s, name, ref, nullable, types, alts, desc };
}
const isArr = (i) => i.types.includes('array') || (!i.types.length && i.s.items !== undefined);

function typeLabel(raw, d) {
  d = d || 0;
  if (d > 6) return '\u2026';
  const i = info(raw), s = i.s;
  let t;
  if (i.alts) t = i.alts.list.map((a) => typeLabel(a, d + 1)).join(' | ');
  else if (isArr(i)) t = 'array of ' + (s.items !== undefined ? typeLabel(s.items, d + 1) : 'any');
  else if (i.types.includes('object') || s.properties) {
    const keys = Object.keys(isObj(s.properties) ? s.properties : {});
    t = i.name || (isObj(s.additionalProperties) && !keys.length ? 'map of ' + typeLabel(s.additionalProperties, d + 1)
      : d && keys.length ? '{ ' + keys.slice(0, 3).join(', ') + (keys.length > 3 ? ', \u2026 }' : ' }') : 'object');
  } else {
    const base = i.types.length ? i.types.join(' | ') : 'const' in s ? typeof s.const : Array.isArray(s.enum) ? 'enum' : 'any';
    const extra = [base, s.format].filter(Boolean);
    t = i.name ? i.name + ' (' + extra.join(', ') + ')' : base + (s.format ? ' (' + s.format + ')' : '');
  }
  return i.nullable ? t + ' | null' : t;
}
function factList(raw, prefix) {
  const i = info(raw), s = i.s, f = [];
  const num = (k, label) => { if (typeof s[k] === 'number' && Math.abs(s[k]) !== Number.MAX_SAFE_INTEGER) f.push(label + ' ' + s[k]); };
  if (Array.isArray(s.enum)) f.push('one of: ' + s.enum.map(show).join(', '));
  if ('const' in s) f.push('value: ' + show(s.const));
  num('minimum', 'min'); num('exclusiveMinimum', '>'); num('maximum', 'max'); num('exclusiveMaximum', '<');
  num('multipleOf', 'multiple of'); num('minLength', 'min length'); num('maxLength', 'max length');
  num('minItems', 'min items'); num('maxItems', 'max items'); num('minProperties', 'min fields');
  if (typeof s.pattern === 'string' && !s.format) f.push('pattern ' + s.pattern);
  if (s.uniqueItems) f.push('unique items');
  if (s.default !== undefined) f.push('default ' + show(s.default));
  const ex = Array.isArray(s.examples) && s.examples.length ? s.examples[0] : s.example;
  if (ex !== undefined && (ex === null || typeof ex !== 'object')) f.push('example ' + show(ex));
  for (const k of ['readOnly', 'writeOnly', 'deprecated']) {
    if (s[k] || (isObj(raw) && raw[k])) f.push(k === 'deprecated' ? k : k.slice(0, -4) + '-only');
  }
  const out = f.map((x) => prefix + x);
  if (!prefix && !i.alts && isArr(i) && s.items !== undefined) {
    const it = info(s.items);
    if (!it.alts && !it.s.properties && !isArr(it)) out.push(...factList(s.items, 'items: '));
  }
  return out;
}
function facts(raw) {
  const f = factList(raw, '');
  return f.length ? h('div', { class: 'f' }, f.map((x) => h('span', null, x))) : null;
}

// Nested structure of a schema: property tables, alternatives, array items; cycles stop at "see above".
function block(raw, seen, d) {
  if (d > 10) return null;
  const i = info(raw), s = i.s;
  if (i.ref && seen.includes(i.ref)) return h('p', { class: 'mut' }, (i.name || 'schema') + ' (recursive: see above)');
  const next = i.ref ? seen.concat(i.ref) : seen;
  const parts = [];
  if (isObj(s.properties) && Object.keys(s.properties).length) parts.push(props(s, next, d));
  if (i.alts) {
    parts.push(h('div', null, [h('div', { class: 'lbl' }, i.alts.kind === 'oneOf' ? 'One of:' : 'Any of:'),
      i.alts.list.map((a, k) => h('div', { class: 'alt' }, [h('div', { class: 'lbl' }, 'Option ' + (k + 1) + ': ' + typeLabel(a)),
        paras(info(a).desc), facts(a), block(a, next, d + 1)]))]));
  } else if (isArr(i) && s.items !== undefined) parts.push(block(s.items, next, d + 1));
  else if (!parts.length && isObj(s.additionalProperties)) parts.push(block(s.additionalProperties, next, d + 1));
  const kept = parts.filter(Boolean);
  return kept.length ? h('div', null, kept) : null;
}
function props(s, seen, d) {
  const req = new Set(Array.isArray(s.required) ? s.required : []);
  const rows = [];
  for (const [name, p] of entries(s.properties)) {
    rows.push(h('tr', null, [
      h('td', null, [h('code', null, name), req.has(name) ? h('div', { class: 'req' }, 'required') : null]),
      h('td', { class: 'ty' }, typeLabel(p)),
      h('td', null, [paras(info(p).desc), facts(p)])]));
    const sub = block(p, seen, d + 1);
    if (sub) rows.push(h('tr', { class: 'sub' }, h('td', { colspan: 3 }, h('details', { open: d < 2 }, [h('summary', null, 'Fields of ' + name), sub]))));
  }
  return table(['Name', 'Type', 'Description'], rows);
}
function schemaView(raw) {
  return h('div', null, [h('div', null, [h('span', { class: 'mut' }, 'Schema: '), h('code', { class: 'ty' }, typeLabel(raw))]),
    paras(info(raw).desc), facts(raw), block(raw, [], 0)]);
}

// Example value generated from a schema (examples/example/default first); read-only fields are left out.
function gen(raw, seen, d) {
  if (d > 8) return undefined;
  const r = deref(raw);
  if (r.ref && seen.includes(r.ref)) return undefined;
  seen = r.ref ? seen.concat(r.ref) : seen;
  let s = r.s;
  if (Array.isArray(s.allOf)) s = mergeAll(s, d);
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  const alts = s.oneOf || s.anyOf;
  if (Array.isArray(alts)) {
    const a = alts.find((c) => !isNull(c));
    return a === undefined ? null : gen(a, seen, d + 1);
  }
  let t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (!t) t = s.properties ? 'object' : s.items !== undefined ? 'array' : undefined;
  if (t === 'object') {
    const o = {};
    for (const [k, p] of entries(s.properties)) {
      if ((isObj(p) && p.readOnly) || deref(p).s.readOnly) continue;
      const v = gen(p, seen, d + 1);
      if (v !== undefined) o[k] = v;
    }
    if (!s.properties && isObj(s.additionalProperties)) {
      const v = gen(s.additionalProperties, seen, d + 1);
      if (v !== undefined) o.key = v;
    }
    return o;
  }
  if (t === 'array') {
    const v = s.items !== undefined ? gen(s.items, seen, d + 1) : undefined;
    return v === undefined ? [] : [v];
  }
  if (t === 'string') {
    let v = FMT[s.format] || 'string';
    if (typeof s.maxLength === 'number' && v.length > s.maxLength) v = v.slice(0, s.maxLength);
    if (typeof s.minLength === 'number' && v.length < s.minLength) v = v.padEnd(s.minLength, 'x');
    return v;
  }
  if (t === 'integer' || t === 'number') {
    if (typeof s.minimum === 'number') return s.minimum;
    if (typeof s.exclusiveMinimum === 'number') return s.exclusiveMinimum + 1;
    return typeof s.maximum === 'number' ? Math.min(1, s.maximum) : 1;
  }
  if (t === 'boolean') return true;
  return null;
}
function mediaExample(m) {
  if (m.example !== undefined) return m.example;
  for (const [, e] of entries(m.examples)) { const x = deref(e).s; if (x.value !== undefined) return x.value; }
  return m.schema === undefined ? undefined : gen(m.schema, [], 0);
}

function security(op) {
  const req = Array.isArray(op.security) ? op.security : Array.isArray(spec.security) ? spec.security : null;
  if (!req) return null;
  const schemes = isObj(spec.components) ? spec.components.securitySchemes : null;
  const alts = req.filter(isObj).map((r) => Object.keys(r).map((n) => {
    const sc = deref(isObj(schemes) ? schemes[n] : null).s;
    const scopes = Array.isArray(r[n]) && r[n].length ? ' [' + r[n].join(', ') + ']' : '';
    if (sc.type === 'http' && String(sc.scheme).toLowerCase() === 'bearer') return 'Bearer API key (Authorization: Bearer <key>)' + scopes;
    if (sc.type === 'apiKey') return 'API key in ' + sc.in + ' ' + sc.name + scopes;
    return n + scopes;
  }).join(' + ') || 'none');
  const text = !alts.length ? 'none (public)' : alts.join(' or ');
  return h('p', null, [h('strong', null, 'Security: '), text]);
}
function params(path, item, op) {
  const map = new Map();
  for (const p of [].concat(Array.isArray(item.parameters) ? item.parameters : [], Array.isArray(op.parameters) ? op.parameters : [])) {
    const x = deref(p).s;
    if (x.name) map.set(x.in + ':' + x.name, x);
  }
  if (!map.size) return null;
  const order = { path: 0, query: 1, header: 2, cookie: 3 };
  const rows = [...map.values()].sort((a, b) => (order[a.in] ?? 9) - (order[b.in] ?? 9)).map((p) => {
    const sch = p.schema !== undefined ? p.schema : entries(p.content).map(([, m]) => isObj(m) && m.schema).find(Boolean);
    return h('tr', null, [
      h('td', null, [h('code', null, p.name), h('div', { class: 'mut' }, [p.in, p.required ? h('span', { class: 'req' }, ' \u00b7 required') : null])]),
      h('td', { class: 'ty' }, sch ? typeLabel(sch) : 'string'),
      h('td', null, [paras(p.description || (sch && info(sch).desc)), sch ? facts(sch) : null, p.deprecated ? h('span', { class: 'dep' }, 'deprecated') : null])]);
  });
  return [h('h4', null, 'Parameters'), table(['Name', 'Type', 'Description'], rows)];
}
function requestBody(op) {
  if (op.requestBody === undefined) return null;
  const rb = deref(op.requestBody).s;
  const out = [h('h4', null, ['Request body ', h('span', { class: rb.required ? 'req' : 'mut' }, rb.required ? 'required' : 'optional')]), paras(rb.description)];
  for (const [mt, m] of entries(rb.content)) {
    out.push(h('div', { class: 'mt' }, mt));
    if (!isObj(m)) continue;
    if (m.schema !== undefined) out.push(schemaView(m.schema));
    const ex = mediaExample(m);
    if (ex !== undefined) out.push(h('div', { class: 'lbl' }, 'Example'), h('pre', { class: 'ex' }, typeof ex === 'string' && !/json/.test(mt) ? ex : JSON.stringify(ex, null, 2)));
  }
  return out;
}
function responses(op) {
  const list = entries(op.responses);
  if (!list.length) return null;
  return [h('h4', null, 'Responses'), list.map(([code, raw]) => {
    const r = deref(raw).s;
    const body = [];
    for (const [mt, m] of entries(r.content)) {
      body.push(h('div', { class: 'mt' }, mt));
      if (isObj(m) && m.schema !== undefined) body.push(schemaView(m.schema));
    }
    const hs = Object.keys(isObj(r.headers) ? r.headers : {});
    if (hs.length) body.push(h('p', { class: 'mut' }, ['Headers: ', hs.map((x, k) => [k ? ', ' : '', h('code', null, x)])]));
    const head = [h('span', { class: 'st s' + String(code)[0] }, code), ' ', r.description || ''];
    return body.length
      ? h('details', { class: 'resp', open: String(code)[0] === '2' }, [h('summary', null, head), body])
      : h('div', { class: 'resp' }, head);
  })];
}

function collect() {
  const paths = isObj(spec.paths) ? spec.paths : {};
  const keys = Object.keys(paths);
  const segs = keys.map((p) => p.split('/').filter(Boolean));
  const min = Math.min(...segs.map((x) => x.length));
  let pre = 0;
  while (segs.length && pre < min - 1 && segs.every((x) => x[pre] === segs[0][pre] && !x[pre].startsWith('{'))) pre++;
  const groups = new Map();
  for (const t of Array.isArray(spec.tags) ? spec.tags : []) {
    if (isObj(t) && typeof t.name === 'string') groups.set(t.name, { name: t.name, desc: t.description, ops: [] });
  }
  const used = new Set();
  keys.forEach((path, n) => {
    const item = deref(paths[path]).s;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const g = (Array.isArray(op.tags) && typeof op.tags[0] === 'string' && op.tags[0]) || segs[n][pre] || 'default';
      if (!groups.has(g)) groups.set(g, { name: g, ops: [] });
      let id = 'op-' + String(op.operationId || method + path).replace(/[^A-Za-z0-9_-]+/g, '-');
      while (used.has(id)) id += '_';
      used.add(id);
      groups.get(g).ops.push({ path, method, op, item, id });
    }
  });
  return [...groups.values()].filter((g) => g.ops.length);
}

function header() {
  const inf = isObj(spec.info) ? spec.info : {};
  const text = JSON.stringify(spec).toLowerCase();
  const out = [h('h1', null, [String(inf.title || document.title), inf.version ? h('span', { class: 'ver' }, String(inf.version)) : null])];
  const servers = (Array.isArray(spec.servers) ? spec.servers : []).filter((x) => isObj(x) && typeof x.url === 'string');
  if (servers.length) out.push(h('p', null, ['Base URL: ', servers.map((x, k) => [k ? ', ' : '', h('code', null, x.url)])]));
  out.push(paras(inf.description));
  const bearer = entries(isObj(spec.components) ? spec.components.securitySchemes : null).map(([, v]) => deref(v).s)
    .find((v) => v.type === 'http' && String(v.scheme).toLowerCase() === 'bearer');
  const notes = [h('p', null, [h('strong', null, 'Authentication: '), h('code', null, 'Authorization: Bearer <key>')]), bearer && paras(bearer.description)];
  if (text.includes('idempotency-key')) {
    notes.push(h('p', null, [h('strong', null, 'Idempotency: '), 'send an ', h('code', null, 'Idempotency-Key'),
      ' header with a unique value (for example a UUID) on write requests that accept it; a retry with the same key is not applied twice.']));
  }
  if (text.includes('problem+json')) {
    notes.push(h('p', null, [h('strong', null, 'Errors: '), 'failed requests answer with ', h('code', null, 'application/problem+json'),
      ' (RFC 9457): an object with ', h('code', null, 'type'), ', ', h('code', null, 'title'), ', ', h('code', null, 'status'), ' and ', h('code', null, 'detail'), '.']));
  }
  notes.push(h('p', { class: 'mut' }, ['OpenAPI document: ', h('a', { href: SPEC_URL }, SPEC_URL)]));
  out.push(h('div', { class: 'note' }, notes));
  return out;
}

function render(doc) {
  spec = doc;
  const groups = collect();
  const navOut = [], mainOut = header(), filters = [];
  const empty = h('p', { class: 'mut hide' }, 'No operations match the filter.');
  for (const g of groups) {
    const links = [], secs = [], list = [];
    for (const o of g.ops) {
      const op = o.op;
      const a = h('a', { class: 'ni', href: '#' + o.id }, [h('span', { class: 'm ' + o.method }, o.method), op.summary || o.path, op.summary ? h('small', null, o.path) : null]);
      const sec = h('section', { class: 'op', id: o.id }, [
        h('div', { class: 'oph' }, [h('span', { class: 'm ' + o.method }, o.method), h('code', null, o.path), op.deprecated ? h('span', { class: 'dep' }, 'deprecated') : null]),
        op.summary ? h('h3', null, op.summary) : null,
        paras(op.description), security(op), params(o.path, o.item, op), requestBody(op), responses(op)]);
      links.push(a); secs.push(sec);
      list.push({ a, sec, text: [o.method, o.path, op.summary, op.operationId].filter(Boolean).join(' ').toLowerCase() });
    }
    const ng = h('div', null, [h('div', { class: 'ngh' }, g.name), links]);
    const gs = h('div', null, [h('h2', null, g.name), paras(g.desc), secs]);
    navOut.push(ng); mainOut.push(gs); filters.push({ ng, gs, list });
  }
  if (!groups.length) mainOut.push(h('p', { class: 'mut' }, 'This API description has no operations.'));
  mainOut.push(empty);
  nav.replaceChildren(...navOut);
  main.replaceChildren(...mainOut);
  q.addEventListener('input', () => {
    const term = q.value.trim().toLowerCase();
    let any = false;
    for (const f of filters) {
      let n = 0;
      for (const e of f.list) {
        const ok = !term || e.text.includes(term);
        e.a.classList.toggle('hide', !ok); e.sec.classList.toggle('hide', !ok);
        if (ok) n++;
      }
      f.ng.classList.toggle('hide', !n); f.gs.classList.toggle('hide', !n);
      if (n) any = true;
    }
    empty.classList.toggle('hide', any || !groups.length);
  });
  if (location.hash.length > 1) {
    let id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { id = ''; }
    const el = document.getElementById(id);
    if (el) el.scrollIntoView();
  }
}

function fail(message) {
  main.replaceChildren(h('h1', null, document.title), h('div', { class: 'err', role: 'alert' }, [
    h('strong', null, 'Could not load the API description. '), message,
    h('p', null, ['Source: ', h('code', null, SPEC_URL)])]));
}

fetch(SPEC_URL, { headers: { accept: 'application/json' } })
  .then(async (res) => {
    if (!res.ok) throw new Error('The server answered ' + res.status + (res.statusText ? ' ' + res.statusText : '') + '.');
    let doc;
    try { doc = JSON.parse(await res.text()); } catch (e) { throw new Error('The response is not valid JSON.'); }
    if (!isObj(doc) || (!doc.openapi && !doc.paths)) throw new Error('The response is not an OpenAPI document.');
    return doc;
  })
  .then(render)
  .catch((e) => fail(e && e.message ? e.message : String(e)));
})();
`
  .replace(/^[ \t]*\/\/.*\n/gm, '')
  .replace(/^[ \t]+/gm, '');
