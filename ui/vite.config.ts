import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';

// The catalogues (one per language, loaded when the language is first shown)
// are fetched beside the first script: the sign-in form waits for one of them.
function preloadCatalogues(): Plugin {
  return {
    name: 'tillit-preload-catalogues',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const catalogues = Object.keys(context.bundle ?? {}).filter((file) => /^assets\/(en|sv)-[\w-]+\.js$/.test(file));
        return {
          html,
          tags: catalogues.map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
            injectTo: 'head' as const,
          })),
        };
      },
    },
  };
}

// The window loads the built files from ui/dist (tauri.conf.json `frontendDist`);
// `tauri dev` uses the dev server on a fixed port instead.
export default defineConfig({
  plugins: [svelte(), preloadCatalogues()],
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
