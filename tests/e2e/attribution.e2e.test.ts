// Lesson 2's attribution islands in Chromium: the binary adder's maps show the carry triangle and
// pass the completeness check; the transformer's are computed in a worker and add up.
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { openWidget, watchedPage, useBrowser } from './browser.ts';

const browser = useBrowser();

/** The numbers in a heatmap's body, row by row. */
/** A heat map's numbers, [rows][columns], its column blocks (tables) read left to right. */
async function heatmapValues(map: import('playwright-core').Locator): Promise<number[][]> {
  return map.evaluate((element: HTMLElement) => {
    const tables = [...element.querySelectorAll('table')];
    return [...tables[0]!.tBodies[0]!.rows].map((_, r) =>
      tables.flatMap((t) =>
        [...t.tBodies[0]!.rows[r]!.cells]
          .slice(1)
          .map((cell) => Number(cell.textContent!.replace('−', '-'))),
      ),
    );
  });
}

describe('attributions in lesson 2', () => {
  it('the binary adder: a triangle of attributions, completeness shown, bad input named', async () => {
    const { page, faults } = await watchedPage(browser());
    const widget = await openWidget(page, '/lessons/02-two-ways-to-explain/', 'rnn-attribution');
    const ig = await heatmapValues(widget.getByTestId('attr-ig-map'));
    // 100111 + 110010: 7 outputs, 14 inputs (a₀…a₆, b₀…b₆).
    expect(ig).toHaveLength(7);
    for (const [t, row] of ig.entries()) {
      expect(row).toHaveLength(14);
      for (let s = t + 1; s < 7; s++) expect(row[s], `y${t} ← a${s}`).toBe(0);
      expect(
        row.slice(0, t + 1).some((v) => v !== 0) || row.slice(7, 8 + t).some((v) => v !== 0),
      ).toBe(true);
    }
    await expect.poll(() => widget.getByTestId('attr-completeness').textContent()).toContain('✓');
    // On a phone the bits of b wrap under the bits of a: every cell of both maps is on the screen,
    // none of it behind a scroll.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const id of ['attr-gradient-map', 'attr-ig-map']) {
        const offscreen = await widget.getByTestId(id).evaluate((map) => {
          // On the screen, and inside the region that would scroll it (so not hidden behind it).
          return [...map.querySelectorAll('td, th')].filter((cell) => {
            const box = cell.getBoundingClientRect();
            const region = cell.closest('[role="region"]')!.getBoundingClientRect();
            const right = Math.min(document.documentElement.clientWidth, region.right);
            return (
              box.width > 0 && (box.left < Math.max(0, region.left) - 1 || box.right > right + 1)
            );
          }).length;
        });
        expect(offscreen, `${id} at ${width} px`).toBe(0);
      }
    }
    // Two steps are too few: the check says so.
    await widget.getByTestId('attr-steps').fill('1');
    await expect
      .poll(() => widget.getByTestId('attr-completeness').textContent())
      .toContain('raise m');
    await widget.getByTestId('attr-a').fill('10x1');
    expect(await widget.getByRole('alert').textContent()).toContain('0s and 1s');
    expect(await axeViolations(page)).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 120_000);

  it('the transformer: attributions to a, b and "=" computed in a worker, and complete', async () => {
    const { page, faults } = await watchedPage(browser());
    const widget = await openWidget(
      page,
      '/lessons/02-two-ways-to-explain/',
      'transformer-attribution',
    );
    await widget.getByTestId('tattr-a').fill('7');
    await widget.getByTestId('tattr-b').fill('50');
    await widget.getByTestId('tattr-steps').fill('64');
    await widget.getByTestId('tattr-run').click();
    await widget.getByTestId('tattr-map').waitFor({ timeout: 120_000 });
    const values = await heatmapValues(widget.getByTestId('tattr-map'));
    expect(values).toHaveLength(2);
    for (const row of values) {
      expect(row).toHaveLength(3);
      expect(row.every(Number.isFinite)).toBe(true);
    }
    expect(values[1]!.some((v) => Math.abs(v) > 0.1)).toBe(true);
    expect(await widget.getByTestId('tattr-completeness').textContent()).toContain('✓');
    expect(await widget.textContent()).toContain('logit 57 for 7 + 50');
    expect(await axeViolations(page)).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 180_000);
});
