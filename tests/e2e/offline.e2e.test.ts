// Offline once loaded: after one visit, the lessons and the pretrained model work with the network
// gone, served by the site's service worker.
import { describe, expect, it } from 'vitest';
import { baseURL, watchedPage, useBrowser } from './browser.ts';

const browser = useBrowser();

describe('offline', () => {
  it('a visited lesson reloads and runs its model with the network off', async () => {
    const { page, faults } = await watchedPage(browser());
    const lesson = baseURL() + '/lessons/06-fourier-multiplication/';
    await page.goto(lesson);
    // The service worker controls the page from its first visit on (clients.claim).
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
        );
      }
    });
    await page.reload();
    const run = async () => {
      const calc = page.getByTestId('calculator');
      await calc.scrollIntoViewIfNeeded();
      await page.locator('[data-testid="calculator"][data-ready="true"]').waitFor();
      await calc.getByRole('button', { name: 'Run the model' }).click();
      await calc.getByTestId('calc-answer').waitFor({ timeout: 120_000 });
      return calc.getByTestId('calc-answer').textContent();
    };
    expect(await run()).toBe('12'); // 25 + 100 mod 113, with the model, its worker and ORT cached
    await page.context().setOffline(true);
    await page.reload();
    expect(await page.locator('h1').textContent()).toContain('Fourier multiplication');
    expect(await run()).toBe('12');
    // The network really is off: a page never visited cannot be fetched.
    const fetched = await page.evaluate(() =>
      fetch('/lessons/08-grokking/').then(
        (r) => r.ok,
        () => false,
      ),
    );
    expect(fetched).toBe(false);
    await page.context().setOffline(false);
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  }, 240_000);
});
