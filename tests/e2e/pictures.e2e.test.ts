// Pictures a screen reader can read, and targets a thumb can hit (issue 26, item 9): every chart
// and heat map says in words what it shows and has its numbers behind a "Data" toggle; every
// control is at least 24 × 24 px (WCAG 2.2, 2.5.8). Checked on the built pages, as rendered.
import { readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { baseURL, openWidget, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();
const pages = [
  '/',
  '/check/',
  '/grade/',
  ...readdirSync('dist/lessons').map((l) => `/lessons/${l}/`),
];

/** Scrolls to the bottom and back, so that every island that hydrates when seen has done so. */
async function seeAll(page: Page): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(40);
  }
  await page.waitForTimeout(500);
}

/** Controls on the page smaller than 24 px either way; a hidden file input is measured by its label. */
const smallTargets = (page: Page) =>
  page.evaluate(() => {
    const found: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      'button, select, input:not([type=hidden]), summary, textarea, [role=button]',
    );
    for (const el of controls) {
      let box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const label = el.closest('label');
      if (
        el instanceof HTMLInputElement &&
        label &&
        ['radio', 'checkbox', 'file'].includes(el.type)
      )
        box = label.getBoundingClientRect();
      if (box.width < 24 || box.height < 24)
        found.push(
          `${el.tagName} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
    }
    return [...new Set(found)];
  });

/** Pictures (canvas or svg) with no words for a screen reader: no role="img" label, no caption. */
const wordlessPictures = (page: Page) =>
  page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('canvas, svg')) {
      const box = el.getBoundingClientRect();
      if (box.width < 60 || box.height < 40) continue; // icons and marks
      if (el.closest('button, a, summary')) continue;
      const named = el.closest('[role="img"][aria-label]');
      const words = named?.getAttribute('aria-label') ?? '';
      const caption = el.closest('figure')?.querySelector('figcaption')?.textContent ?? '';
      if (words.length < 30 && caption.trim().length < 30)
        found.push(`${el.tagName} in ${el.closest('[data-testid]')?.getAttribute('data-testid')}`);
    }
    return found;
  });

describe('targets and pictures on every page', () => {
  for (const width of [390, 1280]) {
    it(`at ${width} px: every control at least 24 px, every picture with words`, async () => {
      const { page } = await watchedPage(browser());
      await page.setViewportSize({ width, height: 800 });
      for (const path of pages) {
        await page.goto(baseURL() + path);
        await seeAll(page);
        expect(await smallTargets(page), path).toEqual([]);
        expect(await wordlessPictures(page), path).toEqual([]);
      }
      await page.close();
    });
  }
});

describe('what a chart says', () => {
  it("a run's curves: the words name each line's start and end, and the table holds the same numbers", async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/lessons/08-grokking/');
    const curve = page.getByTestId('curve').first();
    await curve.scrollIntoViewIfNeeded();
    const words = (await curve.getByTestId('curve-description').getAttribute('aria-label')) ?? '';
    // The read-out under the chart shows the last evaluation: its epoch ends the description.
    const readout = (await curve.getByTestId('curve-readout').textContent())!.replace(/\s+/g, ' ');
    const lastEpoch = readout.match(/epoch ([\d,]+)/)![1]!;
    expect(words).toContain(`at epoch ${lastEpoch}`);
    expect(words).toMatch(/at epoch 0\b/);
    const data = curve.locator('details.chart-data');
    await data.locator('summary').click();
    const rows = data.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    expect(await rows.first().locator('th').textContent()).toBe('0');
    expect(await rows.last().locator('th').textContent()).toBe(lastEpoch);
    // The table's columns are the chart's lines, in the read-out's order.
    const heads = await data.locator('thead th').allTextContents();
    const lines = await curve.locator('[data-testid="curve-readout"] span').allTextContents();
    expect(heads.length - 1).toBe(lines.length);
    lines.forEach((line, i) => expect(line.trim().startsWith(heads[i + 1]!)).toBe(true));
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  });

  it("a neuron's grid: the largest cell in words and at the top of the table is the scale's extreme", async () => {
    const { page, faults } = await watchedPage(browser());
    const view = await openWidget(page, '/lessons/06-fourier-multiplication/', 'neuron-view');
    await view.getByRole('button', { name: 'Run the model' }).click();
    const grid = view.getByTestId('neuron-grid');
    await grid.waitFor({ timeout: 120_000 });
    const scale = (await grid.locator('.scale').textContent())!.trim();
    const [low, high] = scale.split('…').map((s) => Number(s.trim().replace('−', '-')));
    const extreme = Math.max(Math.abs(low!), Math.abs(high!));
    await grid.locator('details.chart-data summary').click();
    const top = grid.locator('details.chart-data tbody tr').first();
    const topValue = Math.abs(
      Number((await top.locator('td').last().textContent())!.replace('−', '-')),
    );
    expect(topValue).toBeCloseTo(extreme, 2);
    const words = (await grid.locator('[role="img"]').getAttribute('aria-label')) ?? '';
    const [rowLabel, colLabel] = await top.locator('th, td').allTextContents();
    expect(words).toContain(`${rowLabel}, `);
    expect(words).toContain(`${colLabel}: `);
    // With the model's pictures drawn, each has its words.
    expect(await wordlessPictures(page)).toEqual([]);
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  });

  it('a spectrum rendered at build time opens its table with no JavaScript', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
    const spectrum = page.getByTestId('spectrum').first();
    await spectrum.locator('details.chart-data summary').click();
    const keyRows = spectrum.locator('tbody tr th', { hasText: '(key)' });
    const keyLabels = await spectrum
      .locator('[data-testid="spectrum-label"].key')
      .allTextContents()
      .catch(() => []);
    const keys = (await keyRows.allTextContents()).map((t) => t.replace(' (key)', ''));
    expect(keys.length).toBeGreaterThan(0);
    const label = (await spectrum.locator('svg[role="img"]').getAttribute('aria-label')) ?? '';
    expect(label).toContain(`key frequencies ${keys.join(', ')}`);
    if (keyLabels.length) expect(keyLabels).toEqual(keys);
    await context.close();
  });
});
