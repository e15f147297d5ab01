// The cashier screen: plain TypeScript, served by Kopilka under /cashier/ (src/http/cardStatic.ts, mountStaticApp).
// Build from the repository root with `npm run build:web` (root = this folder, output in ./dist).
import { defineConfig, type Plugin } from 'vite';

/**
 * The page's Content-Security-Policy, also sent as a header by the server (CASHIER_CSP in src/http/cardStatic.ts):
 * only its own files; the camera's stream and photos picked for their QR code as blob:/mediastream:/data:.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; worker-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/** The CSP as a <meta> in the built index.html only (the dev server injects inline styles the policy would refuse). */
function cspMeta(): Plugin {
  return {
    name: 'kopilka-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  base: '/cashier/',
  // No public/ folder: every file the page needs is bundled and hashed.
  publicDir: false,
  plugins: [cspMeta()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    // Till tablets and cheap Android phones: Safari 14 and Chrome 87 understand this output.
    target: ['es2020', 'safari14', 'chrome87'],
    modulePreload: { polyfill: false },
    assetsInlineLimit: 4096,
    reportCompressedSize: false,
  },
});
