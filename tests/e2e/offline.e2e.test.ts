// Offline once loaded: after one visit, the lessons and the pretrained model work with the network
// gone, served by the site's service worker; lessons never opened read offline too, an address the
// course lacks gets the offline page, and online the host's 404 page.
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
    // The network really is off: a file the worker never kept cannot be fetched.
    const fetched = await page.evaluate(() =>
      fetch('/models/never-kept.json').then(
        (r) => r.ok,
        () => false,
      ),
    );
    expect(fetched).toBe(false);
    await page.context().setOffline(false);
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  }, 240_000);

  it('after one visit to the course map, reads every lesson offline, maths typeset', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/');
    // The worker activates once it has kept the pages (its install waits for them).
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
        );
      }
    });
    const lessons = await page.$$eval('.course-map a', (as) =>
      as.map((a) => a.getAttribute('href')!),
    );
    await page.context().setOffline(true);
    for (const path of lessons) {
      const response = await page.goto(baseURL() + path);
      expect(response?.ok(), path).toBe(true);
      expect(await page.locator('.lesson-number').textContent(), path).toContain('Lesson');
      // The stylesheet came too: KaTeX's fonts and sizes are in force.
      const font = await page
        .locator('.katex')
        .first()
        .evaluate((k) => getComputedStyle(k).fontFamily);
      expect(font, path).toContain('KaTeX');
    }
    await page.goto(baseURL() + '/no-such-page/');
    expect(await page.getByTestId('offline').locator('h1').textContent()).toBe('You are offline');
    await page.context().setOffline(false);
    const missing = await page.goto(baseURL() + '/no-such-page/');
    expect(missing?.status()).toBe(404);
    expect(await page.getByTestId('not-found').locator('h1').textContent()).toBe('No such page');
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  }, 240_000);
});
