// The headers a static host sends with the built site, written as dist/_headers (the format of
// Netlify and Cloudflare Pages; docs/deploying.md says what other hosts need).
//
// The Content-Security-Policy is the one Astro writes into each page's <meta> (astro.config.mjs),
// its hashes of inline scripts and styles merged over all pages, plus what only a header can say
// (frame-ancestors). The header matters beyond the meta: workers take their policy from the
// header of their own script, and onnxruntime-web compiles WebAssembly there.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Cross-origin isolation lets onnxruntime-web use threaded WASM (SharedArrayBuffer). */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

/** The policy in a page's <meta http-equiv="content-security-policy">, or undefined. */
export function metaPolicy(html) {
  const tag = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(html);
  return tag?.[1];
}

/** Policies merged directive by directive, each directive's sources in first-seen order. */
export function mergePolicies(policies) {
  const merged = new Map();
  for (const policy of policies) {
    for (const part of policy.split(';')) {
      const [directive, ...sources] = part.trim().split(/\s+/);
      if (!directive) continue;
      const into = merged.get(directive) ?? new Set();
      for (const source of sources) into.add(source);
      merged.set(directive, into);
    }
  }
  return [...merged].map(([directive, sources]) => [directive, ...sources].join(' ')).join('; ');
}

/** Writes `dir`/_headers for a site served under `base` ("/" or "/course/"). */
export function writeHeaders(dir, base) {
  const pages = htmlFiles(dir);
  const policies = pages.map((path) => metaPolicy(readFileSync(path, 'utf8')));
  const missing = pages.filter((_, i) => !policies[i]);
  if (missing.length > 0) throw new Error(`No CSP <meta> in ${missing.join(', ')}`);
  const policy = `${mergePolicies(policies)}; frame-ancestors 'self'`;
  const headers = { ...isolationHeaders, 'Content-Security-Policy': policy };
  const lines = [`${base}*`, ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`)];
  writeFileSync(join(dir, '_headers'), lines.join('\n') + '\n');
}
