// Astro configuration: a static course site with MDX lessons, KaTeX math and Svelte islands.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import svelte from '@astrojs/svelte';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import remarkMathExpressions from './scripts/remark-math-expressions.mjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildId } from './scripts/build-id.mjs';
import { isolationHeaders, writeHeaders } from './scripts/headers.mjs';
import { precacheList } from './scripts/precache.mjs';
import { writeSearchIndex } from './scripts/search-index.mjs';

/** The inline scripts Astro does not hash itself (src/layouts/Base.astro, Lesson.astro), by hash. */
const inlineScripts = ['src/scripts/fold-on-phone.js', 'src/scripts/theme.js'].map(
  (path) => `sha256-${createHash('sha256').update(readFileSync(path)).digest('base64')}`,
);

/** The path the site is served under: `/` by default, `SITE_BASE=/course/` for a project page. */
const base = (process.env.SITE_BASE || '/').replace(/\/*$/, '/');
if (!/^\/[\w./-]*$/.test(base) || base.includes('..')) {
  throw new Error(`SITE_BASE must be a path such as /course/, not ${JSON.stringify(base)}.`);
}

/** The build every export records: the package's version and, in a git checkout, its commit. */
const courseBuild = (() => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' });
    return `${version}+${commit.trim()}`;
  } catch {
    return version;
  }
})();

/**
 * Writes the lessons' search index (scripts/search-index.mjs), then compiles
 * src/service-worker.ts into the build as /sw.js, its cache named after the build, with the list
 * of pages and small assets it keeps at install (scripts/precache.mjs).
 */
function serviceWorker() {
  return {
    name: 'service-worker',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const { build } = await import('esbuild');
        const out = fileURLToPath(dir);
        writeHeaders(out, base);
        // The search index first, so that the cache's name and its list of files cover it.
        const search = await writeSearchIndex(out);
        console.log(`Search: ${search.pages} lessons indexed in ${search.seconds.toFixed(1)} s`);
        // Built before sw.js exists, so the name covers every other file; the time orders builds
        // (the worker keeps the newest two caches, for tabs still open on the previous build).
        const name = `${Date.now().toString(36)}-${buildId(out)}`;
        await build({
          entryPoints: ['src/service-worker.ts'],
          outfile: join(out, 'sw.js'),
          bundle: true,
          minify: true,
          format: 'iife',
          define: {
            BUILD_ID: JSON.stringify(name),
            PRECACHE: JSON.stringify(precacheList(out, base)),
            OFFLINE_PAGE: JSON.stringify(`${base}offline/`),
          },
          logLevel: 'warning',
        });
      },
    },
  };
}

export default defineConfig({
  output: 'static',
  base,
  security: {
    // Only the site's own files run. Astro hashes its inline scripts and styles into a <meta> CSP
    // on each page; the build writes the same policy into _headers (scripts/headers.mjs).
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        // KaTeX's fonts, the smallest inlined by the bundler as data: URLs
        "font-src 'self' data:",
        "worker-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      // onnxruntime-web compiles its .wasm; nothing else is evaluated.
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"], hashes: inlineScripts },
      // KaTeX and the widgets set style="" attributes; <style> elements stay hashed.
      styleDirective: {
        resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }],
      },
    },
  },
  srcDir: './src',
  integrations: [mdx(), svelte(), serviceWorker()],
  markdown: {
    // KaTeX at build time: a TeX error fails the build instead of reaching a reader.
    processor: unified({
      // An MDX expression inside $…$ is printed as code: remark-math-expressions fails the build.
      remarkPlugins: [remarkMath, remarkMathExpressions],
      rehypePlugins: [[rehypeKatex, { strict: 'error', throwOnError: true }]],
    }),
  },
  server: { headers: isolationHeaders },
  devToolbar: { enabled: false },
  // Every stylesheet a file of its own: Astro's CSP hashes only some inlined <style> elements.
  build: { inlineStylesheets: 'never' },
  vite: {
    server: { fs: { allow: ['.'] } },
    define: { __COURSE_BUILD__: JSON.stringify(courseBuild) },
  },
});
