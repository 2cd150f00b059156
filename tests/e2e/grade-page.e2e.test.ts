// The grading page in Chromium (issue 26, item 1): 500 files of a class set on the file input,
// graded in the page's workers, the table checked row by row against the same grader run here,
// sorted, a trace opened, the gradebook CSV downloaded and compared byte for byte, Cancel in the
// middle of a batch, the page at 390 px, offline, and under /course/.
//
// Of the 500, 480 are clock networks (each a different network: 49 pairs apiece, fast) and 16
// are RNNs (8 networks, each sent by two students, so graded once: 88,648 cases take about 0.4 s
// a file here, and this process grades them too); 4 are broken (invalid JSON, over 1 MB, the wrong
// shape, no exercise) and a .txt file is skipped. The cancel test grades 40 distinct RNNs, so that
// a batch is still running when it is cancelled.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { byFileName, oversizeRefusal, sortRows, verdictWord } from '../../lib/gradebook/batch.ts';
import { gradebook } from '../../lib/gradebook/gradebook.ts';
import {
  exerciseTitles,
  gradeSubmission,
  submissionText,
  type GradedExercise,
  type GradedSubmission,
} from '../../lib/gradebook/submission.ts';
import { axeViolations } from './axe.ts';
import { baseURL, courseURL, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();
const dir = mkdtempSync(join(tmpdir(), 'grade-page-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (name: string) =>
  JSON.parse(readFileSync(`tests/fixtures/${name}`, 'utf8')) as Record<string, unknown>;
const clocks = [
  'square-one-frequency',
  'never-answers-zero',
  'only-cos-term',
  'relu-eight-phases',
  'relu-three-phases',
  'scaled-with-bias',
  'square-two-frequencies',
  'square-weights-under-relu',
];
const rnns: [string, GradedExercise][] = [
  ['step-solution', 'add'],
  ['leaky-carry', 'add'],
  ['ignores-final-carry', 'add'],
  ['relu-solution', 'add'],
  ['sigmoid-solution', 'add'],
  ['permuted-step-solution', 'add'],
  ['xor-solution', 'xor'],
  ['invalid-shapes', 'add'],
];
const header = (exercise: GradedExercise, i: number) => ({
  exercise,
  // Every 50th student forgot their ID; students 3 and 4 share one (a repeat)
  student: { name: `Student ${i}`, id: i % 50 === 7 ? '' : `s${i === 4 ? 3 : i}` },
  build: 'test',
  exported: '2026-12-04T00:00:00Z',
});
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

/** The class: every path set on the input, and each file's name and text (or refusal). */
const paths: string[] = [];
const files: { name: string; text: string | { error: string } }[] = [];
const add = (name: string, text: string) => {
  const path = write(name, text);
  paths.push(path);
  if (!name.endsWith('.json')) return;
  const refusal = oversizeRefusal(statSync(path).size);
  files.push({ name, text: refusal ? { error: refusal } : text });
};
for (let i = 0; i < 480; i++) {
  const network = fixture(`clock/${clocks[i % clocks.length]}.json`);
  // A different network for each student: the embedding's first weight moved a hair.
  const W_E = network['W_E'] as number[][];
  W_E[0]![0]! += i * 1e-12;
  add(`s${String(i).padStart(4, '0')}-clock.json`, submissionText(header('clock', i), network));
}
rnns.forEach(([name, exercise], k) => {
  for (const copy of [0, 1]) {
    const i = 480 + 2 * k + copy;
    add(
      `s${i}-rnn-${exercise}.json`,
      submissionText(header(exercise, i), fixture(`rnn/${name}.json`)),
    );
  }
});
add('broken-invalid.json', '{"exercise": "clock", "student": ');
add('broken-huge.json', JSON.stringify({ exercise: 'clock', padding: 'x'.repeat(2 ** 20) }));
add('broken-shape.json', JSON.stringify({ exercise: 'clock', p: 5, W_E: 'none' }));
add('broken-unknown.json', JSON.stringify({ student: { name: 'Nobody', id: 'n1' } }));
add('notes.txt', 'not a submission');

/** The same grader, here in Node, on the same files. */
const expected: GradedSubmission[] = files.map((f) => gradeSubmission(f.name, f.text));
const byName = [...expected].sort(byFileName);

/** Every row of the table as the page shows it, in the table's order. */
const tableRows = (page: Page) =>
  page
    .getByTestId('grade-row')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    );
const shown = (r: GradedSubmission) => [
  r.file,
  r.student.name,
  r.student.id,
  r.exercise ? exerciseTitles[r.exercise] : '—',
  verdictWord(r),
  r.exercise ? `${r.right.toLocaleString('en')} / ${r.total.toLocaleString('en')}` : '—',
  r.firstFailure,
];

async function gradeAll(page: Page, chosen: string[]): Promise<number> {
  await page.locator('[data-testid="grade-batch"][data-ready="true"]').waitFor();
  const start = Date.now();
  await page.getByTestId('grade-files').setInputFiles(chosen);
  await page
    .locator('[data-testid="grade-batch"][data-status="done"]')
    .waitFor({ timeout: 90_000 });
  return Date.now() - start;
}

async function downloadCsv(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('grade-download').click(),
  ]);
  return {
    name: download.suggestedFilename(),
    text: readFileSync((await download.path())!, 'utf8'),
  };
}

describe('the grading page', () => {
  it('grades 500 files as the command line does, sorts, traces, and writes the same gradebook', async () => {
    expect(files).toHaveLength(500);
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/');
    await page.getByTestId('for-instructors').getByRole('link').click();
    await page.waitForURL(/\/grade\/$/);
    expect(await axeViolations(page)).toEqual([]);
    const ms = await gradeAll(page, paths);
    console.log(`graded 500 files in the page in ${ms} ms`);

    // Every row, as the same grader run here gives it, in the files' order.
    expect(await tableRows(page)).toEqual(sortRows(expected, 'file', 'ascending').map(shown));
    expect(await page.getByTestId('grade-message').textContent()).toMatch(
      /^Graded 500 files in [\d.]+ s \(8 files identical to another, graded once\)\.$/,
    );
    expect(await page.getByTestId('grade-skipped').textContent()).toContain('notes.txt');
    const huge = expected.find((r) => r.file === 'broken-huge.json')!;
    expect(huge.firstFailure).toBe(
      `Cannot read the file: it is ${statSync(join(dir, 'broken-huge.json')).size} bytes, over the limit of 1048576 bytes (1 MB).`,
    );

    // Sorted by cases right, one way then the other.
    const right = page.locator('th[data-column="right"]');
    await right.getByRole('button').click();
    expect(await right.getAttribute('aria-sort')).toBe('ascending');
    expect((await tableRows(page)).map((r) => r[0])).toEqual(
      sortRows(expected, 'right', 'ascending').map((r) => r.file),
    );
    await right.getByRole('button').click();
    expect(await right.getAttribute('aria-sort')).toBe('descending');
    expect((await tableRows(page)).map((r) => r[0])).toEqual(
      sortRows(expected, 'right', 'descending').map((r) => r.file),
    );
    expect(await page.locator('th[data-column="file"]').getAttribute('aria-sort')).toBeNull();

    // A failing RNN's trace and a failing clock's, opened from their rows by keyboard and click.
    const leaky = expected.find((r) => r.file === 's482-rnn-add.json')!;
    const leakyRow = page.locator('[data-testid="grade-row"][data-file="s482-rnn-add.json"]');
    await leakyRow.getByTestId('grade-verdict').focus();
    await page.keyboard.press('Enter');
    expect(await leakyRow.getByTestId('grade-verdict').getAttribute('aria-expanded')).toBe('true');
    const trace = page.getByTestId('grade-trace');
    const failing = (await trace.getByTestId('failing-case').textContent()) ?? '';
    expect(failing).toContain(leaky.firstFailure.split(' + ')[0]);
    expect(await trace.locator('table').count()).toBeGreaterThan(1);
    await leakyRow.getByTestId('grade-verdict').click();
    expect(await trace.count()).toBe(0);
    const clock = page.locator('[data-testid="grade-row"][data-file="s0001-clock.json"]');
    await clock.getByTestId('grade-verdict').click();
    expect(await page.getByTestId('clock-failure').textContent()).toContain('First wrong pair');
    expect(await axeViolations(page)).toEqual([]);

    // The gradebook, byte for byte, in the files' name order; its notes on the page.
    const generic = await downloadCsv(page);
    expect(generic.name).toMatch(/^gradebook-generic-\d{4}-\d\d-\d\d\.csv$/);
    const book = gradebook(byName, 'generic');
    expect(generic.text).toBe(book.csv);
    const notes = (await page.getByTestId('grade-notes').textContent()) ?? '';
    for (const note of book.notes) expect(notes).toContain(note);
    expect(notes).toContain('s0007-clock.json: no student ID in the file');
    await page.getByTestId('grade-format').selectOption('canvas');
    const canvas = await downloadCsv(page);
    expect(canvas.name).toMatch(/^gradebook-canvas-/);
    expect(canvas.text.split('\r\n')[0]).toBe(
      'Student,ID,SIS User ID,SIS Login ID,Section,RNN binary addition,RNN bitwise XOR,Clock network mod 7',
    );
    expect(canvas.text).toBe(gradebook(byName, 'canvas').csv);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  }, 150_000);

  it('cancels a batch mid-way: the rows so far stay, and it says so', async () => {
    const slow = Array.from({ length: 40 }, (_, i) => {
      const network = fixture('rnn/step-solution.json');
      network['b_y'] = [-0.5 + i * 1e-6];
      return write(`slow-${i}-rnn-add.json`, submissionText(header('add', i), network));
    });
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/grade/');
    await page.locator('[data-testid="grade-batch"][data-ready="true"]').waitFor();
    await page.getByTestId('grade-files').setInputFiles(slow);
    await page.getByTestId('grade-row').first().waitFor();
    expect(await page.getByTestId('grade-progress').innerText()).toMatch(
      /Grading: \d+ of 40 files/,
    );
    await page.getByTestId('grade-cancel').click();
    await page.locator('[data-testid="grade-batch"][data-status="cancelled"]').waitFor();
    const rows = await page.getByTestId('grade-row').count();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(40);
    expect(await page.getByTestId('grade-message').textContent()).toContain(
      `Cancelled: ${rows} file${rows === 1 ? '' : 's'} of 40 graded.`,
    );
    // What was graded still makes a gradebook.
    expect((await downloadCsv(page)).text.split('\r\n')).toHaveLength(rows + 2);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });

  it('at 390 px in the dark the table scrolls in its own box, not the page', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.setViewportSize({ width: 390, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(baseURL() + '/grade/');
    await gradeAll(page, paths.slice(0, 20));
    await page.getByTestId('grade-verdict').first().click();
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      region: document.querySelector('[role="region"][aria-label="Graded files"]')!.scrollWidth,
    }));
    expect(widths.page).toBeLessThanOrEqual(390);
    expect(widths.region).toBeGreaterThan(390);
    expect(await axeViolations(page)).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });

  it('grades offline once the course map has been opened', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
        );
    });
    await page.context().setOffline(true);
    await page.goto(baseURL() + '/grade/');
    await gradeAll(page, paths.slice(0, 2));
    expect(await page.getByTestId('grade-row').count()).toBe(2);
    await page.context().setOffline(false);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });

  it('works under /course/', async () => {
    const site = courseURL();
    const { page, faults } = await watchedPage(browser(), site);
    const missing: string[] = [];
    page.on('response', (r) => r.status() >= 400 && missing.push(`${r.status()} ${r.url()}`));
    await page.goto(site + '/');
    expect(await page.getByTestId('for-instructors').getByRole('link').getAttribute('href')).toBe(
      '/course/grade/',
    );
    await page.goto(site + '/grade/');
    const chosen = [paths[0]!, paths[1]!, paths.find((p) => p.endsWith('s480-rnn-add.json'))!];
    await gradeAll(page, chosen);
    expect((await tableRows(page)).map((r) => r[4])).toEqual(['Passed', 'Failed', 'Passed']);
    expect(missing).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });
});
