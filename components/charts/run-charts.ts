// The charts of a training run, shared by the lab and the scrubber: which measures each plots.
import type { HistoryRow } from '../../lib/train/metrics.ts';

/** One measure on a chart: its legend label, its field in the history rows, its colour. */
export interface SeriesSpec {
  label: string;
  key: keyof HistoryRow;
  color: string;
}

export interface ChartSpec {
  title: string;
  /** Logarithmic y axis, as the paper plots losses */
  log: boolean;
  series: SeriesSpec[];
}

const [blue, orange, green, purple] = ['#2f6fde', '#d9480f', '#2b8a3e', '#862e9c'];

/** A chart of `series`, each [legend label, field of the history rows, colour]. */
function chart(title: string, log: boolean, ...series: [string, keyof HistoryRow, string][]) {
  return { title, log, series: series.map(([label, key, color]) => ({ label, key, color })) };
}

export const runCharts: ChartSpec[] = [
  chart('Loss', true, ['train', 'train_loss', blue], ['test', 'test_loss', orange]),
  chart('Accuracy', false, ['train', 'train_accuracy', blue], ['test', 'test_accuracy', orange]),
  chart(
    'Restricted and excluded loss',
    true,
    ['restricted', 'restricted_loss', green],
    ['excluded', 'excluded_loss', purple],
  ),
  chart('Gini of Fourier norms', false, ['W_E', 'gini_W_E', green], ['W_L', 'gini_W_L', purple]),
  chart('Sum of squared weights', false, ['Σw²', 'sum_sq_weights', '#495057']),
];
