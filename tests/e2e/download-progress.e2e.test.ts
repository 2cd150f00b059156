// What a student sees on a slow link while the model engine downloads: the model views and the
// lab say which file is coming and how many megabytes of how many have come, with a bar, instead
// of a bare "Starting…". The site is served with onnxruntime's WebAssembly and the model sent at
// 6 MB/s; every status line the page shows is recorded as it changes.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { megabytes } from '../../lib/fetch-progress.ts';
import { openWidget, watchedPage, useBrowser } from './browser.ts';
import { startHost, type StaticHost } from './static-host.ts';

const browser = useBrowser();
let host: StaticHost;
let site: string;

beforeAll(async () => {
  host = await startHost({
    dir: 'dist',
    slow: { pattern: /(ort-wasm[^/]*\.wasm|\.safetensors)$/, bytesPerSecond: 6 * 2 ** 20 },
  });
  site = host.url.replace(/\/$/, '');
});
afterAll(async () => {
  await host.stop();
});

/** The size of the built file whose name starts with `prefix` and has no further dot part. */
function builtSize(pattern: RegExp): number {
  const name = readdirSync('dist/_astro').find((file) => pattern.test(file));
  if (!name) throw new Error(`dist/_astro has no file like ${pattern}`);
  return statSync(join('dist/_astro', name)).size;
}

/** Records every text a status line and every max a progress bar shows, as they change. */
async function recordStatus(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: { texts: string[]; bars: number[] } = { texts: [], bars: [] };
    (window as unknown as { seen: typeof seen }).seen = seen;
    const look = () => {
      for (const status of document.querySelectorAll('[role="status"]')) {
        const text = status.textContent?.trim() ?? '';
        if (text && seen.texts.at(-1) !== text) seen.texts.push(text);
      }
      for (const bar of document.querySelectorAll<HTMLProgressElement>(
        'progress[aria-label="Download"]',
      ))
        if (!seen.bars.includes(bar.max)) seen.bars.push(bar.max);
    };
    new MutationObserver(look).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

const seenOn = (page: Page) =>
  page.evaluate(() => (window as unknown as { seen: { texts: string[]; bars: number[] } }).seen);

/** The megabytes each "Downloading <what>: x of y MB" line showed, in order. */
function downloads(texts: string[], what: string, total: number): number[] {
  const line = new RegExp(
    `^Downloading ${what.replace(/[()]/g, '\\$&')}: ([\\d.]+) of ${megabytes(total).replace('.', '\\.')}$`,
  );
  return texts.flatMap((text) => {
    const match = line.exec(text);
    return match ? [Number(match[1])] : [];
  });
}

describe('download progress on a slow link', () => {
  it('the model views show the model and the engine arriving, in megabytes, once each', async () => {
    const { page, faults } = await watchedPage(browser(), site);
    await recordStatus(page);
    const engineRequests: string[] = [];
    page.on('request', (request) => {
      if (/ort-wasm[^/]*\.wasm$/.test(request.url())) engineRequests.push(request.url());
    });
    const calc = await openWidget(page, '/lessons/06-fourier-multiplication/', 'calculator', site);
    await calc.getByTestId('backend').selectOption('wasm');
    await calc.getByRole('button', { name: 'Run the model' }).click();
    await calc.getByTestId('calc-answer').waitFor({ timeout: 240_000 });
    const { texts, bars } = await seenOn(page);
    const model = downloads(texts, 'the model', builtSize(/^model\.[^.]+\.safetensors$/));
    const engine = downloads(
      texts,
      'the model engine (onnxruntime)',
      builtSize(/^ort-wasm-simd-threaded-[^.]+\.wasm$/),
    );
    // Each arrives over seconds: many readings, rising, none past the total.
    expect(model.length, texts.join('\n')).toBeGreaterThan(2);
    expect(engine.length, texts.join('\n')).toBeGreaterThan(10);
    for (const series of [model, engine]) {
      expect(series).toEqual([...series].sort((a, b) => a - b));
    }
    expect(engine.at(-1)).toBeGreaterThan(12);
    // The bar's length is the file's size in bytes.
    expect(bars).toContain(builtSize(/^ort-wasm-simd-threaded-[^.]+\.wasm$/));
    // The engine came once: onnxruntime used the bytes the page downloaded, not a second copy.
    expect(engineRequests).toHaveLength(1);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000);

  it('the lab shows the engine arriving before its first epoch, then trains', async () => {
    const { page, faults } = await watchedPage(browser(), site);
    await recordStatus(page);
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab', site);
    await lab.getByRole('button', { name: 'Start' }).click();
    await lab.getByTestId('lab-download').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="lab"][data-status="running"]').waitFor({ timeout: 120_000 });
    expect(await lab.getByTestId('lab-download').count()).toBe(0);
    // The lab trains on the WebGPU build on either backend (its asyncify WASM trains faster).
    const size = builtSize(/^ort-wasm-simd-threaded\.asyncify-[^.]+\.wasm$/);
    const engine = downloads((await seenOn(page)).texts, 'the model engine (onnxruntime)', size);
    expect(engine.length).toBeGreaterThan(10);
    expect(engine).toEqual([...engine].sort((a, b) => a - b));
    expect(engine.at(-1)).toBeGreaterThan(0.9 * (size / 2 ** 20));
    await lab.getByRole('button', { name: 'Stop' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000);
});
