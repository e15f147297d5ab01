// The customer card app: plain TypeScript, served by Kopilka under /card/ (src/http/cardStatic.ts).
// Build from the repository root with `npm run build:web` (root = this folder, output in ./dist).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/card/',
  // No public/ folder: every file the page needs is bundled and hashed.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    // Cheap Android phones and older iPhones: Safari 14 and Chrome 87 understand this output.
    target: ['es2020', 'safari14', 'chrome87'],
    modulePreload: { polyfill: false },
    assetsInlineLimit: 4096,
    reportCompressedSize: false,
  },
});
