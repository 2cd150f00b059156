// The course map's "Your progress" panel in Chromium, with the CSP on: an answer given and a draft,
// a name and a lab run kept; exported as one file, reset after the confirmation (which downloads a
// copy first), gone from the page and the course map, imported back; a conflict settled by the
// student; a file that is not a progress file refused with a message. At the root and under /course/.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { baseURL, courseURL, openWidget, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();

/** The kept names of the course in this page's localStorage, with their texts. */
const kept = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      Object.entries(localStorage).filter(([key]) => /^(\/course\/)?grokking[:-]/.test(key)),
    ),
  );

/** What the lab's database of `base` keeps under `last`: its run id and first weight. */
const labState = (page: Page, database: string) =>
  page.evaluate(
    (name) =>
      new Promise<string>((done) => {
        const open = indexedDB.open(name, 1);
        open.onupgradeneeded = () => open.result.createObjectStore('state');
        open.onsuccess = () => {
          const get = open.result.transaction('state').objectStore('state').get('last');
          get.onsuccess = () => {
            const value = get.result as { runId: string; state: { w: Float32Array } } | undefined;
            open.result.close();
            done(
              value ? `${value.runId} ${value.state.w.constructor.name} ${value.state.w[1]}` : '',
            );
          };
        };
      }),
    database,
  );

/** Keeps a lab run with its training state, as the lab does (components/lab/saved-run.ts). */
const keepLabRun = (page: Page, base: string) =>
  page.evaluate(
    (prefix) =>
      new Promise<void>((done) => {
        localStorage.setItem(
          `${prefix}grokking-lab/last-run`,
          JSON.stringify({ id: 'run-1', lab: {}, rows: [], epoch: 7 }),
        );
        const open = indexedDB.open(`${prefix}grokking-lab`, 1);
        open.onupgradeneeded = () => open.result.createObjectStore('state');
        open.onsuccess = () => {
          const tx = open.result.transaction('state', 'readwrite');
          const state = { epoch: 7, w: new Float32Array([0.5, -1.25]) };
          tx.objectStore('state').put({ runId: 'run-1', state }, 'last');
          tx.oncomplete = () => {
            open.result.close();
            done();
          };
        };
      }),
    base === '/' ? '' : base,
  );

/** Clicks `button` and returns the text of the file it downloads. */
async function downloaded(page: Page, click: () => Promise<void>) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  expect(download.suggestedFilename()).toMatch(/^grokking-progress-\d{4}-\d\d-\d\d\.json$/);
  return { path: (await download.path())!, text: readFileSync((await download.path())!, 'utf8') };
}

describe('your progress, exported, reset and imported', () => {
  it('carries answers, a draft, a name and the lab run through a reset (root)', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
    const question = page.locator('[data-testid="question"][data-id="06/cells"]');
    await question.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="question"][data-id="06/cells"][data-ready="true"]').waitFor();
    await question.getByRole('radio').nth(1).check();
    await question.getByRole('button', { name: 'Check' }).click();
    await question.getByTestId('question-verdict').waitFor();
    await page.evaluate(() => {
      localStorage.setItem('grokking:clock:draft:v1', '{"draft":"mine"}');
      localStorage.setItem('grokking:student:v1', '{"name":"Ada","id":"s-1"}');
      localStorage.setItem('grokking:backend:v1', 'wasm');
    });
    await keepLabRun(page, '/');

    const panel = await openWidget(page, '/', 'progress-panel');
    const lesson6 = page.locator('[data-testid="course-progress"][data-order="06"]');
    await expect
      .poll(() => lesson6.textContent())
      .toBe('visited · 1 of 4 questions answered right');
    expect(await axeViolations(page)).toEqual([]);
    const before = await kept(page);

    const file = await downloaded(page, () => panel.getByTestId('progress-export').click());
    const exported = JSON.parse(file.text) as { format: string; build: string; kept: object };
    expect(exported.format).toBe('grokking-progress/1');
    // The build as every export names it: the package's version and the commit built.
    expect(exported.build).toMatch(/^\d+\.\d+\.\d+(\+[0-9a-f]{12})?$/);
    expect(Object.keys(exported.kept)).toContain('grokking:student:v1');
    expect(Object.keys(exported.kept)).not.toContain('grokking:backend:v1');
    expect(exported).toMatchObject({
      lab: { last: { runId: 'run-1', state: { epoch: 7, w: { $float32: 'AAAAPwAAoL8=' } } } },
    });
    expect(await panel.getByTestId('progress-message').textContent()).toMatch(
      /^Exported \d+ items/,
    );

    // Reset: the dialog asks first, and its confirmation downloads a copy before removing.
    await panel.getByTestId('progress-reset').click();
    const dialog = panel.getByTestId('progress-reset-dialog');
    await dialog.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const copy = await downloaded(page, () => dialog.getByTestId('progress-reset-confirm').click());
    expect(JSON.parse(copy.text).kept).toEqual(exported.kept);
    await expect.poll(() => dialog.isVisible()).toBe(false);
    // The device's settings stay: the backend, and the mark that a root copy lives here.
    expect(await kept(page)).toEqual({
      'grokking:backend:v1': 'wasm',
      'grokking:root-copy:v1': '1',
    });
    expect(await labState(page, 'grokking-lab')).toBe('');
    await expect.poll(() => lesson6.textContent()).toBe('0 of 4 questions answered right');
    // The hand-in box in this same tab follows the reset: no name, no answers.
    const handIn = page.getByTestId('questions-export');
    await handIn.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="questions-export"][data-ready="true"]').waitFor();
    await expect.poll(() => handIn.getByLabel('Name').inputValue()).toBe('');
    await expect
      .poll(() => handIn.locator('p').first().textContent())
      .toMatch(/You have answered 0 of \d+ questions/);

    // Import brings everything back, the lab's weights as float32.
    await panel.getByTestId('progress-import').setInputFiles(file.path);
    await expect
      .poll(() => panel.getByTestId('progress-message').textContent())
      .toMatch(/^Took \d+ items/);
    expect(await kept(page)).toEqual(before);
    expect(await labState(page, 'grokking-lab')).toBe('run-1 Float32Array -1.25');
    await expect
      .poll(() => lesson6.textContent())
      .toBe('visited · 1 of 4 questions answered right');
    // And so does the hand-in box: the imported name and answers are what it would export.
    await expect.poll(() => handIn.getByLabel('Name').inputValue()).toBe('Ada');
    expect(await handIn.getByLabel('Student ID').inputValue()).toBe('s-1');
    await expect
      .poll(() => handIn.locator('p').first().textContent())
      .toMatch(/You have answered 1 of \d+ questions, 1 of them right/);

    // A draft that differs is the student's choice; nothing changes until they choose.
    await page.evaluate(() => localStorage.setItem('grokking:clock:draft:v1', '{"draft":"newer"}'));
    await panel.getByTestId('progress-import').setInputFiles(file.path);
    const conflicts = panel.getByTestId('progress-conflicts');
    await conflicts.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('grokking:clock:draft:v1'))).toBe(
      '{"draft":"newer"}',
    );
    await conflicts.getByRole('radio', { name: /Take the file's/ }).check();
    await panel.getByTestId('progress-apply').click();
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('grokking:clock:draft:v1')))
      .toBe('{"draft":"mine"}');
    expect(await panel.getByTestId('progress-message').textContent()).toContain(
      "took the file's copy of 1 of 1 that differed",
    );

    // Not a progress file: a message, nothing changed.
    await panel.getByTestId('progress-import').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format": "grokking-progress/1", '),
    });
    expect(await panel.getByTestId('progress-error').textContent()).toMatch(
      /^notes\.json: The file is not JSON/,
    );
    await panel.getByTestId('progress-import').setInputFiles({
      name: 'newer.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format": "grokking-progress/9"}'),
    });
    await expect
      .poll(() => panel.getByTestId('progress-error').textContent())
      .toMatch(/newer build/);
    expect(await kept(page)).toEqual(before);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });

  it('keeps to its own base under /course/', async () => {
    const { page, faults } = await watchedPage(browser(), courseURL());
    await page.goto(courseURL() + '/');
    await page.evaluate(() => {
      localStorage.setItem('/course/grokking:visited:v1', '["06-fourier-multiplication"]');
      localStorage.setItem('grokking:visited:v1', '["root-copy"]');
    });
    await keepLabRun(page, '/course/');
    const panel = await openWidget(page, '/', 'progress-panel', courseURL());
    const file = await downloaded(page, () => panel.getByTestId('progress-export').click());
    const exported = JSON.parse(file.text) as { base: string; kept: Record<string, string> };
    expect(exported.base).toBe('/course/');
    expect(exported.kept['grokking:visited:v1']).toBe('["06-fourier-multiplication"]');

    await panel.getByTestId('progress-reset').click();
    await downloaded(page, () => panel.getByTestId('progress-reset-confirm').click());
    // The unscoped key is another copy's (or from before keys were scoped): left alone, and so is
    // the marker that it was copied once (removing it would copy it back).
    expect(await kept(page)).toEqual({
      'grokking:visited:v1': '["root-copy"]',
      '/course/grokking:scoped:v1': '1',
    });
    expect(await labState(page, '/course/grokking-lab')).toBe('');
    await panel.getByTestId('progress-import').setInputFiles(file.path);
    await expect
      .poll(() => labState(page, '/course/grokking-lab'))
      .toBe('run-1 Float32Array -1.25');
    expect(await page.evaluate(() => localStorage.getItem('/course/grokking:visited:v1'))).toBe(
      '["06-fourier-multiplication"]',
    );
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });
});
