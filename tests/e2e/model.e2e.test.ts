// The pretrained model in Chromium: the calculator answers (a + b) mod 113 on WASM and on WebGPU.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random.ts';
import { axeViolations } from './axe.ts';
import { baseURL, launchBrowser, watchedPage } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe('calculator on the pretrained model', () => {
  it.each(['wasm', 'webgpu'] as const)(
    'answers (a + b) mod 113 for random inputs on %s',
    async (backend) => {
      const { page, faults } = await watchedPage(browser);
      await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
      const calc = page.getByTestId('calculator');
      await calc.scrollIntoViewIfNeeded();
      await page.locator('[data-testid="calculator"][data-ready="true"]').waitFor();
      await calc.getByTestId('calc-backend').selectOption(backend);
      const run = calc.getByRole('button', { name: 'Run the model' });
      if (await run.count()) await run.click();
      await calc.getByTestId('calc-answer').waitFor({ timeout: 240_000 });
      expect(await calc.getByTestId('calc-backend-used').textContent()).toContain(
        backend === 'webgpu' ? 'on WebGPU' : 'on WASM',
      );
      const random = mulberry32(backend === 'wasm' ? 1 : 2);
      for (let k = 0; k < 5; k++) {
        const [a, b] = [Math.floor(random() * 113), Math.floor(random() * 113)];
        await calc.getByTestId('calc-a').fill(String(a));
        await calc.getByTestId('calc-b').fill(String(b));
        expect(await calc.getByTestId('calc-answer').textContent(), `${a} + ${b}`).toBe(
          String((a + b) % 113),
        );
      }
      await calc.getByTestId('calc-a').fill('200');
      expect(await calc.getByRole('alert').first().textContent()).toContain('from 0 to 112');
      expect(await axeViolations(page)).toEqual([]);
      expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
      await page.close();
    },
    300_000,
  );

  it('shows a neuron over (a, b) and in the Fourier basis, lit at a key frequency', async () => {
    const { page, faults } = await watchedPage(browser);
    await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
    const view = page.getByTestId('neuron-view');
    await view.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="neuron-view"][data-ready="true"]').waitFor();
    await view.getByRole('button', { name: 'Run the model' }).click();
    await view.getByTestId('neuron-top').waitFor({ timeout: 120_000 });
    await view.getByTestId('neuron-index').fill('17');
    const top = (await view.getByTestId('neuron-top').textContent()) ?? '';
    const frequencies = [...top.matchAll(/(?:cos|sin) (\d+)/g)].map((m) => Number(m[1]));
    expect(frequencies.length).toBeGreaterThan(0);
    for (const k of frequencies) expect([7, 13, 38, 46]).toContain(k);
    // Both pictures were painted: not one flat colour.
    for (const id of ['neuron-grid', 'neuron-spectrum']) {
      const colours = await view.getByTestId(id).evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        return new Set(Array.from({ length: data.length / 4 }, (_, i) => data[4 * i]!)).size;
      });
      expect(colours, id).toBeGreaterThan(10);
    }
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000);
});
