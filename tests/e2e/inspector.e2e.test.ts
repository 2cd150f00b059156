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
const { params, config } = loadModel(
  new Uint8Array(readFileSync('models/paper/model.safetensors')),
);

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
