// On a phone the lesson list and contents start folded, so the lesson is the first thing seen.
// Inline in the page (it must run before the first paint); astro.config.mjs allows it by its hash.
if (matchMedia('(max-width: 59.99rem)').matches) {
  document.querySelectorAll('.sidebar details, .toc details').forEach((d) => (d.open = false));
}
