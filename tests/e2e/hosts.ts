// Global setup for e2e: serves the builds as three kinds of static host on free localhost ports.
//   baseURL    dist/ at the root, with the headers of its _headers (COOP/COEP and the CSP)
//   bareURL    dist/ at the root with no headers at all (no cross-origin isolation, meta CSP only)
//   courseURL  dist-course/ (SITE_BASE=/course/) under /course/, with its _headers
import type { TestProject } from 'vitest/node';
import { startHost } from './static-host.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    bareURL: string;
    courseURL: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const hosts = [
    await startHost({ dir: 'dist' }),
    await startHost({ dir: 'dist', headers: false }),
    await startHost({ dir: 'dist-course', base: '/course/' }),
  ];
  // Without the trailing slash, so that tests write baseURL() + '/lessons/…'.
  const [root, bare, course] = hosts.map((host) => host.url.replace(/\/$/, ''));
  project.provide('baseURL', root!);
  project.provide('bareURL', bare!);
  project.provide('courseURL', course!);
  return async () => {
    for (const host of hosts) await host.stop();
  };
}
