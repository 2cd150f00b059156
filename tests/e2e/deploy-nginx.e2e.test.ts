// The nginx recipe of docs/deploying.md, followed literally: the doc's one ```nginx block, read
// from the doc as it stands, inside the least nginx.conf that runs it (a temporary prefix beside
// the installed mime.types, as /etc/nginx is laid out; a free loopback port), serving the
// SITE_BASE=/course/ build. Two things in the block are replaced, the two the doc asks the reader
// to fill in: the alias (/srv/course/ becomes dist-course/) and the placeholder for the policy
// (the Content-Security-Policy of dist-course/_headers). nginx comes from scripts/ensure-nginx.mjs;
// E2E_WITHOUT_NGINX=1 skips this file, and without either it fails.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlyBlock } from '../doc-blocks.ts';
import { parseHeaders } from './static-host.ts';
import { findNginx, withoutNginx } from './nginx-path.ts';
import { openWidget, useBrowser, watchedPage } from './browser.ts';

const build = resolve('dist-course');
const docAlias = 'alias /srv/course/;';
const docPolicy = '"…the line from dist/_headers…"';

/** The type a browser needs for each kind of file the build has (no .mjs yet), by extension. */
const neededTypes: Record<string, RegExp> = {
  '.html': /^text\/html\b/,
  '.js': /^(text|application)\/javascript\b/,
  '.mjs': /^(text|application)\/javascript\b/,
  '.css': /^text\/css\b/,
  '.wasm': /^application\/wasm$/,
  '.json': /^application\/json\b/,
  '.svg': /^image\/svg\+xml\b/,
  '.png': /^image\/png$/,
  '.woff2': /^font\/woff2$/,
  '.woff': /^font\/woff$/,
};

/**
 * Files whose type nothing reads: the site fetches them as bytes (the model, Pagefind's index) or
 * the browser loads them whatever their type (KaTeX's .ttf fallback fonts); `_headers` is for hosts.
 */
const anyType = new Set([
  '',
  '.ttf',
  '.onnx',
  '.safetensors',
  '.pagefind',
  '.pf_fragment',
  '.pf_index',
  '.pf_meta',
]);

/** One file of each extension in `dir`, as paths relative to it. */
function oneFilePerExtension(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const ext = extname(entry.name);
    if (!found.has(ext)) found.set(ext, relative(dir, join(entry.parentPath, entry.name)));
  }
  return found;
}

/** A port free on the loopback address now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** The doc's block with the build's folder for its alias and the build's policy for its own. */
function docBlock(policy: string): string {
  const block = onlyBlock('docs/deploying.md', 'nginx');
  for (const placeholder of [docAlias, docPolicy]) {
    const count = block.split(placeholder).length - 1;
    if (count !== 1) {
      throw new Error(`docs/deploying.md's nginx block should have ${placeholder} once: ${count}.`);
    }
  }
  if (/["\\]/.test(policy)) throw new Error(`A policy nginx cannot quote as it is: ${policy}`);
  return block.replace(docAlias, `alias ${build}/;`).replace(docPolicy, `"${policy}"`);
}

/** An nginx.conf that does nothing but run `block` on `port`, everything it writes in `prefix`. */
function nginxConf(prefix: string, port: number, block: string): string {
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];
  return [
    'daemon off;',
    // One process, so the worker does not switch to the user "nobody", who may not read the build.
    'master_process off;',
    'error_log stderr warn;',
    `pid ${prefix}/nginx.pid;`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    // As every stock nginx.conf has it: a file of a type nginx does not know is bytes to download.
    '  default_type application/octet-stream;',
    ...temps.map((name) => `  ${name}_temp_path ${prefix}/${name};`),
    '  server {',
    `    listen 127.0.0.1:${port};`,
    block,
    '  }',
    '}',
  ].join('\n');
}

/** Runs lesson 6's calculator on WASM and returns its answer to 25 + 100 mod 113. */
async function calculate(page: Page, site: string): Promise<string | null> {
  const calc = await openWidget(page, '/lessons/06-fourier-multiplication/', 'calculator', site);
  await calc.getByRole('button', { name: 'Run the model' }).click();
  await calc.getByTestId('calc-answer').waitFor({ timeout: 120_000 });
  return calc.getByTestId('calc-answer').textContent();
}

describe.skipIf(withoutNginx)('the nginx block of docs/deploying.md, as written', () => {
  const browser = useBrowser();
  const rules = parseHeaders(readFileSync(join(build, '_headers'), 'utf8'));
  const headers = new Map(rules.flatMap((rule) => rule.headers));
  let prefix = '';
  let site = '';
  let nginx: ChildProcess | undefined;
  let said = '';

  beforeAll(async () => {
    const binary = findNginx();
    if (!binary) {
      throw new Error(
        'No nginx: run `node scripts/ensure-nginx.mjs` (npm run test:e2e does), install nginx, ' +
          'or set E2E_WITHOUT_NGINX=1 to skip this test.',
      );
    }
    // The block's `include mime.types` is read beside nginx.conf, where the install keeps it.
    const version = execFileSync(binary, ['-V'], { encoding: 'utf8', stdio: 'pipe' });
    const confPath = /--conf-path=(\S+)/.exec(version)?.[1] ?? '/etc/nginx/nginx.conf';
    prefix = mkdtempSync(join(tmpdir(), 'deploy-nginx-'));
    symlinkSync(join(dirname(confPath), 'mime.types'), join(prefix, 'mime.types'));
    const port = await freePort();
    const policy = headers.get('Content-Security-Policy') ?? '';
    writeFileSync(join(prefix, 'nginx.conf'), nginxConf(prefix, port, docBlock(policy)));
    nginx = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr']);
    nginx.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
    site = `http://127.0.0.1:${port}/course`;
    for (let tries = 0; ; tries++) {
      if (nginx.exitCode !== null) throw new Error(`nginx stopped:\n${said}`);
      const up = await fetch(site + '/').then(
        () => true,
        () => false,
      );
      if (up) break;
      if (tries === 100) throw new Error(`nginx did not answer on ${site}/ in 10 s:\n${said}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((done) => nginx?.once('exit', done));
      nginx.kill('SIGTERM');
      await exited;
    }
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('loads without a warning and sends the headers of _headers with every file', async () => {
    expect(said, 'what nginx said while loading the block').toBe('');
    const script = readdirSync(join(build, '_astro')).find((name) => name.endsWith('.js'));
    for (const path of ['/', `/_astro/${script}`]) {
      const response = await fetch(site + path);
      expect(response.status, path).toBe(200);
      for (const [name, value] of headers) expect(response.headers.get(name), name).toBe(value);
    }
  });

  it('serves each kind of file of the build with the type a browser needs', async () => {
    const files = oneFilePerExtension(build);
    const unknown = [...files.keys()].filter((ext) => !neededTypes[ext] && !anyType.has(ext));
    expect(unknown, 'new kinds of file: add the type each needs here and in the doc').toEqual([]);
    const home = await fetch(site + '/');
    expect(home.headers.get('content-type')).toMatch(neededTypes['.html']!);
    for (const [ext, file] of files) {
      const needed = neededTypes[ext];
      if (!needed) continue;
      const response = await fetch(`${site}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toMatch(needed);
    }
    for (const ext of ['.html', '.js', '.css', '.wasm']) expect(files.has(ext), ext).toBe(true);
  });

  it('shows the home page in Chromium, cross-origin isolated, and runs the model', async () => {
    const { page, faults } = await watchedPage(browser(), site);
    const response = await page.goto(site + '/');
    expect(response?.headers()['content-type']).toMatch(neededTypes['.html']!);
    expect(await page.title()).not.toBe('');
    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await calculate(page, site)).toBe('12');
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });
});
