// Search in the header: a word from a lesson's heading, typed after the "/" shortcut, lists that
// lesson and heading; the result lands on the heading; the same at the root and under /course/,
// inside the CSP, at a desktop's and a phone's width, in the dark theme too.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseURL, courseURL, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();

/** Types `query` into the search box after pressing `shortcut`, and waits for the results. */
async function searchFor(page: Page, query: string, shortcut = '/'): Promise<void> {
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(shortcut);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('site-search-input');
  await page.keyboard.type(query);
  await page.locator('.search-results a').first().waitFor();
}

/** The results as a person reads them: "lesson › heading" per link. */
function shownWhere(page: Page): Promise<string[]> {
  return page.locator('.search-where').allInnerTexts();
}

/** The heading with `id`: whether its top is in the window (to the pixel: scrolling lands on
 * fractions of one). */
async function headingInView(page: Page, id: string): Promise<boolean> {
  return page.evaluate((id) => {
    const top = document.getElementById(id)!.getBoundingClientRect().top;
    return top > -1 && top < innerHeight;
  }, id);
}

describe('search', () => {
  for (const [name, site] of [
    ['at the root', () => baseURL()],
    ['under /course/', () => courseURL()],
  ] as const) {
    it(`${name}: a heading's word finds its lesson and heading, and the link lands on it`, async () => {
      const { page, faults } = await watchedPage(browser(), site());
      await page.goto(site() + '/lessons/01-what-is-mech-interp/');
      await searchFor(page, 'slingshot');
      expect(await page.locator('.search-status').textContent()).toMatch(/^1 lesson mentions/);
      expect(await shownWhere(page)).toContain('Grokking › Float32 and the slingshot');
      const base = new URL(site()).pathname.replace(/\/?$/, '/');
      const heading = page.locator('.search-heading', { hasText: /^Float32 and the slingshot$/ });
      const link = page.locator('.search-results a').filter({ has: heading });
      expect(await link.getAttribute('href')).toBe(
        `${base}lessons/08-grokking/#float32-and-the-slingshot`,
      );
      // The arrow keys walk to the result; Enter follows it.
      const links = await page.locator('.search-results a').allInnerTexts();
      const at = links.findIndex((text) => text.startsWith('Grokking › Float32 and the slingshot'));
      expect(at).toBe(0); // the section the heading names comes first
      for (let i = 0; i <= at; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/lessons\/08-grokking\/#float32-and-the-slingshot$/);
      expect(new URL(page.url()).pathname).toBe(`${base}lessons/08-grokking/`);
      expect(await page.locator('h1').textContent()).toBe('Grokking');
      // (Scrolled to smoothly: a long way down a long lesson.)
      await expect
        .poll(() => headingInView(page, 'float32-and-the-slingshot'), { timeout: 10_000 })
        .toBe(true);
      // Ctrl+K works from anywhere; a word no lesson has says so.
      await page.keyboard.press('Control+k');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('site-search-input');
      await page.keyboard.type('qwzxvy');
      await expect
        .poll(() => page.locator('.search-status').textContent(), { timeout: 10_000 })
        .toBe('No lesson mentions “qwzxvy”.');
      expect(await page.locator('.search-results a').count()).toBe(0);
      await page.keyboard.press('Escape');
      expect(await page.locator('#site-search-input').inputValue()).toBe('');
      expect(await page.locator('.search-panel').isVisible()).toBe(false);
      expect(faults.consoleErrors).toEqual([]);
      expect(faults.pageErrors).toEqual([]);
      expect(faults.offsiteRequests).toEqual([]);
      await page.close();
    });
  }

  it('a page load fetches nothing of the index until the reader searches', async () => {
    const { page } = await watchedPage(browser());
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
    await page.waitForLoadState('networkidle');
    expect(fetched.filter((path) => path.includes('/pagefind/'))).toEqual([]);
    await searchFor(page, 'rotations');
    expect(fetched.filter((path) => path.includes('/pagefind/')).length).toBeGreaterThan(2);
    await page.close();
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px, in the dark theme, the box and its results fit the window`, async () => {
      const { page, faults } = await watchedPage(browser());
      await page.setViewportSize({ width, height: 800 });
      await page.goto(baseURL() + '/lessons/05-transformer-equations/');
      await page.getByTestId('theme-switch').selectOption('dark');
      const box = (await page.locator('#site-search-input').boundingBox())!;
      expect(box.width).toBeGreaterThan(width < 600 ? 300 : 150);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await searchFor(page, 'attention');
      const panel = (await page.locator('.search-panel').boundingBox())!;
      expect(panel.x).toBeGreaterThanOrEqual(0);
      expect(panel.x + panel.width).toBeLessThanOrEqual(width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
      // Every result is a lesson and a heading, readable: dark ground, light text.
      expect((await shownWhere(page)).length).toBeGreaterThan(1);
      const [ground, text] = await page
        .locator('.search-panel')
        .evaluate((p) => [getComputedStyle(p).backgroundColor, getComputedStyle(p).color]);
      const luminance = (rgb: string) =>
        rgb
          .match(/\d+/g)!
          .slice(0, 3)
          .reduce((sum, c) => sum + Number(c), 0) / 3;
      expect(luminance(ground)).toBeLessThan(60);
      expect(luminance(text)).toBeGreaterThan(180);
      expect(faults.pageErrors).toEqual([]);
      await page.close();
    });
  }
});
