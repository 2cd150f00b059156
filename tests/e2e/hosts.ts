// Global setup for e2e: serves dist/ with `astro preview` on a free localhost port.
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startPreview } from './preview.ts';

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

export default async function setup(project: TestProject): Promise<() => void> {
  const preview = await startPreview(await freePort());
  project.provide('baseURL', preview.url);
  return preview.stop;
}
