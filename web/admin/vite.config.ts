// The admin panel: plain TypeScript, served by Kopilka under /admin/ (src/http/cardStatic.ts, mountAdminStatic).
// Build from the repository root with `npm run build:web` (root = this folder, output in ./dist).
import { defineConfig, type Plugin } from 'vite';

/** The page's Content-Security-Policy, also sent as a header by the server (ADMIN_CSP in src/http/cardStatic.ts). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/** The CSP as a <meta> in the built index.html only (the dev server injects inline styles the policy would refuse). */
function cspMeta(): Plugin {
  return {
    name: 'kopilka-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  base: '/admin/',
  publicDir: false,
  plugins: [cspMeta()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: ['es2020', 'safari14', 'chrome87'],
    modulePreload: { polyfill: false },
    assetsInlineLimit: 4096,
    reportCompressedSize: false,
  },
});
