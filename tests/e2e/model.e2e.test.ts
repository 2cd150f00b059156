// The pretrained model in Chromium, on WASM and on WebGPU: the calculator answers (a + b) mod 113,
// every view of lesson 6 renders, ablating the key frequencies collapses accuracy, and a model
// file the student drops is used (or refused with a message).
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random.ts';
import { axeViolations } from './axe.ts';
import { baseURL, openWidget, watchedPage, useBrowser } from './browser.ts';

const browser = useBrowser();

describe('calculator on the pretrained model', () => {
  it.each(['wasm', 'webgpu'] as const)(
    'answers (a + b) mod 113 for random inputs on %s',
    async (backend) => {
      const { page, faults } = await watchedPage(browser());
      await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
      const calc = page.getByTestId('calculator');
      await calc.scrollIntoViewIfNeeded();
      await page.locator('[data-testid="calculator"][data-ready="true"]').waitFor();
      await calc.getByTestId('backend').selectOption(backend);
      const run = calc.getByRole('button', { name: 'Run the model' });
      if (await run.count()) await run.click();
      await calc.getByTestId('calc-answer').waitFor({ timeout: 240_000 });
      expect(await calc.getByTestId('backend-used').textContent()).toContain(
        backend === 'webgpu' ? 'on WebGPU' : 'on WASM',
      );
      const random = mulberry32(backend === 'wasm' ? 1 : 2);
      for (let k = 0; k < 5; k++) {
        const [a, b] = [Math.floor(random() * 113), Math.floor(random() * 113)];
        await calc.getByTestId('calc-a').fill(String(a));
        await calc.getByTestId('calc-b').fill(String(b));
        expect(await calc.getByTestId('calc-answer').textContent(), `${a} + ${b}`).toBe(
          String((a + b) % 113),
        );
      }
      await calc.getByTestId('calc-a').fill('200');
      expect(await calc.getByRole('alert').first().textContent()).toContain('from 0 to 112');
      expect(await axeViolations(page)).toEqual([]);
      expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
      await page.close();
    },
    300_000,
  );

  it('shows a neuron over (a, b) and in the Fourier basis, lit at a key frequency', async () => {
    const { page, faults } = await watchedPage(browser());
    const view = await openWidget(page, '/lessons/06-fourier-multiplication/', 'neuron-view');
    await view.getByRole('button', { name: 'Run the model' }).click();
    await view.getByTestId('neuron-top').waitFor({ timeout: 120_000 });
    await view.getByTestId('neuron-index').fill('17');
    const top = (await view.getByTestId('neuron-top').textContent()) ?? '';
    const frequencies = [...top.matchAll(/(?:cos|sin) (\d+)/g)].map((m) => Number(m[1]));
    expect(frequencies.length).toBeGreaterThan(0);
    for (const k of frequencies) expect([7, 13, 38, 46]).toContain(k);
    // Both pictures were painted: not one flat colour.
    for (const id of ['neuron-grid', 'neuron-spectrum']) {
      const colours = await view
        .getByTestId(id)
        .locator('canvas')
        .evaluate((canvas: HTMLCanvasElement) => {
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
          return new Set(
            Array.from({ length: data.width * data.height }, (_, i) => data.data[4 * i]!),
          ).size;
        });
      expect(colours, id).toBeGreaterThan(10);
    }
    // In the Fourier picture a few cells stand out, and none of them is the constant term: the
    // colour scale is set by the components that carry the algorithm.
    const bright = await view
      .getByTestId('neuron-spectrum')
      .locator('canvas')
      .evaluate((canvas: HTMLCanvasElement) => {
        const { data, width } = canvas
          .getContext('2d')!
          .getImageData(0, 0, canvas.width, canvas.height);
        const cells: number[] = [];
        for (let i = 0; i < data.length / 4; i++) if (data[4 * i]! >= 128) cells.push(i);
        return { cells, total: width * width };
      });
    expect(bright.cells.length).toBeGreaterThanOrEqual(2);
    expect(bright.cells.length).toBeLessThan(0.01 * bright.total);
    expect(bright.cells).not.toContain(0);
    await view
      .getByTestId('neuron-spectrum')
      .locator('canvas')
      .hover({ position: { x: 3, y: 3 } });
    await view
      .getByTestId('neuron-spectrum')
      .locator('canvas')
      .hover({ position: { x: 30, y: 3 } });
    await expect
      .poll(() => view.getByTestId('neuron-spectrum-readout').textContent())
      .toMatch(/a (const|cos \d+|sin \d+), b (const|cos \d+|sin \d+): /);
    // The close-up draws the neuron's frequency block large, with its numbers: the frequency is the
    // strongest component's, the block holds most of the neuron, and the largest cell in it is the
    // strongest component's value; the overview rings the block's eight cells.
    const closeUp = view.getByTestId('neuron-close-up');
    const heading = (await closeUp.locator('caption').textContent()) ?? '';
    const [, k, share] = heading.match(/frequency (\d+): (\d+)%/) ?? [];
    expect(frequencies).toContain(Number(k));
    expect(Number(share)).toBeGreaterThan(85);
    const strongest = (await view.getByTestId('neuron-strongest').textContent()) ?? '';
    const cells = await closeUp.locator('td').allTextContents();
    expect(cells).toHaveLength(9);
    expect(strongest).toContain(`(${Math.max(...cells.slice(1).map(Number)).toPrecision(3)})`);
    expect(await view.getByTestId('neuron-spectrum-marks').locator('circle').count()).toBe(8);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const fit = await closeUp.locator('table').evaluate((table) => ({
        right: table.getBoundingClientRect().right,
        viewport: document.documentElement.clientWidth,
        font: parseFloat(getComputedStyle(table.querySelector('td')!).fontSize),
      }));
      expect(fit.right, `close-up at ${width} px`).toBeLessThanOrEqual(fit.viewport);
      expect(fit.font).toBeGreaterThanOrEqual(12);
    }
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000);
});

const lesson6 = '/lessons/06-fourier-multiplication/';

/** Runs the model in one view on a backend and waits for `ready` inside it. */
async function runView(page: Page, testid: string, backend: string, ready: string) {
  const view = page.getByTestId(testid);
  await view.scrollIntoViewIfNeeded();
  await page.locator(`[data-testid="${testid}"][data-ready="true"]`).waitFor();
  await view.getByTestId('backend').selectOption(backend);
  const run = view.getByRole('button', { name: 'Run the model' });
  if (await run.count()) await run.click();
  await view.getByTestId(ready).first().waitFor({ timeout: 240_000 });
  return view;
}

/** How many distinct red levels a canvas holds: more than a few means a picture was painted. */
const colourCount = (canvas: Locator) =>
  canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    return new Set(Array.from({ length: data.length / 4 }, (_, i) => data[4 * i]!)).size;
  });

describe('the views of lesson 6', () => {
  it('show a precomputed picture before the model has run', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + lesson6);
    for (const id of ['attention-view', 'neuron-view', 'logit-view', 'ablation-view']) {
      const preview = page.getByTestId(id).getByTestId('preview');
      await preview.scrollIntoViewIfNeeded();
      await expect
        .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBeGreaterThan(100);
    }
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 60_000);

  it.each(['wasm', 'webgpu'] as const)(
    'attention, logits against cosines and live ablation render on %s',
    async (backend) => {
      const { page, faults } = await watchedPage(browser());
      await page.goto(baseURL() + lesson6);
      const attention = await runView(page, 'attention-view', backend, 'attention-head');
      expect(await attention.getByTestId('backend-used').textContent()).toContain(
        backend === 'webgpu' ? 'on WebGPU' : 'on WASM',
      );
      const heads = attention.getByTestId('attention-head');
      expect(await heads.count()).toBe(4);
      for (let h = 0; h < 4; h++) {
        expect(await colourCount(heads.nth(h).locator('canvas')), `head ${h}`).toBeGreaterThan(10);
      }
      // The other views share the run: no second download, no button to press, no preview left.
      const logitView = page.getByTestId('logit-view');
      await logitView.scrollIntoViewIfNeeded();
      await page.locator('[data-testid="logit-view"][data-ready="true"]').waitFor();
      expect(await logitView.getByRole('button', { name: 'Run the model' }).count()).toBe(0);
      expect(await logitView.getByTestId('preview').count()).toBe(0);
      expect(await logitView.getByTestId('backend').inputValue()).toBe(backend);
      const logit = await runView(page, 'logit-view', backend, 'logit-explained');
      expect(await logit.getByTestId('logit-explained').textContent()).toMatch(
        /key frequencies explain \d+\.\d% of the logits' variance/,
      );
      expect(await logit.locator('[data-testid="logit-chart"] circle').count()).toBe(114);
      await logit.getByTestId('logit-chart').hover({ position: { x: 120, y: 40 } });
      await logit.getByTestId('logit-chart').hover({ position: { x: 200, y: 40 } });
      await expect
        .poll(() => logit.getByTestId('logit-readout').textContent())
        .toMatch(/c = \d+: logit − mean -?\d+\.\d\d, cosines -?\d+\.\d\d/);

      const ablation = await runView(page, 'ablation-view', backend, 'ablation-accuracy');
      const accuracy = async () =>
        Number.parseFloat((await ablation.getByTestId('ablation-accuracy').textContent())!);
      expect(await accuracy()).toBe(100);
      const keys = ablation.getByTestId('ablate-key');
      expect(await keys.count()).toBe(4);
      expect(await ablation.getByTestId('ablation-bare').count()).toBe(0);
      await ablation.getByTestId('ablate-others').uncheck();
      await expect.poll(accuracy).toBe(100);
      // Without the other frequencies the view scores both, with and without the constant term.
      const bare = ablation.getByTestId('ablation-bare');
      await bare.waitFor();
      expect(await bare.textContent()).toMatch(/Without it .*accuracy\s*\d+\.\d%\s*· loss\s*\S+/);
      expect((await bare.boundingBox())!.height).toBeGreaterThan(10);
      await ablation.getByTestId('ablate-others').check();
      await expect.poll(() => ablation.getByTestId('ablation-bare').count()).toBe(0);
      for (let j = 0; j < 4; j++) await keys.nth(j).uncheck();
      await expect.poll(accuracy).toBeLessThan(5);
      expect(await axeViolations(page)).toEqual([]);
      expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
      await page.close();
    },
    400_000,
  );

  it('takes a dropped safetensors model, and names what is wrong with a bad file', async () => {
    const { page, faults } = await watchedPage(browser());
    const picker = await openWidget(page, lesson6, 'model-picker');
    const dir = tmpdir();
    const bad = join(dir, 'notes.onnx');
    writeFileSync(bad, 'not a model at all');
    await picker.getByTestId('model-file').setInputFiles(bad);
    await picker.getByTestId('model-error').waitFor();
    expect(await picker.getByTestId('model-error').textContent()).toContain(
      'notes.onnx is neither a safetensors file nor an ONNX model',
    );
    // A file whose layout is right but whose weights are not: the picker's quick check passes it,
    // and the worker that reads the weights names the broken one.
    await picker
      .getByTestId('model-file')
      .setInputFiles('tests/fixtures/hostile/model-infinite-weight.safetensors');
    await expect
      .poll(() => picker.getByRole('alert').textContent(), { timeout: 60_000 })
      .toContain('Tensor unembed.W_U holds Infinity at entry 3');
    // The site's weights as a TransformerLens-style file: the page builds its ONNX graph itself.
    const mine = join(dir, 'my-model.safetensors');
    writeFileSync(mine, readFileSync('models/paper/model.safetensors'));
    await picker.getByTestId('model-file').setInputFiles(mine);
    await expect
      .poll(() => picker.getByTestId('model-name').textContent())
      .toBe('my-model.safetensors');
    await picker.getByTestId('card-keys').waitFor({ timeout: 240_000 });
    expect(await picker.getByTestId('card-accuracy').textContent()).toBe('100.00%');
    expect(await picker.getByTestId('card-keys').textContent()).toBe('7, 13, 38, 46');
    expect(await picker.getByTestId('spectrum').count()).toBe(1);
    // Other views follow the page's model.
    const calc = await runView(page, 'calculator', 'wasm', 'calc-answer');
    expect(await calc.getByTestId('backend-used').textContent()).toContain('my-model.safetensors');
    expect(await axeViolations(page)).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000);
});

describe('a PyTorch .pth in the picker', () => {
  it.each([1280, 390])(
    "converts the authors' layout, refuses oversized files, external data and a hostile pickle, at %i px",
    async (width) => {
      const { page, faults } = await watchedPage(browser());
      await page.setViewportSize({ width, height: 900 });
      const picker = await openWidget(page, lesson6, 'model-picker');
      const input = picker.getByTestId('model-file');
      // A sparse file: its size is what the page sees, and nothing of it may be read.
      const huge = join(tmpdir(), 'huge.pth');
      writeFileSync(huge, '');
      truncateSync(huge, 600 * 2 ** 20);
      await input.setInputFiles(huge);
      await expect
        .poll(() => picker.getByTestId('model-error').textContent())
        .toContain('huge.pth is 600 MB, more than the 512 MB the page reads');
      // Past 2 GB a browser's arrayBuffer() rejects without a word: refused from its size first.
      const larger = join(tmpdir(), 'larger.pth');
      writeFileSync(larger, '');
      truncateSync(larger, 2.5 * 2 ** 30);
      await input.setInputFiles(larger);
      await expect
        .poll(() => picker.getByTestId('model-error').textContent())
        .toContain('larger.pth is 2,560 MB, more than the 512 MB the page reads');
      // ONNX external data: the course's own words, not onnxruntime's message with its build path.
      await input.setInputFiles('tests/fixtures/hostile/model-external-data.onnx');
      await expect
        .poll(() => picker.getByTestId('model-error').textContent())
        .toContain('keeps its weights in a separate file (ONNX external data)');
      expect(await picker.getByTestId('model-error').textContent()).not.toMatch(
        /onnxruntime[/\\]|\.cc\b/,
      );
      await input.setInputFiles('tests/fixtures/hostile/model-os-system.pth');
      await expect
        .poll(() => picker.getByTestId('model-error').textContent())
        .toContain('the pickle names os.system, which a state dict does not use');
      await input.setInputFiles('tests/fixtures/pth/saved-run.pth');
      await expect.poll(() => picker.getByTestId('model-name').textContent()).toBe('saved-run.pth');
      expect(await picker.getByTestId('model-error').count()).toBe(0);
      expect(await picker.getByTestId('model-conversion').textContent()).toContain(
        "the unembedding's '=' column dropped (24 outputs to 23)",
      );
      await picker.getByTestId('model-card').waitFor({ timeout: 240_000 });
      expect(await picker.getByTestId('model-card').textContent()).toContain('23, 4, 128');
      // The message and the card stay inside the widget at this width.
      const overflow = await picker.evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
      await page.close();
    },
    300_000,
  );
});

describe('a software WebGPU adapter', () => {
  it('is named as such where a backend is chosen, with a word before it is picked', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
    const info = await page.evaluate(async () => {
      const gpu = (
        navigator as unknown as {
          gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> };
        }
      ).gpu;
      const adapter = await gpu?.requestAdapter();
      return adapter?.info
        ? `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`
        : 'none';
    });
    // This machine's headless Chromium has WebGPU through SwiftShader only (docs/testing.md).
    expect(info.toLowerCase()).toContain('swiftshader');
    const calc = page.getByTestId('calculator');
    await calc.scrollIntoViewIfNeeded();
    const select = calc.getByTestId('backend');
    await expect
      .poll(() => select.locator('option[value="webgpu"]').textContent())
      .toBe('WebGPU (software: slower than WASM)');
    await select.selectOption('webgpu');
    expect(await calc.getByTestId('backend-software').textContent()).toContain('software adapter');
    await select.selectOption('wasm');
    expect(await calc.getByTestId('backend-software').count()).toBe(0);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });
});
