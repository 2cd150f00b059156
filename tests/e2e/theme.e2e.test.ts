// The charts as a reader sees them, light and dark: the pixels uPlot and the heat maps paint are
// measured against the page's own background (WCAG contrast), the theme switch is followed and
// remembered, and the spectrum's labels are readable and never run together.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { baseURL, useBrowser } from './browser.ts';

const browser = useBrowser();

/**
 * WCAG contrast against the page's background of a canvas's pixels in one region (the y axis,
 * the plot, or all of it), each pixel composited over the page as the reader sees it: the
 * strongest of the opaque pixels, and the mean over all painted ones.
 */
function canvasContrast(
  canvas: Locator,
  region: 'axis' | 'plot' | 'all',
): Promise<{ strongest: number; mean: number }> {
  return canvas.evaluate((element, region) => {
    const luminance = (rgb: number[]) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(rgb[0]!) + 0.7152 * lin(rgb[1]!) + 0.0722 * lin(rgb[2]!);
    };
    const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const ground = getComputedStyle(document.body)
      .backgroundColor.match(/[\d.]+/g)!
      .map(Number);
    const bg = luminance(ground);
    const canvas = element as HTMLCanvasElement;
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    let [x0, y0, x1, y1] = [0, 0, canvas.width, canvas.height];
    const over = canvas.parentElement?.querySelector<HTMLElement>('.u-over');
    if (over && region === 'axis') x1 = Math.floor(over.offsetLeft * scale);
    if (over && region === 'plot') {
      [x0, y0] = [over.offsetLeft * scale, over.offsetTop * scale];
      [x1, y1] = [x0 + over.offsetWidth * scale, y0 + over.offsetHeight * scale];
    }
    const data = canvas
      .getContext('2d')!
      .getImageData(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)).data;
    let [strongest, sum, n] = [1, 0, 0];
    for (let i = 0; i < data.length; i += 4) {
      const alpha = data[i + 3]! / 255;
      if (alpha === 0) continue; // uPlot leaves its ground transparent: the page shows through
      const seen = [0, 1, 2].map((c) => data[i + c]! * alpha + ground[c]! * (1 - alpha));
      const c = contrast(luminance(seen), bg);
      if (alpha > 0.9) strongest = Math.max(strongest, c);
      sum += c;
      n++;
    }
    return { strongest, mean: n ? sum / n : 1 };
  }, region);
}

async function openRecordedRuns(page: Page) {
  await page.goto(baseURL() + '/lessons/08-grokking/');
  const runs = page.getByTestId('recorded-runs');
  await runs.scrollIntoViewIfNeeded();
  await runs.getByTestId('curve').nth(3).locator('canvas').waitFor();
  await page.waitForTimeout(300); // uPlot draws on the next frame
}

describe('charts in both themes', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      it(`draw axes, ticks and curves that stand out from the ${colorScheme} page at ${width} px`, async () => {
        const page = await browser().newPage({ viewport: { width, height: 900 }, colorScheme });
        await openRecordedRuns(page);
        const canvases = page.getByTestId('recorded-runs').locator('canvas');
        expect(await canvases.count()).toBe(4);
        for (let i = 0; i < 4; i++) {
          // Tick labels: their solid pixels are text-coloured, at least 4.5:1 (WCAG AA).
          const axis = await canvasContrast(canvases.nth(i), 'axis');
          expect(axis.strongest, `chart ${i} axis, ${colorScheme}`).toBeGreaterThanOrEqual(4.5);
          // The curves: some pixels of the plot at least 3:1, as WCAG asks of graphics.
          const plot = await canvasContrast(canvases.nth(i), 'plot');
          expect(plot.strongest, `chart ${i} curves, ${colorScheme}`).toBeGreaterThanOrEqual(3);
        }
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(bg).toBe(colorScheme === 'dark' ? 'rgb(21, 23, 28)' : 'rgb(253, 253, 251)');
        await page.close();
      });
    }
  }

  it('paints the frequency map from the page’s ground, not a white block, in dark mode', async () => {
    const page = await browser().newPage({
      viewport: { width: 390, height: 900 },
      colorScheme: 'dark',
    });
    await page.goto(baseURL() + '/lessons/09-progress-measures/');
    await page.getByTestId('scrubber').scrollIntoViewIfNeeded();
    const map = page.getByTestId('frequency-map-embedding_norms').locator('canvas');
    await map.waitFor();
    const seen = await canvasContrast(map, 'all');
    // Most cells are faint: on the mean they sit near the ground (a white map scores about 17),
    // while the key rows stand out.
    expect(seen.mean).toBeLessThan(4);
    expect(seen.strongest).toBeGreaterThanOrEqual(3);
    await page.close();
  });
});

describe('the theme switch', () => {
  it('overrides the system, redraws the charts, and is remembered across a reload', async () => {
    const page = await browser().newPage({
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
    });
    await openRecordedRuns(page);
    const body = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await body()).toBe('rgb(253, 253, 251)');
    await page.getByTestId('theme-switch').selectOption('dark');
    expect(await body()).toBe('rgb(21, 23, 28)');
    await page.waitForTimeout(300);
    const canvas = page.getByTestId('recorded-runs').locator('canvas').first();
    expect((await canvasContrast(canvas, 'axis')).strongest).toBeGreaterThanOrEqual(4.5);
    await page.reload();
    expect(await body()).toBe('rgb(21, 23, 28)');
    expect(await page.getByTestId('theme-switch').inputValue()).toBe('dark');
    await page.getByTestId('theme-switch').selectOption('auto');
    expect(await body()).toBe('rgb(253, 253, 251)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await body()).toBe('rgb(21, 23, 28)');
    await page.reload();
    expect(await page.getByTestId('theme-switch').inputValue()).toBe('auto');
    await page.close();
  });
});

describe("the spectrum's labels", () => {
  for (const width of [1280, 390]) {
    it(`are at least 10 px tall and never overlap, at ${width} px`, async () => {
      const page = await browser().newPage({ viewport: { width, height: 900 } });
      await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
      const boxes = await page.$$eval('[data-testid="spectrum-label"]', (labels) =>
        labels.map((l) => {
          const r = l.getBoundingClientRect();
          return {
            text: l.textContent,
            left: r.left,
            right: r.right,
            top: r.top,
            bottom: r.bottom,
          };
        }),
      );
      expect(boxes.length).toBeGreaterThanOrEqual(4);
      for (const [i, a] of boxes.entries()) {
        expect(a.bottom - a.top, `label ${a.text}`).toBeGreaterThanOrEqual(10);
        for (const b of boxes.slice(i + 1)) {
          const apart =
            a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
          expect(apart, `labels ${a.text} and ${b.text}`).toBe(true);
        }
      }
      await page.close();
    });
  }
});
