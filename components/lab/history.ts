// Reading a run's history: the phases of grokking it went through, and a CSV of every measure.
import type { HistoryRow } from '../../lib/train/metrics.ts';
import { detectPhases } from '../../lib/train/phases.ts';

/** The phases seen so far, as sentences: "memorisation: epochs 0–200", … */
export function phaseSummary(rows: readonly HistoryRow[]): string[] {
  const { memorised, cleanupStart, cleanedUp } = detectPhases(rows);
  const n = (epoch: number) => epoch.toLocaleString('en');
  const found: string[] = [];
  if (memorised !== undefined) found.push(`memorisation: epochs 0–${n(memorised)}`);
  if (memorised !== undefined && cleanupStart !== undefined) {
    found.push(`circuit formation: ${n(memorised)}–${n(cleanupStart)}`);
  }
  if (cleanupStart !== undefined && cleanedUp !== undefined) {
    found.push(`clean-up: ${n(cleanupStart)}–${n(cleanedUp)}`);
  }
  const generalised = rows.find((r) => r.test_accuracy >= 0.99);
  if (generalised) found.push(`test accuracy ≥ 99% from epoch ${n(generalised.epoch)}`);
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
