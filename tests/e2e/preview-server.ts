// Global setup for e2e: serves dist/ with `astro preview` on a free localhost port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`astro preview exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`astro preview did not answer at ${url} within 60 s`);
}

let child: ChildProcess | undefined;

export default async function setup(project: TestProject): Promise<() => void> {
  if (!existsSync('dist/index.html')) {
    throw new Error('dist/ has no built site: run `npm run build` before the e2e tests.');
  }
  const port = await freePort();
  // Astro's own entry under this Node (≥ 22.12), whatever `node` the PATH would find.
  child = spawn(
    process.execPath,
    [
      'node_modules/astro/bin/astro.mjs',
      'preview',
      '--ignore-lock',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    },
  );
  const baseURL = `http://127.0.0.1:${port}`;
  await waitUntilServing(baseURL, child);
  project.provide('baseURL', baseURL);
  return () => {
    child?.kill();
  };
}
