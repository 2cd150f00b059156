// The reader's theme (light or dark; none means the system's), applied before the first paint so
// that a dark page never flashes light. Inline in every page's head; astro.config.mjs allows it by
// its hash. The switch that sets it is in src/layouts/Base.astro.
try {
  const root = document.documentElement;
  const theme = localStorage.getItem(`${root.dataset.base}grokking:theme`);
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
} catch {
  // Site data blocked: the system's theme it is.
}
