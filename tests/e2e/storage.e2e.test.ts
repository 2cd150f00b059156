// Students' work when the browser will not keep it, in Chromium: storage full (every write throws
// QuotaExceededError), site data blocked (the localStorage getter throws), two tabs on one draft,
// and two copies of the course on one origin (the root build and the /course/ build), which keep
// their answers apart. The storage layer is lib/kept-store.ts with components/kept-storage.ts.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { makeDataset, splitDataset } from '../../lib/modarith/data.ts';
import { labSettingsOf } from '../../lib/train/lab-settings.ts';
import type { HistoryRow } from '../../lib/train/metrics.ts';
import { labPresets } from '../../lib/train/presets.ts';
import { runToJson } from '../../lib/train/run-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, courseURL, openWidget, useBrowser, watchedPage } from './browser.ts';
import { startOneOrigin, type StaticHost } from './static-host.ts';

const browser = useBrowser();
const clockLesson = '/lessons/07-build-the-clock/';
const rnnLesson = '/lessons/04-binary-addition-homework/';

/** Makes every localStorage write throw, as a full store does. */
const fillStorage = () => {
  Storage.prototype.setItem = function () {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
};
/** Blocks site data: reading `localStorage` throws, as Chromium does when cookies are blocked. */
const blockStorage = () => {
  Object.defineProperty(window, 'localStorage', {
    get() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });
};

const cell = (page: Page, name: string, r: number, c: number) =>
  page.locator(`table[data-param="${name}"] input[data-r="${r}"][data-c="${c}"]`);

/** Scrolls to question `id` on the open page and waits until it has hydrated. */
async function hydratedQuestion(page: Page, id: string) {
  const question = page.locator(`[data-testid="question"][data-id="${id}"]`);
  await question.scrollIntoViewIfNeeded();
  await page.locator(`[data-testid="question"][data-id="${id}"][data-ready="true"]`).waitFor();
  return question;
}

/** Opens question `id` of the page at `site` + `path` and waits until it has hydrated. */
async function openQuestion(page: Page, site: string, path: string, id: string) {
  await page.goto(site + path);
  return hydratedQuestion(page, id);
}

/** The notice is shown, whole inside the page's width. */
async function expectNoticeSeen(page: Page, notice: ReturnType<Page['locator']>, width: number) {
  await notice.scrollIntoViewIfNeeded();
  expect(await notice.isVisible()).toBe(true);
  const box = (await notice.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    width,
  );
}

describe('storage full', () => {
  for (const width of [1280, 390]) {
    it(`keeps the edit in the page, says it is not kept, and a reload shows no older draft (${width} px)`, async () => {
      const { page, faults } = await watchedPage(browser());
      await page.setViewportSize({ width, height: 900 });
      const editor = await openWidget(page, clockLesson, 'clock-editor');
      await cell(page, 'W_E', 0, 0).fill('0.25'); // kept: the storage takes it
      await expect
        .poll(() => page.evaluate(() => localStorage.getItem('grokking:clock:draft:v1')))
        .toContain('0.25');
      expect(await editor.getByTestId('storage-notice').count()).toBe(0);
      await page.evaluate(fillStorage);
      await cell(page, 'W_E', 0, 0).fill('cos(');
      const notice = editor.getByTestId('storage-notice');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('storage for the site is full');
      await expectNoticeSeen(page, notice, width);
      // The editor still works: the cell is read live and its error named.
      await expect
        .poll(() => editor.getByTestId('clock-errors').textContent())
        .toContain('W_E[0][0]: "cos(" is not a number');
      // A question too: judged, and it says the answer is not kept.
      // Judged once hydrated (a slow CI hydrates it late): wait for it.
      const question = await hydratedQuestion(page, '07/neurons');
      await question.getByRole('textbox').fill('8');
      await question.getByRole('button', { name: 'Check' }).click();
      expect(await question.getByTestId('question-verdict').textContent()).toContain('Right.');
      expect(await question.getByTestId('storage-notice').textContent()).toContain('full');
      // After a reload the older draft (0.25) must not come back as if it were the latest.
      await page.reload();
      await page.getByTestId('clock-editor').scrollIntoViewIfNeeded();
      await page.locator('[data-testid="clock-editor"][data-ready="true"]').waitFor();
      expect(await cell(page, 'W_E', 0, 0).inputValue()).not.toBe('0.25');
      expect(faults.pageErrors).toEqual([]);
      await page.close();
    });
  }
});

describe('site data blocked', () => {
  for (const width of [1280, 390]) {
    it(`the clock editor, both RNN editors and the questions work and say nothing is kept (${width} px)`, async () => {
      const { page, faults } = await watchedPage(browser());
      await page.setViewportSize({ width, height: 900 });
      await page.addInitScript(blockStorage);
      const clock = await openWidget(page, clockLesson, 'clock-editor');
      const clockNotice = clock.getByTestId('storage-notice');
      expect(await clockNotice.textContent()).toContain('site data is blocked');
      await expectNoticeSeen(page, clockNotice, width);
      await cell(page, 'W_E', 0, 0).fill('cos(');
      await expect
        .poll(() => clock.getByTestId('clock-errors').textContent())
        .toContain('W_E[0][0]: "cos(" is not a number');
      const question = await openQuestion(page, '', page.url(), '07/neurons');
      expect(await question.getByTestId('storage-notice').textContent()).toContain('blocked');
      await question.getByRole('textbox').fill('4');
      await question.getByRole('button', { name: 'Check' }).click();
      expect(await question.getByTestId('question-verdict').textContent()).toContain('Not quite');

      await page.goto(baseURL() + rnnLesson);
      for (const exercise of ['xor', 'add']) {
        const editor = page.locator(`.rnn-editor[data-exercise="${exercise}"]`);
        await editor.scrollIntoViewIfNeeded();
        await page.locator(`.rnn-editor[data-exercise="${exercise}"][data-ready="true"]`).waitFor();
        const notice = editor.getByTestId('storage-notice');
        expect(await notice.textContent()).toContain('site data is blocked');
        await expectNoticeSeen(page, notice, width);
        await editor.locator('table[data-param="W_hh"] input[data-r="0"][data-c="0"]').fill('1x');
        await expect
          .poll(() => editor.getByTestId('draft-errors').textContent())
          .toContain('W_hh[0][0]: "1x" is not a number');
      }
      const first = await openQuestion(page, '', page.url(), '04/steps');
      expect(await first.getByTestId('storage-notice').isVisible()).toBe(true);
      expect(faults.pageErrors).toEqual([]);
      await page.close();
    });
  }
});

describe('two tabs on one draft', () => {
  it('the second tab hears the change and loads it, or keeps its own', async () => {
    const context: BrowserContext = await browser().newContext();
    const [one, two] = [await context.newPage(), await context.newPage()];
    const editorOne = await openWidget(one, clockLesson, 'clock-editor');
    const editorTwo = await openWidget(two, clockLesson, 'clock-editor');
    await cell(one, 'W_E', 0, 0).fill('0.5');
    const prompt = editorTwo.getByTestId('other-tab');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('changed in another tab');
    // Nothing replaced silently: tab two still shows its own draft until asked.
    expect(await cell(two, 'W_E', 0, 0).inputValue()).toBe('0');
    await prompt.getByRole('button', { name: 'Load theirs' }).click();
    expect(await cell(two, 'W_E', 0, 0).inputValue()).toBe('0.5');
    // Tab two keeps editing; tab one hears it and keeps its own instead.
    await cell(two, 'W_E', 1, 0).fill('0.75');
    await editorOne.getByTestId('other-tab').waitFor();
    await editorOne.getByRole('button', { name: 'Keep mine' }).click();
    expect(await cell(one, 'W_E', 1, 0).inputValue()).toBe('0');
    expect(await editorOne.getByTestId('other-tab').count()).toBe(0);

    // A question answered in one tab shows in the other.
    const q1 = await openQuestion(one, baseURL(), clockLesson, '07/neurons');
    const q2 = await openQuestion(two, baseURL(), clockLesson, '07/neurons');
    await q1.getByRole('textbox').fill('8');
    await q1.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => q2.getByRole('textbox').inputValue()).toBe('8');
    expect(await q2.getByTestId('question-other-tab').textContent()).toBe(
      'Answered in another tab.',
    );
    expect(await q2.getByTestId('question-verdict').textContent()).toContain('Right.');
    await context.close();
  });
});

describe('two tabs on the lab', () => {
  /** A run file of the Quick grok preset that ends at `epoch`. */
  function runFile(name: string, epoch: number): string {
    const { settings, epochs } = labPresets.quickGrok;
    const row = (e: number): HistoryRow => ({
      epoch: e,
      train_loss: 1 / (e + 1),
      test_loss: 4,
      train_accuracy: 0.5,
      test_accuracy: 0.02,
      key_freqs: [],
      restricted_loss: null,
      excluded_loss: null,
      gini_W_E: 0.1,
      gini_W_L: 0.1,
      sum_sq_weights: 900,
    });
    const path = join(tmpdir(), name);
    const { p } = settings.config;
    writeFileSync(
      path,
      runToJson({
        lab: labSettingsOf(settings, epochs),
        history: [row(0), row(epoch)],
        keyFreqs: [],
        split: splitDataset(makeDataset('add', p), settings.fraction, settings.seed).train,
        snapshots: [],
      }),
    );
    return path;
  }

  it("the first tab stops writing over the second's kept run, and says so", async () => {
    const context: BrowserContext = await browser().newContext();
    const [one, two] = [await context.newPage(), await context.newPage()];
    const labOne = await openWidget(one, '/lessons/08-grokking/', 'lab');
    const labTwo = await openWidget(two, '/lessons/08-grokking/', 'lab');
    await labOne.getByTestId('load-run').setInputFiles(runFile('tab-one.json', 100));
    await expect.poll(() => labOne.getByTestId('lab-message').textContent()).toContain('Loaded');
    await labTwo.getByTestId('load-run').setInputFiles(runFile('tab-two.json', 200));
    await expect
      .poll(() => labOne.getByTestId('lab-message').textContent())
      .toContain('The lab in another tab has since kept its own run');
    // Tab one going out of sight would have saved its curves over tab two's: it no longer does.
    await one.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const reopened = await context.newPage();
    const labThree = await openWidget(reopened, '/lessons/08-grokking/', 'lab');
    await expect
      .poll(() => labThree.getByTestId('lab-message').textContent())
      .toContain('to epoch 200');
    await context.close();
  }, 120_000);
});

describe('two copies of the course on one origin', () => {
  let origin: StaticHost;
  beforeAll(async () => {
    origin = await startOneOrigin([
      { prefix: '/course/', to: courseURL() + '/' },
      { prefix: '/', to: baseURL() + '/' },
    ]);
  });
  afterAll(() => origin?.stop());

  it('keep their answers apart; answers kept before keys were scoped are copied once into /course/', async () => {
    const site = origin.url.replace(/\/$/, '');
    const context = await browser().newContext();
    const page = await context.newPage();
    // Answers kept unscoped by a copy from before keys were scoped, before either copy opened.
    await page.goto(site + '/favicon.svg'); // a page of the origin that runs none of the course
    await page.evaluate(() =>
      localStorage.setItem(
        'grokking:questions:v1',
        JSON.stringify({ '07/neurons': { answer: '4', correct: true } }),
      ),
    );
    // /course/ starts from those (the migration), then goes its own way.
    let course = await openQuestion(page, site, '/course' + clockLesson, '07/neurons');
    expect(await course.getByRole('textbox').inputValue()).toBe('4');
    await course.getByRole('textbox').fill('8');
    await course.getByRole('button', { name: 'Check' }).click();
    // The root copy's keys are the unscoped ones: it still has its own answer.
    const root = await openQuestion(page, site, clockLesson, '07/neurons');
    expect(await root.getByRole('textbox').inputValue()).toBe('4');
    // And an answer changed at the root after that does not reach /course/.
    await root.getByRole('textbox').fill('2');
    await root.getByRole('button', { name: 'Check' }).click();
    course = await openQuestion(page, site, '/course' + clockLesson, '07/neurons');
    expect(await course.getByRole('textbox').inputValue()).toBe('8');
    expect(await course.getByTestId('question-verdict').textContent()).toContain('Right.');
    const keys = await page.evaluate(() => Object.keys(localStorage).sort());
    expect(keys).toContain('grokking:questions:v1');
    expect(keys).toContain('/course/grokking:questions:v1');
    await context.close();
  });

  it("never copies the root copy's answers into a copy opened after it", async () => {
    const site = origin.url.replace(/\/$/, '');
    const context = await browser().newContext();
    const page = await context.newPage();
    const root = await openQuestion(page, site, clockLesson, '07/neurons');
    await root.getByRole('textbox').fill('4');
    await root.getByRole('button', { name: 'Check' }).click();
    const course = await openQuestion(page, site, '/course' + clockLesson, '07/neurons');
    expect(await course.getByRole('textbox').inputValue()).toBe('');
    expect(
      await page.evaluate(() => localStorage.getItem('/course/grokking:questions:v1')),
    ).toBeNull();
    await context.close();
  });
});
