// The lessons' full-text search index, written by Pagefind into the built site's pagefind/ folder
// after `astro build` (astro.config.mjs). Only the lessons' text is indexed (the <main> marked
// `data-pagefind-body` in src/layouts/Lesson.astro): not the widgets' controls, not KaTeX's
// glyph-by-glyph HTML. The browser side is src/scripts/search.ts.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/** What Pagefind leaves out of a lesson's text: the widgets (their questions aside) and maths. */
export const excluded = ['.widget:not(.question)', '.katex', 'nav.pager'];

/** The files in pagefind/ that the course does not use: Pagefind's own UIs (src/scripts/search.ts). */
const unusedUi = [
  'pagefind-ui.js',
  'pagefind-ui.css',
  'pagefind-modular-ui.js',
  'pagefind-modular-ui.css',
  'pagefind-component-ui.js',
  'pagefind-component-ui.css',
  'pagefind-highlight.js',
];

/**
 * Indexes the lessons of the built site in `dir` and writes `dir`/pagefind/.
 * @param {string} dir the built site
 * @returns {Promise<{ pages: number, seconds: number }>}
 */
export async function writeSearchIndex(dir) {
  const started = performance.now();
  const pagefind = await import('pagefind');
  try {
    const { index, errors } = await pagefind.createIndex({
      excludeSelectors: excluded,
      forceLanguage: 'en',
    });
    if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
    const added = await index.addDirectory({ path: dir });
    if (added.errors.length > 0) throw new Error(`Pagefind: ${added.errors.join('; ')}`);
    if (added.page_count === 0) throw new Error(`Pagefind found no lesson to index in ${dir}.`);
    const written = await index.writeFiles({ outputPath: join(dir, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
    for (const file of unusedUi) rmSync(join(dir, 'pagefind', file), { force: true });
    return { pages: added.page_count, seconds: (performance.now() - started) / 1000 };
  } finally {
    await pagefind.close();
  }
}
