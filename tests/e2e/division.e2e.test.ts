// Lesson 8's spectra of the division model (issue 23): both charts render with their labels, the
// key frequencies stand out by exponent and not by token, readable in both themes at 1280 and
// 390 px.
import { describe, expect, it } from 'vitest';
import { divisionSpectrum as ds } from '../../src/site-model.ts';
import { baseURL, useBrowser } from './browser.ts';

const browser = useBrowser();

/** Contrast ratio of two CSS rgb() colours (WCAG). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((u, v) => v - u);
  return (x! + 0.05) / (y! + 0.05);
}

describe("lesson 8's division spectra", () => {
  for (const width of [1280, 390]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`show the key frequencies by exponent, not by token, at ${width} px, ${colorScheme}`, async () => {
        const page = await browser().newPage({ viewport: { width, height: 900 }, colorScheme });
        await page.goto(baseURL() + '/lessons/08-grokking/');
        const figure = page.getByTestId('division-spectra');
        await figure.scrollIntoViewIfNeeded();
        const charts = figure.getByTestId('spectrum');
        expect(await charts.count()).toBe(2);
        const seen = await charts.evaluateAll((figures) =>
          figures.map((f) => {
            const bars = [...f.querySelectorAll('rect')];
            const labels = [...f.querySelectorAll('[data-testid="spectrum-label"]')];
            return {
              heights: bars.map((r) => r.getBoundingClientRect().height),
              keyFill: getComputedStyle(f.querySelector('rect.key')!).fill,
              labelColour: getComputedStyle(labels[0]!).fill,
              labels: labels.map((l) => l.textContent),
              labelSize: Math.min(...labels.map((l) => l.getBoundingClientRect().height)),
              caption: f.querySelector('figcaption')?.textContent ?? '',
              box: f.getBoundingClientRect().toJSON() as { left: number; right: number },
            };
          }),
        );
        const background = await page.evaluate(
          () => getComputedStyle(document.body).backgroundColor,
        );
        const keys = ds.keyFreqs.map(String);
        const largest = (heights: number[]) =>
          heights
            .map((h, i) => [h, i + 1] as const)
            .sort((x, y) => y[0] - x[0])
            .slice(0, ds.keyFreqs.length)
            .map(([, k]) => k)
            .sort((x, y) => x - y);
        const [byExponent, byToken] = seen as [(typeof seen)[0], (typeof seen)[0]];
        for (const chart of [byExponent, byToken]) {
          expect(chart.heights).toHaveLength((ds.p - 1) / 2);
          for (const k of keys) expect(chart.labels).toContain(k);
          expect(chart.labelSize).toBeGreaterThanOrEqual(8);
          expect(contrast(chart.keyFill, background)).toBeGreaterThanOrEqual(3);
          expect(contrast(chart.labelColour, background)).toBeGreaterThanOrEqual(3);
          expect(chart.box.left).toBeGreaterThanOrEqual(0);
          expect(chart.box.right).toBeLessThanOrEqual(width);
        }
        expect(largest(byExponent.heights)).toEqual(ds.keyFreqs);
        expect(largest(byToken.heights)).not.toEqual(ds.keyFreqs);
        expect(byExponent.caption).toContain(ds.keyFreqs.join(', '));
        expect(byExponent.caption).toContain(`Gini ${ds.giniExponent.toFixed(2)}`);
        expect(byToken.caption).toContain(`Gini ${ds.giniToken.toFixed(2)}`);
        await figure.screenshot({ path: `/tmp/division-spectra-${width}-${colorScheme}.png` });
        await page.close();
      });
    }
  }
});
