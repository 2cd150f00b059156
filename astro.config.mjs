// Astro configuration: a static course site with MDX lessons, KaTeX math and Svelte islands.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import svelte from '@astrojs/svelte';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

/** Cross-origin isolation lets onnxruntime-web use threaded WASM (SharedArrayBuffer). */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Every file under `dir` with its size: what the service worker's cache name is a hash of. */
function listing(dir, root = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory()
      ? listing(path, root)
      : [`${relative(root, path)} ${statSync(path).size}`];
  });
}

/** Compiles src/service-worker.ts into the build as /sw.js, its cache named after the build. */
function serviceWorker() {
  return {
    name: 'service-worker',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const { build } = await import('esbuild');
        const out = fileURLToPath(dir);
        const id = createHash('sha256').update(listing(out).sort().join('\n')).digest('hex');
        await build({
          entryPoints: ['src/service-worker.ts'],
          outfile: join(out, 'sw.js'),
          bundle: true,
          minify: true,
          format: 'iife',
          define: { BUILD_ID: JSON.stringify(id.slice(0, 16)) },
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
