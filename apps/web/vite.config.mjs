// Vite builds the web app (tools/web-build.ts runs `vite build apps/web --outDir <dir>`). Vite 8
// transforms TSX itself (Oxc, React's automatic runtime), so no plugin. Served by the API under /app/.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/app/',
  // No inline script or style in the output: the API serves it under a strict Content-Security-Policy.
  build: { target: 'es2022', assetsInlineLimit: 0, sourcemap: false, reportCompressedSize: false },
  logLevel: 'warn',
});
