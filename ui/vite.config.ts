import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The window loads the built files from ui/dist (tauri.conf.json `frontendDist`);
// `tauri dev` uses the dev server on a fixed port instead.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  // The catalogue (i18n/*.json) sits beside ui/, shared with the core.
  server: { port: 5173, strictPort: true, fs: { allow: [".."] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'safari16',
    // No inline assets: the strict CSP allows only same-origin files.
    assetsInlineLimit: 0,
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
