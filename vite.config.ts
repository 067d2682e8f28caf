import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from app://chronokey with a strict CSP (script-src 'self';
// style-src 'self'), so everything ships as files: relative base, no inline scripts or styles.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    // Never inline assets as data: URLs or modules as inline scripts; the CSP would block them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 6000,
  },
});
