// Downloads with progress, against a real HTTP server on loopback: the bytes come whole and in
// order, progress rises to the size, a compressed answer's total is reported unknown instead of
// overrunning, and a missing file, a refused connection and a connection cut mid-way each give a
// message that says what happened.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  downloadProgressText,
  fetchBytes,
  megabytes,
  type Downloaded,
} from '../../lib/fetch-progress.ts';
import { mulberry32 } from '../../lib/random.ts';

const random = mulberry32(7);
const body = Uint8Array.from({ length: 3 * 2 ** 20 + 123 }, () => Math.floor(random() * 256));
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/plain') {
      res.writeHead(200, { 'Content-Length': body.length });
      // In pieces, as a network delivers it.
      for (let at = 0; at < body.length; at += 100_000) res.write(body.subarray(at, at + 100_000));
      res.end();
    } else if (req.url === '/gzip') {
      const zipped = gzipSync(new Uint8Array(2 ** 20)); // a megabyte of zeros: a few KB zipped
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': zipped.length });
      res.end(zipped);
    } else if (req.url === '/cut') {
      res.writeHead(200, { 'Content-Length': body.length });
      res.write(body.subarray(0, 2 ** 20), () => res.destroy());
    } else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('fetchBytes', () => {
  it('returns the bytes whole, with progress rising to their size', async () => {
    const seen: Downloaded[] = [];
    const bytes = await fetchBytes(`${url}/plain`, 'the file', (at) => seen.push(at));
    expect(bytes).toEqual(body);
    expect(seen.length).toBeGreaterThan(1);
    for (const [i, at] of seen.entries()) {
      expect(at.total).toBe(body.length);
      if (i > 0) expect(at.loaded).toBeGreaterThan(seen[i - 1]!.loaded);
    }
    expect(seen.at(-1)!.loaded).toBe(body.length);
  });

  it('reports an unknown total once a compressed answer outgrows its announced size', async () => {
    const seen: Downloaded[] = [];
    const bytes = await fetchBytes(`${url}/gzip`, 'the file', (at) => seen.push(at));
    expect(bytes).toEqual(new Uint8Array(2 ** 20));
    expect(seen.at(-1)).toEqual({ loaded: 2 ** 20, total: 0 });
    for (const at of seen) expect(at.total === 0 || at.loaded <= at.total).toBe(true);
  });

  it('says which file failed and how', async () => {
    await expect(fetchBytes(`${url}/missing`, 'the model', () => {})).rejects.toThrow(
      'The model could not be downloaded (404).',
    );
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    await expect(fetchBytes(`http://127.0.0.1:${port}/`, 'the model', () => {})).rejects.toThrow(
      'The model could not be downloaded: the network failed.',
    );
    await expect(fetchBytes(`${url}/cut`, 'the engine', () => {})).rejects.toThrow(
      /^The engine stopped downloading at \d+\.\d MB: the network failed/,
    );
  });
});

describe('what the page shows of a download', () => {
  it('gives megabytes with one decimal, of the total when it is known', () => {
    expect(megabytes(14_239_897)).toBe('13.6 MB');
    expect(megabytes(0)).toBe('0.0 MB');
    expect(downloadProgressText('the engine', { loaded: 3 * 2 ** 20, total: 14_239_897 })).toBe(
      'Downloading the engine: 3.0 of 13.6 MB',
    );
    expect(downloadProgressText('the engine', { loaded: 1_500_000, total: 0 })).toBe(
      'Downloading the engine: 1.4 MB',
    );
  });
});
