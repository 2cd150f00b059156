// The build's identity, which names the service worker's cache: a hash of every file's path and
// content, so that any change to any file (even one that keeps its size) starts a new cache.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir`, with the hash of its content, in a stable order. */
function listing(dir, root = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listing(path, root);
    const content = createHash('sha256').update(readFileSync(path)).digest('hex');
    return [`${relative(root, path)} ${content}`];
  });
}

/** 16 hex digits that change whenever any file under `dir` changes. */
export function buildId(dir) {
  return createHash('sha256').update(listing(dir).sort().join('\n')).digest('hex').slice(0, 16);
}
