// The grokking lab in Chromium: the Quick grok preset trains on WASM in a worker until it
// generalises, the plots fill, and pause and resume work.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { baseURL, launchBrowser, watchedPage } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe('grokking lab', () => {
  it('groks with the Quick grok preset on WASM, plotting as it goes; pause holds the epoch', async () => {
    const { page, faults } = await watchedPage(browser);
    await page.goto(baseURL() + '/lessons/07-grokking/');
    const lab = page.getByTestId('lab');
    await lab.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="lab"][data-ready="true"]').waitFor();
    await lab.getByRole('button', { name: 'Start' }).click();
    await page.locator('[data-testid="lab"][data-status="running"]').waitFor({ timeout: 60_000 });
    expect(page.url()).toContain('p=59');
    await page
      .locator('[data-testid="curve"][data-points="3"]')
      .first()
      .waitFor({ timeout: 60_000 });
    await lab.getByRole('button', { name: 'Pause' }).click();
    await page.waitForTimeout(1000); // steps already under way finish
    const paused = await lab.getByTestId('epoch').textContent();
    await page.waitForTimeout(2000);
    expect(await lab.getByTestId('epoch').textContent()).toBe(paused);
    await lab.getByRole('button', { name: 'Resume' }).click();
    await lab
      .getByTestId('phases')
      .filter({ hasText: 'generalised' })
      .waitFor({ timeout: 400_000 });
    const phases = (await lab.getByTestId('phases').textContent()) ?? '';
    const memorised = Number(/memorised by epoch (\d+)/.exec(phases)![1]);
    const generalised = Number(/generalised by epoch (\d+)/.exec(phases)![1]);
    expect(memorised).toBeLessThan(generalised); // grokking: generalisation comes long after
    for (const curve of await page.getByTestId('curve').all()) {
      expect(Number(await curve.getAttribute('data-points'))).toBeGreaterThan(10);
    }
    expect(await axeViolations(page)).toEqual([]);
    await lab.getByRole('button', { name: 'Stop' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 480_000);
});
