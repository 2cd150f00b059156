// The RNN exercises in Chromium: a student types weights, checks them, reads the verdict, and finds
// the work still there after a reload.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RnnWeights } from '../../lib/rnn/network.ts';
import { axeViolations } from './axe.ts';
import { baseURL, openWidget, watchedPage, type PageFaults, useBrowser } from './browser.ts';

const lesson = '/lessons/04-binary-addition-homework/';
const fixture = (name: string) =>
  JSON.parse(readFileSync(`tests/fixtures/rnn/${name}.json`, 'utf8')) as RnnWeights;

/** The text of an element as a reader sees it: runs of white space folded to one. */
const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ');

const browser = useBrowser();

async function openEditor(
  exercise: 'add' | 'xor',
): Promise<{ page: Page; editor: Locator; faults: PageFaults }> {
  const { page, faults } = await watchedPage(browser());
  await page.goto(baseURL() + lesson);
  const editor = page.locator(`.rnn-editor[data-exercise="${exercise}"]`);
  await editor.scrollIntoViewIfNeeded();
  await page.locator(`.rnn-editor[data-exercise="${exercise}"][data-ready="true"]`).waitFor();
  return { page, editor, faults };
}

/** Types every weight into the editor's grids, as a student would. */
async function typeWeights(editor: Locator, w: RnnWeights): Promise<void> {
  await editor.locator('select').nth(0).selectOption(String(w.hidden_size));
  await editor.locator('select').nth(1).selectOption(w.activation);
  await editor.locator('select').nth(2).selectOption(w.output_activation);
  const column = (v: number[]) => v.map((x) => [x]);
  const grids: Record<string, number[][]> = {
    W_xh: w.W_xh,
    W_hh: w.W_hh,
    b_h: column(w.b_h),
    h0: column(w.h0 ?? new Array<number>(w.hidden_size).fill(0)),
    W_hy: w.W_hy,
    b_y: [w.b_y],
  };
  for (const [name, grid] of Object.entries(grids)) {
    for (const [r, row] of grid.entries()) {
      for (const [c, value] of row.entries()) {
        const cell = editor.locator(
          `table[data-param="${name}"] input[data-r="${r}"][data-c="${c}"]`,
        );
        await cell.fill(String(value));
      }
    }
  }
}

async function check(editor: Locator): Promise<Locator> {
  // A click made straight after typing lands where the button was while the cell had focus: focus
  // must move nothing (a cell that grew on focus once moved Check away between press and release).
  const button = editor.getByRole('button', { name: 'Check' });
  const focusedAt = await button.boundingBox();
  await editor.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  expect(await button.boundingBox()).toEqual(focusedAt);
  await button.click();
  const verdict = editor.getByTestId('verdict');
  await verdict.waitFor({ timeout: 60_000 });
  return verdict;
}

describe('binary addition editor', () => {
  it('passes a correct solution typed by hand, and remembers it was solved', async () => {
    const { page, editor, faults } = await openEditor('add');
    await typeWeights(editor, fixture('step-solution'));
    // The live example runs as the student types.
    await expect
      .poll(() => text(editor.getByTestId('example-result')))
      .toContain('reads 1011001 (89); the answer is 1011001 (89). ✓');
    const verdict = await check(editor);
    expect(await text(verdict)).toContain('Passed: all 88,648 cases');
    expect(await editor.getByTestId('solved').isVisible()).toBe(true);
    await page.reload();
    await page.locator('.rnn-editor[data-exercise="add"][data-ready="true"]').waitFor();
    expect(await editor.getByTestId('solved').isVisible()).toBe(true);
    // Lesson 2's attributions can now look at the student's own adder: step units, no slopes.
    const attribution = await openWidget(
      page,
      '/lessons/02-two-ways-to-explain/',
      'rnn-attribution',
    );
    await attribution.getByTestId('attr-network').selectOption('own');
    expect(await text(attribution.getByTestId('attr-own-step'))).toContain(
      'Your network uses step units',
    );
    expect(await attribution.getByTestId('attr-k').isDisabled()).toBe(true);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });

  it('shows the first failing case of a wrong solution, with the wrong bit marked', async () => {
    const { page, editor, faults } = await openEditor('add');
    await typeWeights(editor, fixture('leaky-carry'));
    const verdict = await check(editor);
    expect(await text(verdict)).toMatch(/Failed: 231 of 88,648 cases/);
    const failing = await text(verdict.getByTestId('failing-case'));
    expect(failing).toContain('11111111111111');
    expect(failing).toContain('16383 + 1');
    expect(await verdict.locator('.bits span.wrong').count()).toBe(1);
    expect(await verdict.locator('tr.wrong[data-step="14"]').count()).toBe(1);
    // The editor, the verdict and both traces are accessible once drawn.
    expect(await axeViolations(page)).toEqual([]);
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  });

  it('keeps half-typed work across a reload and names a bad entry instead of running', async () => {
    const { page, editor } = await openEditor('add');
    await typeWeights(editor, fixture('relu-solution'));
    await editor.locator('table[data-param="W_hh"] input[data-r="1"][data-c="2"]').fill('-1x');
    expect(await text(editor.getByTestId('draft-errors'))).toContain(
      'W_hh[1][2]: "-1x" is not a number, and as a formula an operator (+ - * / ^) is missing before "x" (at character 3).',
    );
    await page.reload();
    await page.locator('.rnn-editor[data-exercise="add"][data-ready="true"]').waitFor();
    const cell = editor.locator('table[data-param="W_hh"] input[data-r="1"][data-c="2"]');
    expect(await cell.inputValue()).toBe('-1x');
    expect(await cell.getAttribute('aria-invalid')).toBe('true');
    expect(await editor.locator('select').nth(1).inputValue()).toBe('relu');
    const verdict = await check(editor);
    expect(await text(verdict)).toContain('These weights cannot run yet');
    await page.close();
  });

  it('imports a weights file, reports a broken one, and exports what it holds', async () => {
    const { page, editor } = await openEditor('add');
    const dir = mkdtempSync(join(tmpdir(), 'rnn-'));
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, JSON.stringify(fixture('sigmoid-solution')));
    writeFileSync(bad, readFileSync('tests/fixtures/rnn/invalid-shapes.json'));
    const upload = editor.locator('input[type="file"]');
    await upload.setInputFiles(bad);
    await expect
      .poll(() => text(editor.getByRole('alert').first()))
      .toContain('bad.json: activation must be one of');
    await upload.setInputFiles(good);
    await expect.poll(() => editor.locator('select').nth(1).inputValue()).toBe('sigmoid');
    expect(
      await editor.locator('table[data-param="b_h"] input[data-r="2"][data-c="0"]').inputValue(),
    ).toBe('-50');
    // The export is signed with the name and ID typed once, and named after them.
    const identity = editor.getByTestId('student-identity');
    await identity.getByLabel('Name').fill('Ada Lovelace');
    await identity.getByLabel('Student ID').fill('s1815');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      editor.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('s1815-ada-lovelace-rnn-add.json');
    const { exercise, student, build, exported, ...weights } = JSON.parse(
      readFileSync((await download.path())!, 'utf8'),
    ) as RnnWeights & { exercise: string; student: object; build: string; exported: string };
    expect([exercise, student]).toEqual(['add', { name: 'Ada Lovelace', id: 's1815' }]);
    expect(build).toMatch(/^\d+\.\d+\.\d+(\+[0-9a-f]{12})?$/);
    expect(Date.now() - Date.parse(exported)).toBeLessThan(60_000);
    expect(weights).toEqual({ ...fixture('sigmoid-solution'), h0: [0, 0, 0] });
    // The other editor on the page shows the same student, and a reload keeps them.
    const xorIdentity = page.locator('[data-exercise="xor"]').getByTestId('student-identity');
    await xorIdentity.scrollIntoViewIfNeeded(); // it hydrates when visible
    await expect.poll(() => xorIdentity.getByLabel('Name').inputValue()).toBe('Ada Lovelace');
    await page.reload();
    await editor.scrollIntoViewIfNeeded();
    await page.locator('.rnn-editor[data-exercise="add"][data-ready="true"]').waitFor();
    await expect
      .poll(() =>
        page
          .locator('[data-exercise="add"]')
          .getByTestId('student-identity')
          .getByLabel('Student ID')
          .inputValue(),
      )
      .toBe('s1815');
    // Reset clears to zeros, and Undo brings the work back.
    await editor.getByRole('button', { name: 'Reset' }).click();
    expect(await editor.locator('table[data-param="b_h"] input').first().inputValue()).toBe('0');
    await editor.getByRole('button', { name: 'Undo' }).click();
    expect(await editor.locator('table[data-param="b_h"] input').first().inputValue()).toBe('-10');
    await page.close();
  });

  it('moves between cells with the arrow keys', async () => {
    const { page, editor } = await openEditor('add');
    const first = editor.locator('table[data-param="W_hh"] input[data-r="0"][data-c="0"]');
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.type('7');
    expect(
      await editor.locator('table[data-param="W_hh"] input[data-r="1"][data-c="0"]').inputValue(),
    ).toBe('7');
    await page.close();
  });
});

describe('XOR warm-up', () => {
  it('passes the two-unit XOR network and fails an adder', async () => {
    const { page, editor } = await openEditor('xor');
    await typeWeights(editor, fixture('xor-solution'));
    expect(await text(await check(editor))).toContain('Passed');
    await typeWeights(editor, fixture('step-solution'));
    const verdict = await check(editor);
    expect(await text(verdict)).toContain('Failed');
    expect(await text(verdict.getByTestId('failing-case'))).toContain('1 XOR 1');
    await page.close();
  });
});
