// What the service worker keeps at its first visit, so that the whole course reads offline: every
// page (small: 2 MB in all), and every style sheet, script and font under 300 KB they load. The
// models, onnxruntime's WebAssembly and the run files are kept as they are first used instead.
// The search index (pagefind/, about 280 KB with its WebAssembly) is kept whole, so that search
// works offline too.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const kept = /\.(css|js|mjs|woff2|svg)$/;
const largest = 300 * 1024;

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

/**
 * The URLs to keep, under `base` (e.g. "/course/"): pages as the reader asks for them (a lesson's
 * folder, "/lessons/x/", not its index.html), then the small assets.
 * @param {string} dir the built site
 * @param {string} base
 * @returns {string[]}
 */
export function precacheList(dir, base) {
  const urls = [];
  for (const path of files(dir)) {
    const rel = relative(dir, path).split(sep).join('/');
    if (rel.endsWith('.html')) urls.push(base + rel.replace(/(^|\/)index\.html$/, '$1'));
    else if (rel.startsWith('pagefind/')) urls.push(base + rel);
    else if (kept.test(rel) && statSync(path).size <= largest && rel !== 'sw.js')
      urls.push(base + rel);
  }
  return urls.sort();
}
