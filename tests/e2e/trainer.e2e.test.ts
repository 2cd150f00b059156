// The trainer in Chromium: a tiny model trains on WebGPU (SwiftShader) and on threaded WASM in a
// worker, and both give the same losses.
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { baseURL, watchedPage, useBrowser } from './browser.ts';

const browser = useBrowser();

describe('browser check page', () => {
  it('trains on WebGPU and on WASM, and the losses agree', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/check/');
    await page.locator('[data-testid="trainer-check"][data-ready="true"]').waitFor();
    await page.getByRole('button', { name: /Train 20 steps/ }).click();
    await page.getByTestId('agreement').waitFor({ timeout: 280_000 });
    const webgpu = page.locator('.run[data-backend="webgpu"]');
    const wasm = page.locator('.run[data-backend="wasm"]');
    expect(await webgpu.getAttribute('data-used')).toBe('webgpu');
    expect(await wasm.getAttribute('data-used')).toBe('wasm');
    expect(await wasm.textContent()).toContain('(2 threads)');
    const loss = async (run: typeof webgpu) =>
      Number(await run.getByTestId('final-loss').textContent());
    const [a, b] = [await loss(webgpu), await loss(wasm)];
    expect(Math.abs(a - b) / b).toBeLessThan(1e-5);
    expect(b).toBeLessThan(3.17); // it learned something in 20 steps
    const agreement = (await page.getByTestId('agreement').textContent()) ?? '';
    expect(Number(/relative (\d+(?:\.\d+)?e[+-]?\d+)/.exec(agreement)![1])).toBeLessThan(1e-5);
    expect(await axeViolations(page)).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000); // WebGPU on SwiftShader runs ~1 step/s: a slow, correct reference, not a speed test
});

describe('the loss check', () => {
  it('computes the loss and its gradient within 1e-3 of float64 on WebGPU and on WASM', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/check/');
    await page.locator('[data-testid="loss-check"][data-ready="true"]').waitFor();
    await page.getByRole('button', { name: 'Check the loss against float64' }).click();
    for (const backend of ['webgpu', 'wasm']) {
      const result = page.locator(`.result[data-backend="${backend}"]`);
      const verdict = result.getByTestId('loss-verdict');
      await verdict.waitFor({ timeout: 120_000 });
      expect(await result.getAttribute('data-used')).toBe(backend);
      expect(await verdict.getAttribute('data-wrong')).toBe('0');
      expect(await verdict.textContent()).toMatch(/all 15 batches \(margins -5 to 40\)/);
    }
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 150_000);
});
