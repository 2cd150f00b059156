// The weight inspector of lesson 3 in Chromium: it loads the shipped weights, reads a row of W_E
// in the Fourier basis as lib/modarith does, keeps typed indices inside their axes, and says when
// a slice has no Fourier reading.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fourierReading } from '../../lib/modarith/inspect.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import { axeViolations } from './axe.ts';
import { openWidget, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();
const file = new Uint8Array(readFileSync('models/paper/model.safetensors'));
const { params, config } = loadModel(file);

/** The four bytes of W_E[row, col] read straight from the file, as two-digit hex. */
function fileBytes(row: number, col: number): string {
  const headerLength = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength))) as Record<
    string,
    { dtype: string; data_offsets: [number, number] }
  >;
  const entry = header['embed.W_E']!;
  expect(entry.dtype).toBe('F32');
  const at = 8 + headerLength + entry.data_offsets[0] + 4 * (row * config.d_model + col);
  return Array.from(file.subarray(at, at + 4), (b) =>
    b.toString(16).toUpperCase().padStart(2, '0'),
  ).join(' ');
}

describe('the weight inspector', () => {
  it('reads a row of W_E in the Fourier basis as lib/modarith does', async () => {
    const { page, faults } = await watchedPage(browser());
    const inspector = await openWidget(
      page,
      '/lessons/03-reverse-engineering/',
      'weight-inspector',
    );
    await inspector.getByRole('button', { name: 'Load the weights' }).click();
    await inspector.getByTestId('inspect-summary').waitFor();
    await inspector.getByTestId('inspect-at-0').fill('42');
    await expect
      .poll(() => inspector.getByTestId('inspect-summary').textContent())
      .toContain('token 42');
    const shown = (await inspector.getByTestId('inspect-fourier').getAttribute('data-norms'))!
      .split(',')
      .map(Number);
    const expected = fourierReading(params, config, { name: 'embed.W_E', along: 1, at: [42, 0] })!;
    shown.forEach((n, k) => expect(n).toBeCloseTo(expected.norms[k]!, 9));
    expect(await axeViolations(page)).toEqual([]);
    // An index past the end is kept at the last token, '=', which is no number: no Fourier reading.
    await inspector.getByTestId('inspect-at-0').fill('9999');
    await expect
      .poll(() => inspector.getByTestId('inspect-summary').textContent())
      .toContain(`token ${config.p}`);
    await inspector.getByTestId('inspect-no-fourier').waitFor();
    await inspector.getByTestId('inspect-param').selectOption('blocks.0.mlp.b_in');
    expect(await inspector.getByTestId('inspect-summary').textContent()).toContain(
      `${config.d_mlp} numbers along the neuron axis`,
    );
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });
});

describe('the data inspector of the weight inspector', () => {
  for (const width of [1280, 390]) {
    it(`shows one weight's bytes as they lie in the file, and its readings, at ${width} px`, async () => {
      const { page, faults } = await watchedPage(browser());
      await page.setViewportSize({ width, height: 900 });
      const inspector = await openWidget(
        page,
        '/lessons/03-reverse-engineering/',
        'weight-inspector',
      );
      await inspector.getByRole('button', { name: 'Load the weights' }).click();
      await inspector.getByTestId('inspect-summary').waitFor();
      await inspector.getByTestId('inspect-at-0').fill('42');
      await inspector.getByTestId('inspect-cursor').fill('3');
      const hex = fileBytes(42, 3);
      await expect.poll(() => inspector.getByTestId('inspect-hex').textContent()).toBe(hex);
      const value = params['embed.W_E'].data[42 * config.d_model + 3]!;
      expect(Number(await inspector.getByTestId('inspect-f32').textContent())).toBeCloseTo(
        value,
        5,
      );
      const bytes = hex.split(' ').map((h) => parseInt(h, 16));
      const asInt = new DataView(Uint8Array.from(bytes).buffer).getInt32(0, true);
      expect(await inspector.getByTestId('inspect-i32').textContent()).toBe(String(asInt));
      // The panel fits the page: nothing runs past the widget's right edge.
      const panel = await inspector.getByTestId('inspect-bytes').boundingBox();
      const box = await inspector.boundingBox();
      expect(panel!.width).toBeGreaterThan(100);
      expect(panel!.x + panel!.width).toBeLessThanOrEqual(box!.x + box!.width + 1);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scroll).toBeLessThanOrEqual(width);
      // A cursor past the end is kept at the last value, never an empty panel.
      await inspector.getByTestId('inspect-cursor').fill('9999');
      const last = fileBytes(42, config.d_model - 1);
      await expect.poll(() => inspector.getByTestId('inspect-hex').textContent()).toBe(last);
      expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
      await page.close();
    });
  }
});
