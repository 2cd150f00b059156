// A display formula wider than the page scrolls sideways (site.css); while it does, it is a tab
// stop, so that keyboard users can scroll it too (WCAG 2.1.1), and stops being one when it fits.
const observer = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    const formula = target.closest<HTMLElement>('.katex-display')!;
    if (formula.scrollWidth > formula.clientWidth + 1) {
      formula.tabIndex = 0;
      formula.setAttribute('role', 'region');
      formula.setAttribute('aria-label', 'formula, scrolls sideways');
    } else if (formula.hasAttribute('tabindex')) {
      formula.removeAttribute('tabindex');
      formula.removeAttribute('role');
      formula.removeAttribute('aria-label');
    }
  }
});
// The formula's own box changes with the page, its content's with the fonts: watch both.
for (const formula of document.querySelectorAll('.katex-display')) {
  observer.observe(formula);
  if (formula.firstElementChild) observer.observe(formula.firstElementChild);
}
