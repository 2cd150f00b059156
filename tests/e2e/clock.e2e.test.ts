// The clock exercise in Chromium: a student builds the square-activation clock with formula cells
// (Ctrl+D fills a column), is told where a bad formula goes wrong, checks all 49 pairs, passes,
// sees the spectra beside the trained model's, and finds the network kept after a reload.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { openWidget, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();
const lesson = '/lessons/07-build-the-clock/';

const cell = (page: Page, name: string, r: number, c: number) =>
  page.locator(`table[data-param="${name}"] input[data-r="${r}"][data-c="${c}"]`);

/** Types `text` into row 0 of a column and fills it down with Ctrl+D. */
async function fillColumn(page: Page, name: string, c: number, text: string) {
  await cell(page, name, 0, c).fill(text);
  await cell(page, name, 0, c).press('Control+d');
}

describe('the clock exercise', () => {
  it('builds the clock with formulas, names a bad one, passes, and keeps it across a reload', async () => {
    const { page, faults } = await watchedPage(browser());
    const editor = await openWidget(page, lesson, 'clock-editor');
    await fillColumn(page, 'W_E', 0, 'cos(2*pi*a/p)');
    await fillColumn(page, 'W_E', 1, 'sin(2*pi*a/p)');
    expect(await cell(page, 'W_E', 6, 1).inputValue()).toBe('sin(2*pi*a/p)');
    const rows = [
      [1, 0, 1, 0],
      [1, 0, -1, 0],
      [0, 1, 0, 1],
      [0, 1, 0, -1],
      [0, 1, 1, 0],
      [0, 1, -1, 0],
      [1, 0, 0, 1],
      [1, 0, 0, -1],
    ];
    for (const [j, row] of rows.entries()) {
      for (const [i, w] of row.entries())
        if (w !== 0) await cell(page, 'W_in', j, i).fill(String(w));
    }
    // A formula with its parenthesis left open: the cell is marked and the message says where.
    await cell(page, 'W_out', 0, 0).fill('cos(2*pi*c/p/4');
    await expect
      .poll(() => editor.getByTestId('clock-errors').textContent())
      .toContain(
        'W_out[0][0]: "cos(2*pi*c/p/4" is not a number, and as a formula expected ")" but found the end (at character 15).',
      );
    expect(await cell(page, 'W_out', 0, 0).getAttribute('aria-invalid')).toBe('true');
    const readout = ['cos', '-cos', '-cos', 'cos', 'sin', '-sin', 'sin', '-sin'];
    for (const [j, f] of readout.entries()) {
      await fillColumn(
        page,
        'W_out',
        j,
        `${f.replace('cos', 'cos(2*pi*c/p)').replace('sin', 'sin(2*pi*c/p)')}/4`,
      );
    }
    expect(await editor.getByTestId('clock-errors').count()).toBe(0);
    expect(await editor.getByTestId('answers').getAttribute('data-right')).toBe('49');
    await editor.getByRole('button', { name: 'Check' }).click();
    expect(await editor.getByTestId('clock-verdict').textContent()).toContain(
      '✓ Passed: all 49 pairs right',
    );
    await editor.getByTestId('solved').waitFor();
    const comparison = editor.getByTestId('clock-comparison');
    expect(await comparison.locator('svg').count()).toBe(2);
    expect(await comparison.textContent()).toContain('W_out (readout)');
    expect(await axeViolations(page)).toEqual([]);

    // The work is kept: formulas and all.
    await page.reload();
    await page.locator('[data-testid="clock-editor"][data-ready="true"]').waitFor();
    expect(await cell(page, 'W_out', 3, 5).inputValue()).toBe('-sin(2*pi*c/p)/4');
    await editor.getByTestId('solved').waitFor();
    await editor.getByRole('button', { name: 'Check' }).click();
    expect(await editor.getByTestId('clock-verdict').textContent()).toContain('✓ Passed');

    // A near miss: without the sine half of the read-out, the first wrong pair is 0 + 1.
    for (let j = 4; j < 8; j++) await fillColumn(page, 'W_out', j, '0');
    // The network no longer passes, so it is no longer solved, here and on the course map.
    await expect.poll(() => editor.getByTestId('solved').count()).toBe(0);
    expect(await editor.getByTestId('clock-spectra').count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('grokking:clock:solved'))).toBe('0');
    await editor.getByRole('button', { name: 'Check' }).click();
    expect(await editor.getByTestId('clock-failure').textContent()).toContain(
      'First wrong pair: (0 + 1) mod 7 = 1, but the network answers 0',
    );
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 120_000);

  for (const width of [1280, 390]) {
    it(`at ${width} px a long formula shows whole with its value, and the comparison fits`, async () => {
      const { page, faults } = await watchedPage(browser());
      await page.setViewportSize({ width, height: 900 });
      const editor = await openWidget(page, lesson, 'clock-editor');
      const formula = '-0.5*2 + cos(2*pi*a/p)/3';
      await cell(page, 'W_E', 1, 0).fill(formula);
      const td = cell(page, 'W_E', 1, 0).locator('xpath=..');
      // cos(2π/7)/3 − 1, worked out here
      const value = -1 + Math.cos((2 * Math.PI) / 7) / 3;
      await expect
        .poll(() => td.getByTestId('cell-value').textContent())
        .toBe(`= ${Number(value.toPrecision(4))}`);
      // Whole once the student has moved on.
      await cell(page, 'W_E', 1, 0).blur();
      const fits = await cell(page, 'W_E', 1, 0).evaluate((el) => el.scrollWidth <= el.clientWidth);
      expect(fits).toBe(true);
      await cell(page, 'W_E', 2, 0).fill('cos(');
      await expect.poll(() => page.locator('table[data-param="W_E"] .value.bad').count()).toBe(1);
      // A solved clock: the comparison fits the page.
      await page
        .locator('input[type="file"]')
        .first()
        .setInputFiles('tests/fixtures/clock/square-one-frequency.json');
      await editor.getByRole('button', { name: 'Check' }).click();
      await editor.getByTestId('solved').waitFor();
      // Imported numbers (full float64 digits) show whole in every cell.
      const cut = await page
        .locator('table[data-param] input')
        .evaluateAll((cells) =>
          cells
            .filter((el) => el !== document.activeElement && el.scrollWidth > el.clientWidth)
            .map((el) => (el as HTMLInputElement).value),
        );
      expect(cut).toEqual([]);
      const box = await editor.getByTestId('clock-comparison').boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      await editor
        .getByTestId('clock-spectra')
        .screenshot({ path: `/tmp/clock-spectra-${width}.png` });
      await page
        .locator('table[data-param="W_E"]')
        .screenshot({ path: `/tmp/clock-cells-${width}.png` });
      expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
      await page.close();
    }, 120_000);
  }
});
