// What a reader sees of the maths, measured in Chromium on every lesson at 1280 and 390 px: scripts
// are smaller than their base and sit below (or above) its baseline, no inline formula breaks
// across lines, and display maths that is wider than the column scrolls instead of being cut.
import { describe, expect, it } from 'vitest';
import { baseURL, useBrowser } from './browser.ts';

const browser = useBrowser();

async function lessonPaths(): Promise<string[]> {
  const page = await browser().newPage();
  await page.goto(baseURL() + '/');
  const hrefs = await page.$$eval('.course-map a', (as) => as.map((a) => a.getAttribute('href')!));
  await page.close();
  return hrefs.filter((h) => h.includes('/lessons/'));
}

interface Typeset {
  formulas: number;
  scripts: number;
  /** Scripts whose glyphs are not smaller than their base's, with the formula's TeX. */
  fullSize: string[];
  /** Subscripts (x_i) not below their base's baseline, superscripts (x^2) not above it. */
  misplaced: string[];
  /** Inline formulas laid out over more than one line. */
  wrapped: string[];
  /** Display formulas wider than their box that cannot be scrolled to. */
  clipped: string[];
  /** Display maths that scrolls but cannot be reached by keyboard to scroll it */
  unreachable: string[];
}

/** Measures every formula on the page (runs in the page). */
function measure(): Typeset {
  const tex = (el: Element) =>
    el.closest('.katex')?.querySelector('annotation')?.textContent?.trim() ?? '?';
  // Spans that hold visible characters (KaTeX's struts hold a zero-width space at 1 px).
  const glyphs = (el: Element) =>
    [el, ...el.querySelectorAll('span')].filter((s) =>
      [...s.childNodes].some(
        (n) => n.nodeType === 3 && n.textContent!.replace(/[\s\u200b]/g, '') !== '',
      ),
    );
  const baseline = (el: Element) => {
    const probe = document.createElement('span');
    probe.style.cssText = 'display:inline-block;width:0;height:0;vertical-align:baseline';
    el.appendChild(probe);
    const y = probe.getBoundingClientRect().top;
    probe.remove();
    return y;
  };
  const out: Typeset = {
    formulas: 0,
    scripts: 0,
    fullSize: [],
    misplaced: [],
    wrapped: [],
    clipped: [],
    unreachable: [],
  };
  const formulas = [...document.querySelectorAll('main .katex')];
  out.formulas = formulas.length;
  for (const script of document.querySelectorAll('main .katex .msupsub')) {
    const nucleus = script.previousElementSibling;
    const nucleusGlyphs = nucleus ? glyphs(nucleus) : [];
    if (!nucleus || nucleusGlyphs.length === 0) continue;
    out.scripts++;
    const baseSize = parseFloat(getComputedStyle(nucleusGlyphs.at(-1)!).fontSize);
    const own = glyphs(script);
    if (own.some((g) => parseFloat(getComputedStyle(g).fontSize) > 0.9 * baseSize)) {
      out.fullSize.push(tex(script));
    }
    // A formula that is a single base with only a subscript or only a superscript: its place.
    const whole = tex(script);
    const line = baseline(nucleus);
    const box = (gs: Element[]) => ({
      top: Math.min(...gs.map((g) => g.getBoundingClientRect().top)),
      bottom: Math.max(...gs.map((g) => g.getBoundingClientRect().bottom)),
    });
    const { top, bottom } = box(own);
    const nucleusBox = box(nucleusGlyphs);
    if (/^\\?[A-Za-z]+_(\{[^{}^]+\}|\w)$/.test(whole) || /^[A-Za-z]_\\text\{\w+\}$/.test(whole)) {
      if (!(bottom > line + 1 && top > nucleusBox.top)) out.misplaced.push(whole);
    } else if (/^[A-Za-z]\^(\{[^{}_]+\}|\w)$/.test(whole)) {
      if (!(bottom < line - 1 && top < nucleusBox.top)) out.misplaced.push(whole);
    }
  }
  for (const formula of formulas) {
    if (formula.closest('.katex-display')) continue;
    const html = formula.querySelector('.katex-html');
    if (html && html.getClientRects().length > 1) out.wrapped.push(tex(formula));
  }
  for (const display of document.querySelectorAll('main .katex-display')) {
    const box = display as HTMLElement;
    if (box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== 'auto') {
      out.clipped.push(tex(display));
    }
    if (box.scrollWidth > box.clientWidth + 1 && box.tabIndex !== 0) {
      out.unreachable.push(tex(display));
    }
  }
  return out;
}

describe('the maths as typeset', () => {
  for (const width of [1280, 390]) {
    it(`is set as TeX sets it on every lesson at ${width} px`, async () => {
      const page = await browser().newPage({ viewport: { width, height: 900 } });
      let scripts = 0;
      let singles = 0;
      for (const path of await lessonPaths()) {
        await page.goto(baseURL() + path);
        await page.evaluate(() => document.fonts.ready);
        // The tab stops of wide formulas are set when their sizes are known, a frame later.
        await page.evaluate(
          () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
        );
        const seen = await page.evaluate(measure);
        scripts += seen.scripts;
        expect(seen.formulas, path).toBeGreaterThan(0);
        expect(seen.fullSize, path).toEqual([]);
        expect(seen.misplaced, path).toEqual([]);
        expect(seen.wrapped, path).toEqual([]);
        expect(seen.clipped, path).toEqual([]);
        expect(seen.unreachable, path).toEqual([]);
        singles += await page.$$eval(
          'main .katex annotation',
          (as) =>
            as.filter((a) => /^\\?[A-Za-z]+_(\{[^{}^]+\}|\w)$/.test(a.textContent!.trim())).length,
        );
      }
      // The checks above looked at something: the lessons write hundreds of scripts.
      expect(scripts).toBeGreaterThan(100);
      expect(singles).toBeGreaterThan(20);
      await page.close();
    });
  }
});

describe('the text as read', () => {
  it('never runs two sentences together, and has no empty boxes, on any page', async () => {
    const page = await browser().newPage();
    for (const path of ['/', '/check/', '/grade/', ...(await lessonPaths())]) {
      await page.goto(baseURL() + path);
      const seen = await page.evaluate(() => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        // Text in different blocks (paragraphs, list items, cells) is apart on screen.
        const blockOf = (el: Element | null) => {
          while (el && getComputedStyle(el).display.startsWith('inline')) el = el.parentElement;
          return el;
        };
        let [text, last] = ['', null as Element | null];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement;
          if (parent?.closest('.katex, script, style, code, pre, [hidden]')) continue;
          const block = blockOf(parent);
          text += (block === last ? '' : ' ') + node.textContent;
          last = block;
        }
        const runTogether = [...text.matchAll(/[A-Za-z0-9)][.!?:][A-Z][a-z]/g)].map((m) =>
          text.slice(Math.max(0, m.index - 20), m.index + 20),
        );
        const empty = [...document.querySelectorAll('main p, main .callout, main li')]
          .filter(
            (el) =>
              el.textContent!.trim() === '' && el.querySelector('img, svg, canvas, input') === null,
          )
          .map((el) => `${el.tagName}.${el.className}`);
        return { runTogether, empty };
      });
      expect(seen.runTogether, path).toEqual([]);
      expect(seen.empty, path).toEqual([]);
    }
    await page.close();
  });
});
