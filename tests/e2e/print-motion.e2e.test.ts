// A lesson on paper and for a reader who asks for less motion: under print emulation the page's
// chrome and the widgets' controls are gone, the text and figures stay, and an external link shows
// its address; with prefers-reduced-motion nothing on a page animates, transitions or scrolls
// smoothly, whatever a widget sets on an element.
import { describe, expect, it } from 'vitest';
import { baseURL, useBrowser, watchedPage } from './browser.ts';

const browser = useBrowser();

describe('a lesson printed', () => {
  it('drops the header, navigation and controls, keeps the text and figures, and prints link addresses', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.goto(baseURL() + '/lessons/03-reverse-engineering/');
    await page.locator('.widget button').first().waitFor();
    await page.emulateMedia({ media: 'print' });
    const seen = await page.evaluate(() => {
      const shown = (el: Element) => {
        const box = el.getBoundingClientRect();
        return getComputedStyle(el).display !== 'none' && box.width > 0 && box.height > 0;
      };
      const all = (selector: string) => [...document.querySelectorAll(selector)];
      const link = document.querySelector<HTMLAnchorElement>('.lesson a[href^="http"]')!;
      return {
        chrome: all('.site-header, .sidebar, .toc, .pager').filter(shown).length,
        controls: all('.widget button, .widget select, .widget input').filter(shown).length,
        paragraphs: all('.lesson p').filter(shown).length,
        figures: all('.lesson figure, .lesson canvas, .lesson svg, .lesson table').filter(shown)
          .length,
        linkAfter: getComputedStyle(link, '::after').content,
        href: link.href,
        // Nothing printed runs off the paper's width (the page is laid out at the viewport's).
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });
    expect(seen.chrome).toBe(0);
    expect(seen.controls).toBe(0);
    expect(seen.paragraphs).toBeGreaterThan(10);
    expect(seen.figures).toBeGreaterThan(0);
    expect(seen.linkAfter).toBe(`" (${seen.href})"`);
    expect(seen.overflow).toBeLessThanOrEqual(0);
    // And on screen again, everything is back.
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('.site-header').isVisible()).toBe(true);
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  });
});

describe('reduced motion', () => {
  it('stops every animation, transition and smooth scroll on a page', async () => {
    const { page, faults } = await watchedPage(browser());
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(baseURL() + '/lessons/06-fourier-multiplication/');
    // Motion a widget might set on an element (the CSP allows styles set on elements, not new
    // style sheets): the reader's preference still wins.
    const motion = await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.className = 'moving';
      probe.style.animation = 'spin 2s infinite';
      probe.style.transition = 'opacity 1s';
      probe.style.scrollBehavior = 'smooth';
      document.querySelector('main')!.append(probe);
      const moving = (el: Element) => {
        const s = getComputedStyle(el);
        const seconds = (list: string) => list.split(',').some((t) => parseFloat(t) > 0);
        return (
          seconds(s.animationDuration) ||
          seconds(s.transitionDuration) ||
          s.scrollBehavior === 'smooth'
        );
      };
      const probeMoves = moving(probe);
      return {
        probeMoves,
        moving: [...document.querySelectorAll('*')].filter(moving).map((el) => el.tagName),
        html: getComputedStyle(document.documentElement).scrollBehavior,
      };
    });
    expect(motion.probeMoves).toBe(false);
    expect(motion.moving).toEqual([]);
    expect(motion.html).toBe('auto');
    // Without the preference the same probe does move: the check above can fail.
    await page.emulateMedia({ reducedMotion: null });
    expect(
      await page.evaluate(
        () => getComputedStyle(document.querySelector('.moving')!).animationDuration,
      ),
    ).toBe('2s');
    expect(faults.pageErrors).toEqual([]);
    await page.close();
  });
});
