// The course's recorded run against float64 PyTorch from the same initial weights and split
// (scripts/same_start_float64.py, output in tests/fixtures/same-start/): the trainer's float32 steps
// follow the dynamics of the same start, evaluation by evaluation.
import { readFileSync } from 'node:fs';
import type { HistoryRow } from '../../lib/train/metrics.ts';
import { describe, expect, it } from 'vitest';

/** The recorded fields a history row is checked on */
type Row = Pick<
  HistoryRow,
  'epoch' | 'train_loss' | 'test_loss' | 'train_accuracy' | 'test_accuracy'
>;
const reference = JSON.parse(readFileSync('tests/fixtures/same-start/float64.json', 'utf8')) as {
  settings: Record<string, unknown>;
  rows: Row[];
};
const recorded = JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as {
  settings: Record<string, unknown>;
  history: Row[];
};

describe('the recorded run beside float64 PyTorch from the same start', () => {
  it('is the same configuration', () => {
    expect(reference.settings).toEqual(recorded.settings);
    expect(reference.rows.length).toBeGreaterThanOrEqual(10);
  });

  it('has the same losses and accuracies at every evaluation, within what chaos allows', () => {
    for (const ref of reference.rows) {
      const row = recorded.history.find((r) => r.epoch === ref.epoch)!;
      expect(row, `epoch ${ref.epoch}`).toBeDefined();
      // The test loss, the quantity grokking is about: within 5%.
      expect(
        Math.abs(row.test_loss - ref.test_loss) / ref.test_loss,
        `epoch ${ref.epoch}`,
      ).toBeLessThan(0.05);
      // The train loss falls by orders of magnitude: within 25% of the float64 value.
      expect(
        Math.abs(Math.log(row.train_loss / ref.train_loss)),
        `epoch ${ref.epoch}`,
      ).toBeLessThan(Math.log(1.25));
      expect(Math.abs(row.train_accuracy - ref.train_accuracy)).toBeLessThan(0.02);
      expect(Math.abs(row.test_accuracy - ref.test_accuracy)).toBeLessThan(0.02);
    }
  });
});
