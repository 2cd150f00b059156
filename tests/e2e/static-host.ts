// Serves a built site as a static host does: the files of a folder under a base path, a folder's
// index.html for its path, a redirect to add a folder's trailing slash, 404.html for anything
// missing, and, like Netlify or Cloudflare Pages, the headers its _headers file asks for. With
// `headers: false` it is a host that sends none (GitHub Pages): no COOP/COEP, no CSP header.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

export interface HostOptions {
  /** The built site */
  dir: string;
  /** The path it is served under: "/" or "/course/" */
  base?: string;
  /** Send the headers of `dir`/_headers (default true) */
  headers?: boolean;
  /** 0 picks a free port */
  port?: number;
  /** Files whose path matches are sent at this rate, as over a slow link (one 64 KB chunk a tick) */
  slow?: { pattern: RegExp; bytesPerSecond: number };
}

export interface StaticHost {
  /** The site's address, ending in its base path's slash */
  url: string;
  stop: () => Promise<void>;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

interface HeaderRule {
  pattern: RegExp;
  headers: [string, string][];
}

/** The rules of a _headers file: a path pattern (`*` matches anything) and its indented headers. */
export function parseHeaders(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = line
        .trim()
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*');
      rules.push({ pattern: new RegExp(`^${pattern}$`), headers: [] });
      continue;
    }
    const colon = line.indexOf(':');
    const rule = rules.at(-1);
    if (!rule || colon < 0)
      throw new Error(`_headers: cannot read the line ${JSON.stringify(line)}`);
    rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return rules;
}

/** Sends `file` in 64 KB chunks spaced to `bytesPerSecond`; stops if the reader goes away. */
function sendSlowly(res: ServerResponse, file: string, bytesPerSecond: number): void {
  const bytes = readFileSync(file);
  const chunk = 64 * 1024;
  let at = 0;
  const next = () => {
    if (res.destroyed) return;
    if (at >= bytes.length) return void res.end();
    res.write(bytes.subarray(at, at + chunk));
    at += chunk;
    setTimeout(next, (1000 * chunk) / bytesPerSecond);
  };
  next();
}

/** Starts the host; resolves once it listens. */
export async function startHost(options: HostOptions): Promise<StaticHost> {
  const root = resolve(options.dir);
  const base = options.base ?? '/';
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`${options.dir} has no built site: run \`npm run build\` first.`);
  }
  const rulesFile = join(root, '_headers');
  const rules =
    options.headers === false || !existsSync(rulesFile)
      ? []
      : parseHeaders(readFileSync(rulesFile, 'utf8'));

  const send = (req: IncomingMessage, res: ServerResponse, status: number, file: string) => {
    for (const rule of rules) {
      if (rule.pattern.test(new URL(req.url ?? '/', 'http://host').pathname)) {
        for (const [name, value] of rule.headers) res.setHeader(name, value);
      }
    }
    res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', statSync(file).size);
    res.writeHead(status);
    if (req.method === 'HEAD') res.end();
    else if (options.slow?.pattern.test(file)) sendSlowly(res, file, options.slow.bytesPerSecond);
    else createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    const notFound = () => {
      const page = join(root, '404.html');
      if (existsSync(page)) send(req, res, 404, page);
      else res.writeHead(404).end();
    };
    if (!path.startsWith(base)) return notFound();
    const file = resolve(root, '.' + sep + path.slice(base.length));
    if (file !== root && !file.startsWith(root + sep)) return notFound();
    if (!existsSync(file)) return notFound();
    if (statSync(file).isDirectory()) {
      if (!path.endsWith('/')) {
        res.writeHead(301, { Location: path + '/' }).end();
        return;
      }
      const index = join(file, 'index.html');
      return existsSync(index) ? send(req, res, 200, index) : notFound();
    }
    send(req, res, 200, file);
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    stop: () => new Promise((done) => server.close(() => done())),
  };
}

/**
 * One origin in front of several hosts, as two copies of the course under one GitHub Pages
 * origin: each request goes to the first route whose path prefix it starts with (list the
 * longest first), headers and all.
 */
export async function startOneOrigin(
  routes: { prefix: string; to: string }[],
): Promise<StaticHost> {
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const route = routes.find((r) => path.startsWith(r.prefix));
    if (!route) return void res.writeHead(404).end();
    const upstream = request(
      new URL(path, route.to),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
