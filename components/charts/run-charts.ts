// The charts of a training run, shared by the lab and the scrubber: which measures each plots.
import type { HistoryRow } from '../../lib/train/metrics.ts';

/** One measure on a chart: its legend label, its field in the history rows, its CSS colour. */
export interface SeriesSpec {
  label: string;
  key: keyof HistoryRow;
  color: string;
}

/** A line on a chart: its legend label, colour, and values aligned with the chart's epochs. */
export interface Line {
  label: string;
  color: string;
  values: (number | null)[];
}

/** The lines of `series` over a run's rows (non-numbers become gaps). */
export function linesOf(rows: readonly HistoryRow[], series: readonly SeriesSpec[]): Line[] {
  return series.map(({ label, key, color }) => ({
    label,
    color,
    values: rows.map((r) => (typeof r[key] === 'number' ? (r[key] as number) : null)),
  }));
}

export interface ChartSpec {
  title: string;
  /** What the y axis measures, with its unit */
  yLabel: string;
  /** Logarithmic y axis, as the paper plots losses */
  log: boolean;
  series: SeriesSpec[];
}

/** The theme's series colours (src/styles/site.css): each a light-dark() pair. */
export const seriesColors = [1, 2, 3, 4, 5].map((n) => `var(--series-${n})`);
const [blue, orange, green, purple, grey] = seriesColors as [
  string,
  string,
  string,
  string,
  string,
];

/** A chart of `series`, each [legend label, field of the history rows, colour]. */
function chart(
  [title, yLabel]: [string, string],
  log: boolean,
  ...series: [string, keyof HistoryRow, string][]
): ChartSpec {
  return {
    title,
    yLabel,
    log,
    series: series.map(([label, key, color]) => ({ label, key, color })),
  };
}

export const runCharts: ChartSpec[] = [
  chart(
    ['Loss', 'cross-entropy (nats)'],
    true,
    ['train', 'train_loss', blue],
    ['test', 'test_loss', orange],
  ),
  chart(
    ['Accuracy', 'fraction right'],
    false,
    ['train', 'train_accuracy', blue],
    ['test', 'test_accuracy', orange],
  ),
  chart(
    ['Restricted and excluded loss', 'cross-entropy (nats)'],
    true,
    ['restricted', 'restricted_loss', green],
    ['excluded', 'excluded_loss', purple],
  ),
  chart(
    ['Gini of Fourier norms', 'Gini coefficient'],
    false,
    ['W_E', 'gini_W_E', green],
    ['W_L', 'gini_W_L', purple],
  ),
  chart(['Sum of squared weights', 'Σ θ²'], false, ['Σθ²', 'sum_sq_weights', grey]),
];
