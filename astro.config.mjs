// Astro configuration: a static course site with MDX lessons, KaTeX math and Svelte islands.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import svelte from '@astrojs/svelte';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildId } from './scripts/build-id.mjs';

/** Cross-origin isolation lets onnxruntime-web use threaded WASM (SharedArrayBuffer). */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Compiles src/service-worker.ts into the build as /sw.js, its cache named after the build. */
function serviceWorker() {
  return {
    name: 'service-worker',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const { build } = await import('esbuild');
        const out = fileURLToPath(dir);
        // Built before sw.js exists, so the name covers every other file; the time orders builds
        // (the worker keeps the newest two caches, for tabs still open on the previous build).
        const name = `${Date.now().toString(36)}-${buildId(out)}`;
        await build({
          entryPoints: ['src/service-worker.ts'],
          outfile: join(out, 'sw.js'),
          bundle: true,
          minify: true,
          format: 'iife',
          define: { BUILD_ID: JSON.stringify(name) },
          logLevel: 'warning',
        });
      },
    },
  };
}

export default defineConfig({
  output: 'static',
  srcDir: './src',
  integrations: [mdx(), svelte(), serviceWorker()],
  markdown: {
    // KaTeX at build time: a TeX error fails the build instead of reaching a reader.
    processor: unified({
      remarkPlugins: [remarkMath],
      rehypePlugins: [[rehypeKatex, { strict: 'error', throwOnError: true }]],
    }),
  },
  server: { headers: isolationHeaders },
  devToolbar: { enabled: false },
  vite: {
    server: { fs: { allow: ['.'] } },
  },
});
