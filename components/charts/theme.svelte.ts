// The page's colours for what CSS cannot paint (uPlot's and the heat maps' canvases): read from
// the theme's custom properties (src/styles/site.css), and read again when the theme changes,
// by the system (prefers-color-scheme) or by the reader (the header's switch, `grokking:theme`).

/** Bumped on every theme change: an effect that reads it redraws with the new colours. */
export const theme = $state({ changes: 0 });

if (typeof window !== 'undefined') {
  const bump = () => theme.changes++;
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', bump);
  window.addEventListener('grokking:theme', bump);
}

/**
 * `color` (any CSS colour, `var(--series-1)` included) as the rgb() string it computes to inside
 * `within`: custom properties hold light-dark() pairs, which only an element can resolve.
 */
export function resolveColor(within: Element, color: string): string {
  const probe = document.createElement('span');
  probe.style.color = color;
  probe.hidden = true;
  within.appendChild(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved;
}

/** The chart colours of the theme in force at `within`. */
export function chartColors(within: Element) {
  const of = (name: string) => resolveColor(within, `var(--${name})`);
  return {
    axis: of('chart-axis'),
    grid: of('chart-grid'),
    mark: of('chart-mark'),
    fg: of('fg'),
    bg: of('bg'),
  };
}
