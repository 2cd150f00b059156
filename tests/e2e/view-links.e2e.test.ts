// A shared view link, in Chromium on the built site with its CSP: a view chosen in one page is in
// its URL, the same URL in a fresh page shows the same view (the model run, the weights loaded and
// the widget scrolled to, with no click), Back and Forward step through the views chosen, and a
// URL of garbage gives the default or the nearest sane view, and the lab's settings and a view's
// share one address. At the root and under /course/.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { baseURL, courseURL, openWidget, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();
const lesson6 = '/lessons/06-fourier-multiplication/';
const noFaults = { consoleErrors: [], pageErrors: [], offsiteRequests: [] };

/** Waits until the widget `testid` has hydrated, without scrolling to it. */
async function hydrated(page: Page, testid: string): Promise<Locator> {
  await page.locator(`[data-testid="${testid}"][data-ready="true"]`).waitFor({ timeout: 60_000 });
  return page.getByTestId(testid);
}

/** Scrolls to the widget `testid` and waits until it has hydrated. */
async function widget(page: Page, testid: string): Promise<Locator> {
  await page.getByTestId(testid).scrollIntoViewIfNeeded();
  return hydrated(page, testid);
}

const text = async (at: Locator) => (await at.textContent())?.trim() ?? '';
const params = (page: Page) => new URL(page.url()).searchParams;

/** What a reader sees of lesson 6's views: the controls' values and the read-outs. */
async function lesson6View(page: Page) {
  const calc = await widget(page, 'calculator');
  await calc.getByTestId('calc-answer').waitFor({ timeout: 240_000 });
  const attention = await widget(page, 'attention-view');
  await attention.getByTestId('attention-head').first().waitFor({ timeout: 240_000 });
  const ablation = await widget(page, 'ablation-view');
  await ablation.getByTestId('ablation-accuracy').waitFor({ timeout: 240_000 });
  const neuron = await widget(page, 'neuron-view');
  await neuron.getByTestId('neuron-top').waitFor({ timeout: 240_000 });
  return {
    a: await calc.getByTestId('calc-a').inputValue(),
    b: await calc.getByTestId('calc-b').inputValue(),
    answer: await text(calc.getByTestId('calc-answer')),
    target: await attention.getByTestId('attention-target').inputValue(),
    head: await text(attention.getByTestId('attention-head').first().locator('figcaption')),
    kept: await ablation
      .getByTestId('ablate-key')
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).checked)),
    accuracy: await text(ablation.getByTestId('ablation-accuracy')),
    neuron: await neuron.getByTestId('neuron-index').inputValue(),
    top: await text(neuron.getByTestId('neuron-top')),
  };
}

describe('a shared view link', () => {
  it("opens lesson 6's views as they were chosen; Back and Forward step through them", async () => {
    const { page, faults } = await watchedPage(browser());
    const calc = await openWidget(page, lesson6, 'calculator');
    await calc.getByRole('button', { name: 'Run the model' }).click();
    await calc.getByTestId('calc-answer').waitFor({ timeout: 240_000 });
    const before = await lesson6View(page);
    expect(page.url()).toBe(baseURL() + lesson6);

    // Four choices, each its own step of Back: a and b typed together are one.
    await calc.getByTestId('calc-a').fill('7');
    await calc.getByTestId('calc-b').fill('9');
    await expect.poll(() => text(calc.getByTestId('calc-answer'))).toBe('16');
    const attention = await widget(page, 'attention-view');
    await attention.getByTestId('attention-target').selectOption({ label: 'b' });
    const ablation = await widget(page, 'ablation-view');
    await ablation.getByTestId('ablate-key').first().uncheck();
    const neuron = await widget(page, 'neuron-view');
    await neuron.getByTestId('neuron-index').fill('17');
    await expect.poll(() => page.url()).toContain('neuron=17');
    const chosen = await lesson6View(page);
    expect(chosen).toMatchObject({ a: '7', b: '9', answer: '16', target: '1', neuron: '17' });
    expect(chosen.head).toContain("attention from '=' to b");
    expect(chosen.kept).toEqual([false, true, true, true]);
    const link = page.url();
    const url = new URL(link);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      'calc-a': '7',
      'calc-b': '9',
      'attention-to': 'b',
      neuron: '17',
    });
    expect(url.searchParams.get('ablate-off')).toMatch(/^\d+$/);
    expect(url.hash).toBe('#neuron-view');

    // The link in a fresh page: it lands on the neuron view, runs the model, shows every view.
    const fresh = await watchedPage(browser());
    await fresh.page.goto(link);
    const landed = await hydrated(fresh.page, 'neuron-view');
    await landed.getByTestId('neuron-top').waitFor({ timeout: 240_000 });
    expect(await lesson6View(fresh.page)).toEqual(chosen);
    expect(fresh.page.url()).toBe(link);
    expect(fresh.faults).toEqual(noFaults);
    await fresh.page.close();

    // Back undoes one choice at a time, Forward does them again. Each step reruns the views on
    // the page's model, which takes seconds on a loaded machine.
    const slow = { timeout: 30_000 };
    const steps = async () => {
      const view = await lesson6View(page);
      return [view.a === '7', view.target === '1', !view.kept[0], view.neuron === '17'];
    };
    await page.goBack();
    await expect.poll(steps, slow).toEqual([true, true, true, false]);
    expect(params(page).has('neuron')).toBe(false);
    await page.goBack();
    await expect.poll(steps, slow).toEqual([true, true, false, false]);
    await page.goBack();
    await expect.poll(steps, slow).toEqual([true, false, false, false]);
    await page.goBack();
    await expect.poll(steps, slow).toEqual([false, false, false, false]);
    expect(await lesson6View(page)).toEqual(before);
    expect(new URL(page.url()).search).toBe('');
    for (let i = 0; i < 4; i++) await page.goForward();
    await expect.poll(steps, slow).toEqual([true, true, true, true]);
    expect(await lesson6View(page)).toEqual(chosen);
    expect(page.url()).toBe(link);
    expect(faults).toEqual(noFaults);
    await page.close();
  }, 900_000);

  it('gives a sane view for a URL of garbage, and tidies the URL', async () => {
    const { page, faults } = await watchedPage(browser());
    const garbage = new URLSearchParams({
      neuron: 'abc',
      'calc-a': '1e999',
      'calc-b': '-5',
      'logit-a': '9'.repeat(400),
      'logit-b': 'NaN',
      'attention-to': '<script>',
      'ablate-off': 'x,y',
      'ablate-others': 'maybe',
    });
    await page.goto(`${baseURL()}${lesson6}?${garbage}#neuron-view`);
    const neuron = await hydrated(page, 'neuron-view');
    await neuron.getByTestId('neuron-top').waitFor({ timeout: 240_000 });
    const view = await lesson6View(page);
    expect(view).toMatchObject({ a: '25', b: '0', answer: '25', target: '0', neuron: '0' });
    expect(view.kept).toEqual([true, true, true, true]);
    expect(view.accuracy).toBe('100.0%');
    const logit = await widget(page, 'logit-view');
    expect(await logit.getByTestId('logit-a').inputValue()).toBe('112');
    expect(await logit.getByTestId('logit-b').inputValue()).toBe('100');
    await logit.getByTestId('logit-explained').waitFor({ timeout: 240_000 });
    for (const testid of [
      'calculator',
      'logit-view',
      'attention-view',
      'ablation-view',
      'neuron-view',
    ]) {
      expect(await text(page.getByTestId(testid)), testid).not.toMatch(/NaN|undefined|Infinity/);
    }
    // The URL now says what is shown: the clamped values, nothing of the garbage.
    expect(Object.fromEntries(params(page))).toEqual({
      'calc-a': '25',
      'calc-b': '0',
      'logit-a': '112',
      'logit-b': '100',
    });
    expect(faults).toEqual(noFaults);
    await page.close();
  }, 600_000);

  it("links the weight inspector's slice, loading the weights", async () => {
    const { page, faults } = await watchedPage(browser());
    const lesson3 = '/lessons/03-reverse-engineering/';
    const inspector = await openWidget(page, lesson3, 'weight-inspector');
    await inspector.getByRole('button', { name: 'Load the weights' }).click();
    const summary = inspector.getByTestId('inspect-summary');
    await summary.waitFor();
    await inspector.getByTestId('inspect-param').selectOption('blocks.0.attn.W_Q');
    await inspector.getByTestId('inspect-at-1').fill('42');
    await inspector.getByTestId('inspect-cursor').fill('3');
    await expect.poll(() => text(summary)).toContain('model 42');
    await expect.poll(() => params(page).get('inspect-value')).toBe('3');
    const shown = [await text(summary), await text(inspector.getByTestId('inspect-hex'))];
    expect(Object.fromEntries(params(page))).toEqual({
      'inspect-param': 'blocks.0.attn.W_Q',
      'inspect-along': '0',
      'inspect-at': '42,0',
      'inspect-value': '3',
    });

    const fresh = await watchedPage(browser());
    await fresh.page.goto(page.url());
    const opened = await hydrated(fresh.page, 'weight-inspector');
    await opened.getByTestId('inspect-summary').waitFor();
    await expect
      .poll(async () => [
        await text(opened.getByTestId('inspect-summary')),
        await text(opened.getByTestId('inspect-hex')),
      ])
      .toEqual(shown);
    expect(await opened.getByTestId('inspect-param').inputValue()).toBe('blocks.0.attn.W_Q');
    expect(fresh.faults).toEqual(noFaults);
    await fresh.page.close();

    await page.goBack();
    await expect.poll(() => inspector.getByTestId('inspect-param').inputValue()).toBe('embed.W_E');
    expect(await text(summary)).toContain('token 5');
    await page.goForward();
    await expect.poll(() => text(summary)).toBe(shown[0]);
    expect(faults).toEqual(noFaults);
    await page.close();
  }, 300_000);

  it.each([
    ['at the root', baseURL],
    ['under /course/', courseURL],
  ])(
    "links the scrubber's epoch %s",
    async (_, site) => {
      const { page, faults } = await watchedPage(browser(), site());
      const lesson9 = '/lessons/09-progress-measures/';
      const scrubber = await openWidget(page, lesson9, 'scrubber', site());
      const range = scrubber.getByTestId('scrub');
      const phase = scrubber.getByTestId('scrub-phase');
      await slide(range, 1200);
      await expect.poll(() => text(phase)).toContain('epoch 1,200');
      // A drag is one step of Back however many epochs it passes; a later drag is another.
      await slide(range, 1300);
      await page.waitForTimeout(1100);
      await slide(range, 9000);
      await expect.poll(() => params(page).get('scrub-epoch')).toBe('9000');
      const url = new URL(page.url());
      expect(url.pathname).toBe(new URL(site() + lesson9).pathname);
      const shown = await text(phase);

      const fresh = await watchedPage(browser(), site());
      await fresh.page.goto(url.href);
      const opened = await hydrated(fresh.page, 'scrubber');
      await expect.poll(() => text(opened.getByTestId('scrub-phase'))).toBe(shown);
      expect(await opened.getByTestId('scrub').inputValue()).toBe('9000');
      // Garbage and out-of-range epochs: the default, and the last evaluation.
      await fresh.page.goto(`${site()}${lesson9}?scrub-epoch=NaN#scrubber`);
      const plain = await hydrated(fresh.page, 'scrubber');
      await expect.poll(() => new URL(fresh.page.url()).search).toBe('');
      expect(await text(plain.getByTestId('scrub-phase'))).not.toContain('NaN');
      await fresh.page.goto(`${site()}${lesson9}?scrub-epoch=${'9'.repeat(300)}#scrubber`);
      const last = await hydrated(fresh.page, 'scrubber');
      const max = await last.getByTestId('scrub').getAttribute('max');
      await expect.poll(() => last.getByTestId('scrub').inputValue()).toBe(max);
      expect(fresh.faults).toEqual(noFaults);
      await fresh.page.close();

      await page.goBack();
      await expect.poll(() => text(phase)).toContain('epoch 1,300');
      await page.goForward();
      await expect.poll(() => text(phase)).toBe(shown);
      expect(faults).toEqual(noFaults);
      await page.close();
    },
    300_000,
  );

  it("shares lesson 9's address with the lab: each reads and writes only its own", async () => {
    const { page, faults } = await watchedPage(browser());
    const lesson9 = '/lessons/09-progress-measures/';
    await page.goto(`${baseURL()}${lesson9}?seed=7&scrub-epoch=3000#scrubber`);
    const scrubber = await hydrated(page, 'scrubber');
    await expect.poll(() => text(scrubber.getByTestId('scrub-phase'))).toContain('epoch 3,000');
    const lab = await widget(page, 'lab');
    expect(await lab.getByLabel('seed').inputValue()).toBe('7');
    await lab.getByLabel('epochs').fill('20');
    await lab.getByRole('button', { name: 'Start' }).click();
    await page.locator('[data-testid="lab"][data-status="done"]').waitFor({ timeout: 120_000 });
    expect(Object.fromEntries(params(page))).toMatchObject({
      seed: '7',
      epochs: '20',
      'scrub-epoch': '3000',
    });
    await slide(scrubber.getByTestId('scrub'), 4000);
    await expect.poll(() => params(page).get('scrub-epoch')).toBe('4000');
    expect(Object.fromEntries(params(page))).toMatchObject({ seed: '7', epochs: '20' });
    expect(faults).toEqual(noFaults);
    await page.close();
  }, 300_000);
});

/** Moves a range input to `value` as a drag would. */
async function slide(range: Locator, value: number) {
  await range.evaluate((input: HTMLInputElement, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}
