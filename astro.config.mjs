// Astro configuration: a static course site with MDX lessons, KaTeX math and Svelte islands.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import svelte from '@astrojs/svelte';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';

/** Cross-origin isolation lets onnxruntime-web use threaded WASM (SharedArrayBuffer). */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  output: 'static',
  srcDir: './src',
  integrations: [mdx(), svelte()],
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
