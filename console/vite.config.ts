import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served by amiwatch itself from dist/console: every asset bundled, no CDN.
// Preact's JSX through esbuild's automatic runtime needs no framework plugin.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
