// Reading a run's history: the phases of grokking it went through, and a CSV of every measure.
import type { HistoryRow } from '../../lib/train/metrics.ts';

/** Milestones seen so far: memorised (train ≥ 99%), generalised (test ≥ 99%). */
export function phases(rows: readonly HistoryRow[]): string[] {
  const memorised = rows.find((r) => r.train_accuracy >= 0.99);
  const generalised = rows.find((r) => r.test_accuracy >= 0.99);
  const found: string[] = [];
  if (memorised) found.push(`memorised by epoch ${memorised.epoch}`);
  if (generalised) found.push(`generalised by epoch ${generalised.epoch}`);
  return found;
}

const columns: (keyof HistoryRow)[] = [
  'epoch',
  'train_loss',
  'test_loss',
  'train_accuracy',
  'test_accuracy',
  'restricted_loss',
  'excluded_loss',
  'gini_W_E',
  'gini_W_L',
  'sum_sq_weights',
  'key_freqs',
];

/** The history as CSV, one row per evaluation; key frequencies joined by spaces. */
export function historyCsv(rows: readonly HistoryRow[]): string {
  const cell = (v: HistoryRow[keyof HistoryRow]) =>
    Array.isArray(v) ? v.join(' ') : String(v ?? '');
  return (
    [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') +
    '\n'
  );
}
