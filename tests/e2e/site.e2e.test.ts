// The course shell in Chromium: every page renders, math is typeset, navigation works, pages are
// accessible, quiet in the console, stay on localhost, and lesson pages ship little JavaScript.
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { epochs, prose, recordedRuns, siteRun } from '../../src/site-model.ts';
import { baseURL, watchedPage, useBrowser } from './browser.ts';

const browser = useBrowser();

/** Lesson links listed in the course map of the home page. */
/** Every page of the built site, as a reader asks for it; a missing path shows the 404 page. */
function builtPages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(`${dir}/${entry.name}`)
        : entry.name.endsWith('.html')
          ? [`${dir}/${entry.name}`]
          : [],
    );
  return walk('dist')
    .map((file) => file.slice('dist'.length))
    .map((file) => (file === '/404.html' ? '/no-such-page/' : file.replace(/index\.html$/, '')))
    .sort();
}

async function lessonPaths(): Promise<string[]> {
  const { page } = await watchedPage(browser());
  await page.goto(baseURL() + '/');
  const hrefs = await page.$$eval('.course-map a', (links) =>
    links.map((a) => a.getAttribute('href') ?? ''),
  );
  await page.close();
  return hrefs;
}

describe('home page', () => {
  it('lists every lesson in order, with lessons still to come marked', async () => {
    const { page, faults } = await watchedPage(browser());
    const response = await page.goto(baseURL() + '/');
    expect(response?.status()).toBe(200);
    const items = await page.$$eval('.course-map li', (lis) =>
      lis.map((li) => ({ text: li.textContent ?? '', link: li.querySelector('a') !== null })),
    );
    expect(items.length).toBeGreaterThanOrEqual(8);
    expect(items.filter((i) => i.link).length).toBeGreaterThanOrEqual(3);
    expect(items.filter((i) => !i.link).every((i) => i.text.includes('coming'))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });

  it('says what each lesson asks of the browser, read from its front matter', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/');
    const grokking = page
      .locator('.course-item')
      .filter({ has: page.getByRole('link', { name: 'Grokking', exact: true }) });
    expect((await grokking.locator('.course-needs').textContent())?.trim()).toBe(
      'Live in your browser · faster with WebGPU',
    );
    const first = page.locator('.course-item').first();
    expect(await first.locator('.course-needs').count()).toBe(0);
    await page.goto(baseURL() + '/lessons/08-grokking/');
    expect((await page.getByTestId('lesson-needs').textContent())?.trim()).toBe(
      'Live in your browser · faster with WebGPU',
    );
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });

  it('is served with the cross-origin isolation headers', async () => {
    const { page } = await watchedPage(browser());
    const response = await page.goto(baseURL() + '/');
    const headers = response?.headers() ?? {};
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.close();
  });
});

describe('every lesson page', () => {
  it('renders its title and body, typesets all math, passes axe, and stays quiet', async () => {
    const paths = await lessonPaths();
    expect(paths.length).toBeGreaterThanOrEqual(3);
    for (const path of paths) {
      const { page, faults } = await watchedPage(browser());
      const scripts: string[] = [];
      page.on('response', (r) => {
        if (r.request().resourceType() === 'script') scripts.push(r.url());
      });
      const response = await page.goto(baseURL() + path, { waitUntil: 'networkidle' });
      expect(response?.status(), path).toBe(200);
      expect(await page.locator('h1').textContent(), path).toBeTruthy();
      // KaTeX rendered the math, and no raw TeX delimiters are left in the visible text.
      expect(await page.locator('.katex').count(), path).toBeGreaterThan(0);
      const visible = await page.evaluate(() => {
        const walker = document.createTreeWalker(
          document.querySelector('main')!,
          NodeFilter.SHOW_TEXT,
        );
        let text = '';
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.parentElement?.closest('.katex, script, style')) text += node.textContent;
        }
        return text;
      });
      expect(visible, path).not.toMatch(/\$/);
      expect(await page.locator('.katex-error').count(), path).toBe(0);
      expect(faults, path).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
      // JavaScript budget before any widget loads: ≤ 50 KB gzip.
      const inline = await page.$$eval('script:not([src])', (ss) => ss.map((s) => s.textContent));
      let gzipBytes = inline.reduce((sum, text) => sum + gzipSync(text ?? '').length, 0);
      for (const url of scripts) {
        const body = Buffer.from(await (await fetch(url)).arrayBuffer());
        gzipBytes += gzipSync(body).length;
      }
      console.log(
        `JS on ${path}: ${scripts.length} files + ${inline.length} inline, ${gzipBytes} B gzip`,
      );
      expect(gzipBytes, path).toBeLessThanOrEqual(50 * 1024);
      expect(await axeViolations(page), path).toEqual([]);
      await page.close();
    }
  });
});

describe("lesson 9's numbers", () => {
  it('are the recorded run’s, as the artifacts give them', async () => {
    const { page } = await watchedPage(browser());
    await page.goto(baseURL() + '/lessons/09-progress-measures/');
    const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    const m = siteRun.memorised;
    for (const phrase of [
      `at epoch ${epochs(siteRun.phases.memorised)} the train loss is ${prose(m.trainLoss)}`,
      `while the restricted loss is still ${prose(m.restrictedLoss)}`,
      `circuit formation ${epochs(siteRun.phases.memorised)}–${epochs(siteRun.phases.cleanupStart)}`,
      `the excluded loss passes 1 at epoch ${epochs(siteRun.excludedPassesOne.epoch)}`,
      `falls below 1 only at epoch ${epochs(siteRun.testBelowOne)}`,
    ]) {
      expect(text).toContain(phrase);
    }
    await page.close();
  });
});

describe("lesson 8's recorded runs", () => {
  it('plot the shipped addition run and the division run, every recorded point', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/lessons/08-grokking/');
    const runs = page.getByTestId('recorded-runs');
    await runs.scrollIntoViewIfNeeded();
    const curves = runs.getByTestId('curve');
    await curves.nth(3).waitFor();
    const points = await curves.evaluateAll((els) => els.map((e) => e.getAttribute('data-points')));
    const [add, div] = [recordedRuns.addition.rows.length, recordedRuns.division.rows.length];
    expect(points).toEqual([add, add, div, div].map(String));
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });
});

describe('navigation', () => {
  it('goes from the course map to lesson 1, then next and previous, and the sidebar marks the page', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/');
    await page.locator('.course-map a').first().click();
    await page.waitForURL(/\/lessons\//);
    const first = page.url();
    expect(await page.locator('.lesson-number').textContent()).toContain('Lesson 1');
    expect(await page.locator('.sidebar a[aria-current="page"]').count()).toBe(1);
    expect(await page.locator('a[rel="prev"]').count()).toBe(0);
    await page.locator('a[rel="next"]').click();
    await page.waitForURL((url) => url.href !== first);
    expect(await page.locator('.lesson-number').textContent()).toContain('Lesson 2');
    await page.locator('a[rel="prev"]').click();
    await page.waitForURL(first);
    await page.locator('.sidebar a').nth(2).click();
    await page.waitForURL(/\/lessons\//);
    expect(await page.locator('.lesson-number').textContent()).toContain('Lesson 3');
    // The table of contents links to headings that exist on the page.
    const tocTargets = await page.$$eval('.toc a', (as) => as.map((a) => a.getAttribute('href')));
    expect(tocTargets.length).toBeGreaterThan(0);
    for (const target of tocTargets) expect(await page.locator(target!).count()).toBe(1);
    expect(faults).toEqual({ consoleErrors: [], pageErrors: [], offsiteRequests: [] });
    await page.close();
  });

  it('reads on a phone: no horizontal scrolling at 375 px, on every built page, hydrated', async () => {
    const page = await browser().newPage({ viewport: { width: 375, height: 740 } });
    for (const path of builtPages()) {
      await page.goto(baseURL() + path);
      // Islands hydrate as they come into view, and a hydrated control can be wider than its
      // server-rendered self: scroll through the page first.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let y = 0; y < height; y += 700) await page.evaluate((top) => scrollTo(0, top), y);
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      // A table's caption is read whole: it never lies beyond the edge of the table's scroll box.
      const cut = await page.$$eval('.lesson .wide', (boxes) =>
        boxes.flatMap((box) => {
          const caption = box.querySelector('caption');
          if (!caption) return [];
          const edge = box.getBoundingClientRect().right;
          return caption.getBoundingClientRect().right > edge + 1
            ? [caption.textContent!.slice(0, 50)]
            : [];
        }),
      );
      expect(cut, path).toEqual([]);
    }
    await page.close();
  });
});

describe('the browser under test', () => {
  it('exposes a WebGPU adapter, so WebGPU paths can be tested', async () => {
    const { page } = await watchedPage(browser());
    await page.goto(baseURL() + '/');
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return gpu ? (await gpu.requestAdapter()) !== null : false;
    });
    expect(adapter).toBe(true);
    await page.close();
  });
});
