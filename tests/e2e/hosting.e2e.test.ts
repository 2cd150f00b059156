// Hosting as instructors do it: the Content-Security-Policy holds; the build for SITE_BASE=/course/
// works under /course/ (links, styles, islands, workers, wasm, previews, the service worker); and
// a host that sends no COOP/COEP headers still runs the model and the trainer, on one thread, and
// says so. The other e2e files run against the root host with its headers, CSP included.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bareURL, baseURL, courseURL, openWidget, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();

/** Runs lesson 6's calculator on WASM and returns its answer to 25 + 100 mod 113. */
async function calculate(page: Page, site: string): Promise<string | null> {
  const calc = await openWidget(page, '/lessons/06-fourier-multiplication/', 'calculator', site);
  await calc.getByRole('button', { name: 'Run the model' }).click();
  await calc.getByTestId('calc-answer').waitFor({ timeout: 120_000 });
  return calc.getByTestId('calc-answer').textContent();
}

/** Starts the lab, waits for three evaluations and stops it; returns what it said it ran on. */
async function trainBriefly(page: Page, site: string): Promise<string> {
  const lab = await openWidget(page, '/lessons/08-grokking/', 'lab', site);
  await lab.getByRole('button', { name: 'Start' }).click();
  await page.locator('[data-testid="curve"][data-points="3"]').first().waitFor({ timeout: 90_000 });
  const progress = (await lab.locator('.notice').first().textContent()) ?? '';
  await lab.getByRole('button', { name: 'Stop' }).click();
  await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 60_000 });
  return progress.replace(/\s+/g, ' ');
}

describe('the Content-Security-Policy', () => {
  it('comes as a header and in each page, and refuses a script the site did not ship', async () => {
    const response = await fetch(baseURL() + '/lessons/06-fourier-multiplication/');
    const header = response.headers.get('content-security-policy') ?? '';
    expect(header).toContain("default-src 'self'");
    expect(header).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
    expect(header).toContain("frame-ancestors 'self'");
    expect(header).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
    const meta = page.locator('meta[http-equiv="content-security-policy"]');
    expect(await meta.getAttribute('content')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    // What an injected script would try: it does not run, and the page reports the refusal.
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.injected = "yes"';
      document.head.append(script);
      return document.body.dataset['injected'] === 'yes';
    });
    expect(ran).toBe(false);
    await expect.poll(() => faults.consoleErrors.join('\n')).toContain('CSP violation: script-src');
    await page.close();
  });
});

describe('under a sub-path (SITE_BASE=/course/)', () => {
  it('every page, link, asset, worker and the service worker stay under /course/', async () => {
    const site = courseURL();
    const { page, faults } = await watchedPage(browser(), site);
    const missing: string[] = [];
    page.on('response', (r) => r.status() >= 400 && missing.push(`${r.status()} ${r.url()}`));
    page.on('requestfailed', (r) => {
      // Preloads still in flight when the test moves to the next page are cut off, not missing.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') missing.push(`failed ${r.url()}`);
    });
    await page.goto(site + '/');
    const links = await page
      .locator('a[href]')
      .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
    const pages = [...new Set(links.filter((href) => href.startsWith('/')))];
    expect(pages.length).toBeGreaterThan(5);
    for (const href of pages) expect(href, href).toMatch(/^\/course\//);
    for (const href of pages) {
      await page.goto(new URL(href, site).href);
      expect(await page.locator('h1').count(), href).toBe(1);
      const styled = await page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--border'),
      );
      expect(styled, `${href}: the site's stylesheet applies`).not.toBe('');
    }
    expect(await calculate(page, site)).toBe('12');
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${site}/`);
    expect(await trainBriefly(page, site)).toContain('WASM, 2 threads');
    expect(missing).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000);
});

describe('from a host that sends no headers', () => {
  it('runs the model and trains on one WASM thread, and says why', async () => {
    const site = bareURL();
    expect((await fetch(site + '/')).headers.get('cross-origin-opener-policy')).toBeNull();
    const { page, faults } = await watchedPage(browser(), site);
    await openWidget(page, '/check/', 'trainer-check', site);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await page.getByTestId('isolation').textContent()).toContain(
      'This host sends no cross-origin isolation headers',
    );
    expect(await calculate(page, site)).toBe('12');
    expect(await trainBriefly(page, site)).toContain(
      'WASM, 1 thread (this host allows no threads)',
    );
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000);
});
