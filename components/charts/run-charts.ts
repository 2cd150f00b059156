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

export const runCharts: ChartSpec[] = [
  {
    title: 'Loss',
    log: true,
    series: [
      { label: 'train', key: 'train_loss', color: blue },
      { label: 'test', key: 'test_loss', color: orange },
    ],
  },
  {
    title: 'Accuracy',
    log: false,
    series: [
      { label: 'train', key: 'train_accuracy', color: blue },
      { label: 'test', key: 'test_accuracy', color: orange },
    ],
  },
  {
    title: 'Restricted and excluded loss',
    log: true,
    series: [
      { label: 'restricted', key: 'restricted_loss', color: green },
      { label: 'excluded', key: 'excluded_loss', color: purple },
    ],
  },
  {
    title: 'Gini of Fourier norms',
    log: false,
    series: [
      { label: 'W_E', key: 'gini_W_E', color: green },
      { label: 'W_L', key: 'gini_W_L', color: purple },
    ],
  },
  {
    title: 'Sum of squared weights',
    log: false,
    series: [{ label: 'Σw²', key: 'sum_sq_weights', color: '#495057' }],
  },
];
