// Serves the built site with `astro preview` on a localhost port, for tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Starts `astro preview` of dist/ and resolves once it answers; `stop()` ends it. */
export async function startPreview(port: number): Promise<{ url: string; stop: () => void }> {
  if (!existsSync('dist/index.html')) {
    throw new Error('dist/ has no built site: run `npm run build` first.');
  }
  // Astro's own entry under this Node (≥ 22.12), whatever `node` the PATH would find; alongside
  // any preview server the developer already runs (--ignore-lock).
  const args = ['preview', '--ignore-lock', '--host', '127.0.0.1', '--port', String(port)];
  const child: ChildProcess = spawn(
    process.execPath,
    ['node_modules/astro/bin/astro.mjs', ...args],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`astro preview exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return { url, stop: () => child.kill() };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`astro preview did not answer at ${url} within 60 s`);
}
