// The grokking lab in Chromium: the Quick grok preset trains on WASM in a worker until it
// generalises, the plots fill, pause and resume work, the run measured with its final key
// frequencies shows the progress measures moving first, the run and the model export, the curves
// survive a reload, and a run moves to another backend mid-course. The scrubber replays the recorded run.
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import type { HistoryRow } from '../../lib/train/metrics.ts';
import { detectPhases } from '../../lib/train/phases.ts';
import { runFromJson } from '../../lib/train/run-file.ts';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { baseURL, openWidget, watchedPage, useBrowser } from './browser.ts';

const browser = useBrowser();

describe('grokking lab', () => {
  it('groks with the Quick grok preset on WASM, plotting as it goes; pause holds the epoch', async () => {
    const { page, faults } = await watchedPage(browser());
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
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
      .filter({ hasText: 'test accuracy ≥ 99%' })
      .waitFor({ timeout: 400_000 });
    const phases = (await lab.getByTestId('phases').textContent()) ?? '';
    const memorised = Number(/memorisation: epochs 0–([\d,]+)/.exec(phases)![1]!.replace(',', ''));
    const generalised = Number(/from epoch ([\d,]+)/.exec(phases)![1]!.replace(',', ''));
    expect(memorised).toBeLessThan(generalised); // grokking: generalisation comes long after
    for (const curve of await page.getByTestId('curve').all()) {
      expect(Number(await curve.getAttribute('data-points'))).toBeGreaterThan(10);
    }
    expect(await lab.getByTestId('spectrum').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await lab.getByRole('button', { name: 'Stop' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 60_000 });
    // At the end every evaluation is measured with the run's final key frequencies, as the paper
    // measures: then the progress measures move before the test loss falls (§5.1).
    await expect
      .poll(() => lab.getByTestId('measured-with').textContent(), { timeout: 60_000 })
      .toContain('final key frequencies');
    const [runDownload] = await Promise.all([
      page.waitForEvent('download'),
      lab.getByTestId('export-run').click(),
    ]);
    const runPath = (await runDownload.path())!;
    const run = runFromJson(readFileSync(runPath, 'utf8'));
    expect(run.keyFreqs.length).toBeGreaterThan(0);
    expect(run.history.every((r) => r.key_freqs.join() === run.keyFreqs.join())).toBe(true);
    const rows = run.history;
    const at = (found: HistoryRow | undefined) => found?.epoch ?? Infinity;
    const end = rows.find((r) => r.train_accuracy >= 0.99)!;
    const testFalls = at(rows.find((r) => r.test_loss < 1));
    const restrictedFalls = at(rows.find((r) => r.epoch > end.epoch && r.restricted_loss! < 1));
    const excludedRises = at(
      rows.find((r) => r.epoch > end.epoch && r.excluded_loss! > 1.5 * end.excluded_loss!),
    );
    expect(restrictedFalls).toBeLessThan(testFalls);
    expect(excludedRises).toBeLessThan(testFalls);
    expect(testFalls).toBeLessThan(Infinity);
    expect(run.snapshots.map((s) => s.epoch)).toEqual(rows.map((r) => r.epoch));
    expect(
      Number(await lab.getByTestId('frequency-map-embedding_norms').getAttribute('data-columns')),
    ).toBe(rows.length);
    // The trained model, as a safetensors file that the rest of the course reads.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      lab.getByTestId('export-model').click(),
    ]);
    const model = loadModel(new Uint8Array(readFileSync((await download.path())!)));
    expect(model.config.p).toBe(59);
    expect(model.metadata['op']).toBe('add');
    // Closing the tab loses nothing shown: the curves come back.
    const points = await lab.getByTestId('curve').first().getAttribute('data-points');
    await page.reload();
    await page.locator('[data-testid="lab"][data-ready="true"]').waitFor();
    expect(await lab.getByTestId('lab-message').textContent()).toContain('previous visit');
    expect(await lab.getByTestId('curve').first().getAttribute('data-points')).toBe(points);
    // …and the run carries on from its last measured state.
    await expect
      .poll(() => lab.getByTestId('lab-message').textContent())
      .toContain('Carry on resumes it from epoch');
    const kept = Number(
      /from epoch (\d+)/.exec((await lab.getByTestId('lab-message').textContent())!)![1],
    );
    await lab.getByRole('button', { name: 'Carry on' }).click();
    await page.locator('[data-testid="lab"][data-status="running"]').waitFor({ timeout: 60_000 });
    const epochNow = async () =>
      Number(/epoch (\d+)/.exec((await lab.getByTestId('epoch').textContent())!)![1]);
    await expect.poll(epochNow, { timeout: 60_000 }).toBeGreaterThan(kept);
    await lab.getByRole('button', { name: 'Stop' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 60_000 });
    // The exported run loads back: its curves, as they were.
    await lab.getByTestId('load-run').setInputFiles(runPath);
    await expect
      .poll(() => lab.getByTestId('lab-message').textContent(), { timeout: 20_000 })
      .toContain('Loaded');
    expect(await lab.getByTestId('curve').first().getAttribute('data-points')).toBe(
      String(rows.length),
    );
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 480_000);

  it('moves a run to another backend mid-course and carries on from its epoch', async () => {
    const { page, faults } = await watchedPage(browser());
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
    await lab.getByRole('button', { name: 'Start' }).click();
    const epoch = async () =>
      Number(/epoch (\d+)/.exec((await lab.getByTestId('epoch').textContent())!)![1]);
    await expect.poll(epoch, { timeout: 60_000 }).toBeGreaterThan(30);
    await lab.getByTestId('lab-backend').selectOption('webgpu');
    await lab
      .getByTestId('lab-message')
      .filter({ hasText: 'Carrying on from epoch' })
      .waitFor({ timeout: 60_000 });
    const moved = Number(
      /from epoch (\d+)/.exec((await lab.getByTestId('lab-message').textContent())!)![1],
    );
    expect(moved).toBeGreaterThan(30);
    await page.locator('[data-testid="lab"][data-status="running"]').waitFor({ timeout: 120_000 });
    await expect.poll(epoch, { timeout: 120_000 }).toBeGreaterThan(moved);
    expect(await lab.textContent()).toContain('WebGPU');
    await lab.getByRole('button', { name: 'Stop' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 120_000 });
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000);
});

describe("the paper's configuration from a recorded checkpoint", () => {
  const { milestones } = JSON.parse(readFileSync('models/paper/manifest.json', 'utf8')) as {
    milestones: { cleanupStart: number; testBelowOne: number; cleanedUp: number };
  };
  const from = milestones.cleanupStart;
  const n = (x: number) => x.toLocaleString('en');

  it('times a step here and says how long the recorded run took to grok on this machine', async () => {
    const { page, faults } = await watchedPage(browser());
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
    await lab.getByRole('button', { name: /The paper/ }).click();
    const warning = lab.getByTestId('paper-warning');
    expect(await warning.textContent()).toContain(
      `its test loss fell below 1 at epoch ${n(milestones.testBelowOne)}`,
    );
    await warning.getByRole('button', { name: 'Time a step here' }).click();
    const estimate = warning.getByTestId('paper-estimate');
    await estimate.waitFor({ timeout: 120_000 });
    const text = (await estimate.textContent())!;
    const ms = Number(/One step takes (\d+) ms here on WASM/.exec(text)![1]);
    expect(ms).toBeGreaterThan(0);
    expect(text).toMatch(/about \d.* to the test loss below 1, .* to clean-up/);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 180_000);

  it('carries the recorded run on from the start of clean-up: its weights, not a new start', async () => {
    const { page, faults } = await watchedPage(browser());
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
    await lab.getByRole('button', { name: /The paper/ }).click();
    await lab.getByRole('button', { name: `epoch ${n(from)} (clean-up starts)` }).click();
    await page.locator('[data-testid="lab"][data-status="running"]').waitFor({ timeout: 120_000 });
    expect(await lab.getByTestId('lab-message').textContent()).toContain(
      `checkpoint at epoch ${n(from)}`,
    );
    const epoch = async () =>
      Number(
        /epoch ([\d,]+)/
          .exec((await lab.getByTestId('epoch').textContent())!)![1]!
          .replace(',', ''),
      );
    await expect.poll(epoch, { timeout: 120_000 }).toBeGreaterThan(from);
    await lab.getByRole('button', { name: 'Stop' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 120_000 });
    // The run is measured where it stopped: the recorded run had learnt its training set by
    // then (models/paper/history.json), a new start would be at chance. Its phases are read off
    // the recorded curves, which begin at epoch 0.
    expect(await lab.getByTestId('phases').textContent()).toMatch(/memorisation: epochs 0–/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      lab.getByTestId('export-run').click(),
    ]);
    const run = runFromJson(readFileSync((await download.path())!, 'utf8'));
    const recorded = (
      JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as { history: HistoryRow[] }
    ).history.find((row) => row.epoch === from)!;
    // The curves start with the recorded run's, to the checkpoint.
    expect(run.history[0]!.epoch).toBe(0);
    expect(run.history.find((row) => row.epoch === from)!.test_loss).toBe(recorded.test_loss);
    const last = run.history.at(-1)!;
    expect(last.epoch).toBeGreaterThan(from);
    expect(last.train_accuracy).toBeGreaterThanOrEqual(recorded.train_accuracy - 0.01);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 300_000);
});

describe('before the lab has hydrated', () => {
  it('a click on Start as soon as the page shows it still starts the run', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/lessons/08-grokking/');
    const lab = page.getByTestId('lab');
    await lab.scrollIntoViewIfNeeded();
    // No wait for hydration: the button is disabled until the island can act on it.
    await lab.getByRole('button', { name: 'Start' }).click();
    await page.locator('[data-testid="lab"][data-status="running"]').waitFor({ timeout: 60_000 });
    await lab.getByRole('button', { name: 'Stop' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 60_000 });
    // A finished run is not thrown away by one click: Train again asks first.
    await lab.getByRole('button', { name: 'Train again' }).click();
    await lab.getByRole('button', { name: 'Keep them' }).click();
    expect(await lab.getAttribute('data-status')).toBe('done');
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 200_000);
});

describe('comparing runs', () => {
  it('sweeps weight decay in three runs and overlays them, labelled by what differs', async () => {
    const { page, faults } = await watchedPage(browser());
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
    await lab.getByLabel('epochs').fill('120');
    await lab.getByTestId('sweep-weightDecay').click();
    await expect
      .poll(() => lab.getByTestId('sweep-status').textContent(), { timeout: 60_000 })
      .toContain('run 1 of 3');
    const compare = lab.getByTestId('compare');
    await page.locator('[data-testid="compare"][data-runs="3"]').waitFor({ timeout: 240_000 });
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await lab.getByTestId('sweep-status').count()).toBe(0);
    const readout = (await compare.getByTestId('curve').locator('.latest').textContent()) ?? '';
    for (const label of ['weight decay 0.3', 'weight decay 1', 'weight decay 3']) {
      expect(readout).toContain(label);
    }
    await compare.getByTestId('compare-measure').selectOption('restricted_loss');
    expect(await compare.getByTestId('curve').locator('figcaption').textContent()).toContain(
      'restricted',
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 400_000);
});

describe('careless use of the lab', () => {
  it('sweeps after a run with the same settings: four runs told apart, and the lab finishes', async () => {
    const { page, faults } = await watchedPage(browser());
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
    await lab.getByLabel('epochs').fill('60');
    await lab.getByLabel('weight decay').fill('1');
    await lab.getByRole('button', { name: 'Start' }).click();
    await page.locator('[data-testid="compare"][data-runs="1"]').waitFor({ timeout: 120_000 });
    await lab.getByTestId('sweep-weightDecay').click();
    await page.locator('[data-testid="compare"][data-runs="4"]').waitFor({ timeout: 300_000 });
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 60_000 });
    const readout = (await lab.getByTestId('compare').locator('.latest').textContent()) ?? '';
    const labels = [...readout.matchAll(/weight decay [\d.]+(?: \(run \d+\))?/g)].map((m) => m[0]);
    expect(new Set(labels).size).toBe(labels.length); // no two runs share a label
    expect(labels.filter((l) => l.startsWith('weight decay 1')).length).toBe(2);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 480_000);

  it('refuses an emptied setting with a message, and never writes it into the link', async () => {
    const { page, faults } = await watchedPage(browser());
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
    await lab.getByLabel('weight decay').fill('');
    const errors = lab.locator('ul.errors');
    await expect.poll(() => errors.textContent()).toMatch(/weight decay/i);
    expect(await lab.getByRole('button', { name: 'Start' }).isDisabled()).toBe(true);
    expect(page.url()).not.toContain('weightDecay=null');
    // A link with an empty setting is refused the same way, not read as 0.
    await page.goto(baseURL() + '/lessons/08-grokking/?weightDecay=&seed=');
    const again = page.getByTestId('lab');
    await again.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="lab"][data-ready="true"]').waitFor();
    await expect.poll(() => again.locator('ul.errors').textContent()).toMatch(/weight decay/i);
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  });

  it('keeps a finished run when another preset is picked: no Carry on under the new shapes', async () => {
    const { page, faults } = await watchedPage(browser());
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
    await lab.getByLabel('epochs').fill('60');
    await lab.getByRole('button', { name: 'Start' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 120_000 });
    await lab.getByLabel('epochs').fill('120');
    expect(await lab.getByRole('button', { name: 'Carry on' }).count()).toBe(1);
    await lab.getByRole('button', { name: 'The paper' }).click();
    expect(await lab.getByRole('button', { name: 'Carry on' }).count()).toBe(0);
    await expect
      .poll(() => lab.getByTestId('lab-message').textContent())
      .toContain('Carry on needs');
    // The kept run survives a reload, with its own settings.
    await page.reload();
    const kept = page.getByTestId('lab');
    await kept.scrollIntoViewIfNeeded();
    await expect
      .poll(() => kept.getByTestId('lab-message').textContent(), { timeout: 30_000 })
      .toContain('kept from your previous visit');
    expect(await kept.getByTestId('lab-message').textContent()).not.toContain('could not be read');
    expect(await kept.getByLabel('p (prime)').inputValue()).toBe('59');
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  }, 240_000);
});

describe('a WebGPU failure mid-run', () => {
  it('falls back to WASM from the last state and says so', async () => {
    const { page, faults } = await watchedPage(browser());
    const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
    await lab.getByTestId('lab-backend').selectOption('webgpu');
    await lab.getByRole('button', { name: 'Start' }).click();
    await page
      .locator('[data-testid="curve"][data-points="1"]')
      .first()
      .waitFor({ timeout: 120_000 });
    // Break the GPU under the running worker, as a lost device does: every submission fails.
    for (const worker of page.workers().filter((w) => w.url().includes('train.webgpu.worker'))) {
      // A worker that has already stopped (onnxruntime's threads come and go) needs no patch.
      await worker
        .evaluate(() => {
          const queue = (self as unknown as { GPUQueue?: { prototype: { submit: unknown } } })
            .GPUQueue;
          if (queue) {
            queue.prototype.submit = () => {
              throw new Error('the GPU device was lost (simulated)');
            };
          }
        })
        .catch(() => {});
    }
    await lab
      .getByTestId('lab-message')
      .filter({ hasText: 'WebGPU failed' })
      .waitFor({ timeout: 120_000 });
    expect(await lab.getByTestId('lab-message').textContent()).toContain('on WASM');
    await page.locator('[data-testid="lab"][data-status="running"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => lab.textContent(), { timeout: 60_000 }).toContain('WASM, ');
    const points = Number(await lab.getByTestId('curve').first().getAttribute('data-points'));
    await page
      .locator(`[data-testid="curve"][data-points="${points + 1}"]`)
      .first()
      .waitFor({ timeout: 120_000 });
    await lab.getByRole('button', { name: 'Stop' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  }, 400_000);
});

/** Moves a range input to `value` as a drag would. */
async function slide(range: Locator, value: number) {
  await range.evaluate((input: HTMLInputElement, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

describe('the scrubber over the recorded run', () => {
  it('shows every plot, the phase and the spectrum at the chosen epoch', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/lessons/09-progress-measures/');
    const scrubber = page.getByTestId('scrubber');
    await scrubber.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="scrubber"][data-ready="true"]').waitFor({ timeout: 60_000 });
    // The recorded run's file, and the phases the rules find in it: a point inside each.
    const recorded = (
      JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as { history: HistoryRow[] }
    ).history;
    for (const curve of await scrubber.getByTestId('curve').all()) {
      expect(Number(await curve.getAttribute('data-points'))).toBe(recorded.length);
    }
    const { memorised, cleanupStart, cleanedUp } = detectPhases(recorded);
    const within = (from: number, to: number) => 100 * Math.round((from + to) / 200);
    const last = recorded.at(-1)!.epoch;
    const range = scrubber.getByTestId('scrub');
    const lastSlid = within(cleanedUp!, last);
    for (const [epoch, phase] of [
      [within(0, memorised!), 'memorisation'],
      [within(memorised!, cleanupStart!), 'circuit formation'],
      [within(cleanupStart!, cleanedUp!), 'clean-up'],
      [lastSlid, 'after clean-up'],
    ] as const) {
      await slide(range, epoch);
      expect(await scrubber.getByTestId('scrub-phase').textContent()).toContain(phase);
      expect(await scrubber.getByTestId('spectrum').textContent()).toContain(
        `epoch ${epoch.toLocaleString('en')}`,
      );
    }
    // Hovering a chart reads out the values at the epoch under the cursor.
    const curve = scrubber.getByTestId('curve').nth(2);
    await curve.scrollIntoViewIfNeeded();
    const box = (await curve.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
    await expect
      .poll(async () =>
        Number(/epoch (\d+)/.exec((await curve.locator('.latest').textContent())!)![1]),
      )
      .not.toBe(lastSlid);
    // …and the frequency map reads out the cell under the cursor.
    const map = scrubber.getByTestId('frequency-map-embedding_norms');
    await map.locator('canvas').hover({ position: { x: 5, y: 5 } });
    await map.locator('canvas').hover({ position: { x: 40, y: 30 } });
    await expect
      .poll(() => map.getByTestId('frequency-readout').textContent())
      .toMatch(/epoch [\d,]+, frequency \d+: /);
    expect(await axeViolations(page)).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 120_000);
});

describe("the lab's run file button", () => {
  it.each([1280, 390])(
    'refuses a run file too large to read before reading it, with a message, at %i px',
    async (width) => {
      const { page, faults } = await watchedPage(browser());
      await page.setViewportSize({ width, height: 900 });
      const lab = await openWidget(page, '/lessons/08-grokking/', 'lab');
      // A sparse file of 300 MB: the browser sees its size, and nothing of it may be read.
      const huge = join(tmpdir(), 'huge-run.json');
      writeFileSync(huge, '');
      truncateSync(huge, 300 * 2 ** 20);
      await lab.getByTestId('load-run').setInputFiles(huge);
      const error = lab.getByTestId('load-run-error');
      await expect
        .poll(() => error.textContent())
        .toContain('huge-run.json is 300 MB, more than the 256 MB the page reads');
      const box = (await error.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
      await page.close();
    },
    120_000,
  );
});
