// The lessons' questions in Chromium: a wrong answer, then the right one with its explanation, a
// number that is not a number, progress kept across a reload, and the course map counting it all.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../lib/gradebook/submission.ts';
import { axeViolations } from './axe.ts';
import { baseURL, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();

describe('questions before answers', () => {
  it('judge, explain, keep the answer, and show on the course map', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
    const question = page.locator('[data-testid="question"][data-id="06/cells"]');
    await question.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="question"][data-id="06/cells"][data-ready="true"]').waitFor();
    await question.getByRole('button', { name: 'Check' }).click();
    expect(await question.getByTestId('question-problem').textContent()).toBe(
      'Pick one of the answers first.',
    );
    await question.getByRole('radio').first().check();
    await question.getByRole('button', { name: 'Check' }).click();
    expect(await question.getByTestId('question-verdict').textContent()).toContain('Not quite');
    await question.getByRole('radio').nth(1).check();
    await question.getByRole('button', { name: 'Check' }).click();
    expect(await question.getByTestId('question-verdict').textContent()).toContain(
      'Right. Terms in a alone',
    );
    // A numeric question, answered with something that is not a number, then rightly.
    const numeric = page.locator('[data-testid="question"][data-id="06/directions"]');
    await numeric.scrollIntoViewIfNeeded();
    await numeric.getByRole('textbox').fill('eight');
    await numeric.getByRole('button', { name: 'Check' }).click();
    expect(await numeric.getByTestId('question-problem').textContent()).toContain(
      '"eight" is not a number',
    );
    await numeric.getByRole('textbox').fill('8');
    await numeric.getByRole('button', { name: 'Check' }).click();
    expect(await numeric.getByTestId('question-verdict').textContent()).toContain('Right.');
    expect(await axeViolations(page)).toEqual([]);

    await page.reload();
    await question.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="question"][data-id="06/cells"][data-ready="true"]').waitFor();
    expect(await question.getByRole('radio').nth(1).isChecked()).toBe(true);
    expect(await question.getByTestId('question-verdict').textContent()).toContain('Right.');

    await page.goto(baseURL() + '/');
    const lesson6 = page.locator('[data-testid="course-progress"][data-order="06"]');
    await expect
      .poll(() => lesson6.textContent())
      .toBe('visited · 2 of 4 questions answered right');
    expect(
      await page.locator('[data-testid="course-progress"][data-order="07"]').textContent(),
    ).toBe('0 of 3 questions answered right · exercise to do');

    // The answers handed in as a file, signed, and graded by the same grader as `npm run grade`.
    const handIn = page.getByTestId('questions-export');
    await handIn.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="questions-export"][data-ready="true"]').waitFor();
    expect((await handIn.locator('p').first().textContent())!.replace(/\s+/g, ' ').trim()).toMatch(
      /^You have answered 2 of \d+ questions, 2 of them right\./,
    );
    await handIn.getByLabel('Name').fill('Ada Lovelace');
    await handIn.getByLabel('Student ID').fill('s1815');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      handIn.getByRole('button', { name: 'Export my answers' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('s1815-ada-lovelace-questions.json');
    const graded = gradeSubmission('q.json', readFileSync((await download.path())!, 'utf8'));
    expect(graded.exercise).toBe('questions');
    expect(graded.student).toEqual({ name: 'Ada Lovelace', id: 's1815' });
    expect(graded.right).toBe(2);
    expect(graded.total).toBeGreaterThan(20);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });
});

describe('a wrong choice, a hint, and a right answer kept', () => {
  for (const width of [1280, 390]) {
    it(`at ${width} px: each wrong choice says why, the hint comes before the answer, and a right answer stays counted`, async () => {
      const { page, faults } = await watchedPage(browser());
      await page.setViewportSize({ width, height: 900 });
      await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
      const question = page.locator('[data-testid="question"][data-id="06/cells"]');
      await question.scrollIntoViewIfNeeded();
      await page
        .locator('[data-testid="question"][data-id="06/cells"][data-ready="true"]')
        .waitFor();
      const verdict = question.getByTestId('question-verdict');
      const check = question.getByRole('button', { name: 'Check' });
      // Two wrong choices, each with its own explanation, and no answer offered before the hint.
      await question.getByRole('radio').nth(0).check();
      await check.click();
      expect(await verdict.textContent()).toContain('Not quite. The diagonal at every frequency');
      await question.getByRole('radio').nth(2).check();
      await check.click();
      expect(await verdict.textContent()).toContain('Not quite. Scattered cells');
      expect(await question.getByTestId('question-answer').count()).toBe(0);
      const hint = question.getByTestId('question-hint');
      expect(await hint.isVisible()).toBe(false);
      await question.getByText('Hint', { exact: true }).click();
      expect(await hint.isVisible()).toBe(true);
      expect(await hint.textContent()).toContain('terms in a alone');
      const box = (await hint.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(await question.getByTestId('question-answer').isVisible()).toBe(true);
      // Right, then wrong again: the right answer still counts.
      await question.getByRole('radio').nth(1).check();
      await check.click();
      expect(await verdict.textContent()).toContain('Right.');
      await question.getByRole('radio').nth(0).check();
      await check.click();
      expect(await verdict.textContent()).toContain('Not quite.');
      expect(await question.getByTestId('question-kept').textContent()).toContain(
        'You answered this right before',
      );

      await page.goto(baseURL() + '/');
      const lesson6 = page.locator('[data-testid="course-progress"][data-order="06"]');
      await expect
        .poll(() => lesson6.textContent())
        .toBe('visited · 1 of 4 questions answered right');
      // Not done, so not green: the line is in the muted colour, not the colour of success.
      const colours = await lesson6.evaluate((line) => {
        const probe = document.createElement('span');
        probe.style.color = 'var(--ok)';
        line.append(probe);
        const ok = getComputedStyle(probe).color;
        probe.remove();
        return { line: getComputedStyle(line).color, ok };
      });
      expect(colours.line).not.toBe(colours.ok);
      expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
      await page.close();
    });
  }
});

describe('questions by keyboard, before their island hydrates', () => {
  it('are reached by Tab in reading order, and a choice made early survives hydration', async () => {
    const { page, faults } = await watchedPage(browser());
    // Hold the islands' JavaScript back, so that the first Tab pass meets the server's HTML.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/_astro\/.*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(baseURL() + '/lessons/04-binary-addition-homework/', { waitUntil: 'commit' });
    await page.locator('[data-testid="question"]').first().waitFor({ state: 'attached' });
    const first = await page.locator('[data-testid="question"]').first().getAttribute('data-id');
    // Tab from the top until focus enters a question, noting any editor cell passed on the way.
    let reached: string | null = null;
    const passed: string[] = [];
    for (let i = 0; i < 120 && reached === null; i++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const el = document.activeElement;
        return {
          question: el?.closest('[data-testid="question"]')?.getAttribute('data-id') ?? null,
          editor: el?.closest('.rnn-editor, [data-testid^="rnn"]') !== null,
        };
      });
      reached = at.question;
      if (at.editor) passed.push(String(i));
    }
    expect(reached).toBe(first);
    expect(passed).toEqual([]);
    await page.keyboard.press('ArrowDown'); // moves to, and checks, the next choice
    const question = page.locator(`[data-testid="question"][data-id="${first}"]`);
    const checked = await question
      .getByRole('radio')
      .evaluateAll((rs) => rs.findIndex((r) => (r as HTMLInputElement).checked));
    expect(checked).toBeGreaterThanOrEqual(0);
    release();
    await page.locator(`[data-testid="question"][data-id="${first}"][data-ready="true"]`).waitFor();
    expect(await question.getByRole('radio').nth(checked).isChecked()).toBe(true);
    await question.getByRole('button', { name: 'Check' }).click();
    expect(await question.getByTestId('question-verdict').count()).toBe(1);
    expect(page.url()).not.toContain('?');
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });

  it('checks an answer whose Check was pressed before the question hydrated', async () => {
    const { page, faults } = await watchedPage(browser());
    // Hold back only the question island's own code: the page's scripts run as they would.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/_astro\/Question\.[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
    const question = page.locator('[data-testid="question"][data-id="06/cells"]');
    await question.scrollIntoViewIfNeeded();
    await question.getByRole('radio').nth(1).check();
    await question.getByRole('button', { name: 'Check' }).click();
    expect(await question.getAttribute('data-ready')).toBe('false');
    release();
    await expect
      .poll(() => question.getByTestId('question-verdict').textContent())
      .toContain('Right. Terms in a alone');
    expect(page.url()).not.toContain('?');
    // Judged and kept: the course map counts it.
    await page.goto(baseURL() + '/');
    await expect
      .poll(() => page.locator('[data-testid="course-progress"][data-order="06"]').textContent())
      .toBe('visited · 1 of 4 questions answered right');
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });
});
