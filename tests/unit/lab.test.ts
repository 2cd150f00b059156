// The lab's settings (checked, shared by URL) and its reading of a run's history.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { formatDuration } from '../../components/format.ts';
import { historyCsv, phaseSummary } from '../../components/lab/history.ts';
import { detectPhases, phaseAt } from '../../lib/train/phases.ts';
import { labPresets } from '../../lib/train/presets.ts';
import { measuresAt } from '../../lib/train/lab-settings.ts';
import {
  checkLabSettings,
  differences,
  labFromQuery,
  labQuery,
  labSettingsOf,
  sweepSettings,
} from '../../lib/train/lab-settings.ts';
import type { HistoryRow } from '../../lib/train/metrics.ts';

const quick = labSettingsOf(labPresets.quickGrok.settings, labPresets.quickGrok.epochs);

describe('lab settings', () => {
  it('turns every preset back into its training settings', () => {
    for (const preset of Object.values(labPresets)) {
      const lab = labSettingsOf(preset.settings, preset.epochs);
      expect(checkLabSettings(lab)).toEqual({ ok: true, settings: preset.settings, lab });
    }
  });

  it('round-trips through a URL, keeping what the URL leaves out', () => {
    const changed = { ...quick, p: 97, lr: 0.001, seed: 7, op: 'divide' as const };
    expect(labFromQuery(`?${labQuery(changed)}`, quick)).toEqual(changed);
    expect(labFromQuery('?seed=3', quick)).toEqual({ ...quick, seed: 3 });
  });

  it.each([
    [{ p: 60 }, 'p must be a prime from 5 to 127 (got 60).'],
    [{ p: 131 }, 'p must be a prime from 5 to 127 (got 131).'],
    [{ d_model: 66 }, 'd_model (66) must be a multiple of the heads (4).'],
    [{ fraction: 1 }, 'The training fraction must be from 0.05 to 0.95 (5% to 95%) (got 1).'],
    [{ lr: 0 }, 'The learning rate must be above 0 and at most 0.1 (got 0).'],
    [{ lr: Number.NaN }, 'The learning rate must be above 0 and at most 0.1 (got NaN).'],
    [{ epochs: 2.5 }, 'Epochs must be a whole number from 1 to 100,000 (got 2.5).'],
    // An emptied number field is null; a run file or a kept run can hold anything JSON holds.
    [{ weightDecay: null }, 'Weight decay is empty: enter from 0 to 10.'],
    [{ weightDecay: '' }, 'Weight decay is empty: enter from 0 to 10.'],
    [{ lr: '0.003' }, 'The learning rate must be above 0 and at most 0.1 (got "0.003").'],
    [
      { fraction: [0.5] },
      'The training fraction must be from 0.05 to 0.95 (5% to 95%) (got [0.5]).',
    ],
    [{ seed: true }, 'The seed must be a whole number from 0 to 2,147,483,647 (got true).'],
    [{ epochs: Infinity }, 'Epochs must be a whole number from 1 to 100,000 (got Infinity).'],
    [{ loss: null }, 'The loss must be one of exact, naive (got null).'],
  ])('refuses %j with a message', (change, message) => {
    const checked = checkLabSettings({ ...quick, ...change });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors).toContain(message);
  });

  it('reads an empty or non-numeric value in a link as a field to fix, never as 0', () => {
    for (const query of ['?weightDecay=', '?seed=', '?seed=%20', '?p=abc']) {
      const checked = checkLabSettings(labFromQuery(query, quick));
      expect(checked.ok, query).toBe(false);
    }
    const empty = checkLabSettings(labFromQuery('?seed=', quick));
    if (!empty.ok)
      expect(empty.errors).toEqual([
        'The seed is empty: enter a whole number from 0 to 2,147,483,647.',
      ]);
  });
});

describe('history', () => {
  const row = (epoch: number, train: number, test: number, testLoss = 2): HistoryRow => ({
    epoch,
    train_loss: 1,
    test_loss: testLoss,
    train_accuracy: train,
    test_accuracy: test,
    key_freqs: [5, 18],
    restricted_loss: 0.5,
    excluded_loss: null,
    gini_W_E: 0.1,
    gini_W_L: 0.2,
    sum_sq_weights: 900,
  });

  it('finds the three phases as they happen, each once it has held for the next evaluations', () => {
    // Every 100 epochs: memorised at 100; test loss peaks at 10, below a quarter of it from 600;
    // generalised from 1000, but its loss within 20× the train loss only from 1400.
    const testLoss = [5, 8, 10, 9, 9, 9, 2.4, 2, 1, 0.5, 0.2, 0.1, 40, 30, 19, 15, 10, 5, 5, 5];
    const rows = testLoss.map((loss, k) =>
      row(100 * k, k === 0 ? 0.1 : 1, k >= 10 ? 1 : 0.5, loss),
    );
    expect(detectPhases(rows.slice(0, 1))).toEqual({});
    expect(detectPhases(rows.slice(0, 5))).toEqual({}); // memorised, not yet held for 4 more
    expect(detectPhases(rows.slice(0, 6))).toEqual({ memorised: 100 });
    expect(detectPhases(rows.slice(0, 10))).toEqual({ memorised: 100 });
    expect(detectPhases(rows.slice(0, 11))).toEqual({ memorised: 100, cleanupStart: 600 });
    expect(detectPhases(rows)).toEqual({ memorised: 100, cleanupStart: 600, cleanedUp: 1400 });
    const phases = detectPhases(rows);
    // A phase ends at its boundary's epoch (memorisation ends at 100, clean-up at 1,400) and the
    // next starts after it; clean-up starts at its own boundary, as the summary's ranges say.
    expect([0, 100, 101, 599, 600, 1400, 1500].map((e) => phaseAt(phases, e))).toEqual([
      'memorisation',
      'memorisation',
      'circuit formation',
      'circuit formation',
      'clean-up',
      'clean-up',
      'after clean-up',
    ]);
    expect(phaseSummary(rows)).toEqual([
      'memorisation: epochs 0–100',
      'circuit formation: 100–600',
      'clean-up: 600–1,400',
      'test accuracy ≥ 99% from epoch 1,000',
    ]);
  });

  it('does not fire on a spike: a transient dip, or a train loss lifted for a while', () => {
    // Memorised at 100 (train loss 1e-6 from then); the test loss dips below a quarter of its
    // peak for one evaluation at 500, then for good from 1000.
    const testLoss = [5, 8, 10, 10, 10, 2, 9, 9, 9, 9, 2, 2, 2, 2, 2, 2];
    const rows = testLoss.map((loss, k) => ({
      ...row(100 * k, k === 0 ? 0.1 : 1, 0.5, loss),
      train_loss: 1e-6,
    }));
    expect(detectPhases(rows).cleanupStart).toBe(1000);
    // Generalised with the test loss at 1e-4: a spike lifts the train loss to 1e-4 for 6
    // evaluations, which a rule comparing with the train loss of the moment would take as clean.
    const later = Array.from({ length: 12 }, (_, k) => ({
      ...row(1600 + 100 * k, 1, 1, 1e-4),
      train_loss: k >= 2 && k < 8 ? 1e-4 : 1e-6,
    }));
    expect(detectPhases([...rows, ...later]).cleanedUp).toBeUndefined();
  });

  it('finds only lasting boundaries on the slingshot spikes of the recorded naive run', () => {
    const { history } = JSON.parse(readFileSync('models/paper-naive/history.json', 'utf8')) as {
      history: HistoryRow[];
    };
    const phases = detectPhases(history);
    // A spike: the train loss up 10× or more between two evaluations after memorisation.
    const spikes = history.filter(
      (r, i) =>
        i > 0 && r.epoch > phases.memorised! && r.train_loss >= 10 * history[i - 1]!.train_loss,
    );
    expect(spikes.length).toBeGreaterThan(3);
    // Clean-up starts once, and the test loss stays below a quarter of its highest at every later
    // evaluation, spikes and all: the boundary is not a spike's transient.
    const start = history.findIndex((r) => r.epoch === phases.cleanupStart);
    expect(start).toBeGreaterThan(0);
    const from = history.findIndex((r) => r.epoch === phases.memorised);
    const highest = Math.max(...history.slice(from, start + 1).map((r) => r.test_loss));
    for (const row of history.slice(start)) {
      expect(row.test_loss, `at epoch ${row.epoch}`).toBeLessThan(highest / 4);
    }
    // Each spike ends its test loss's fall 100× or more above the train loss's low: never clean.
    const lowest = Math.min(...history.slice(from).map((r) => r.train_loss));
    expect(Math.min(...history.slice(start).map((r) => r.test_loss))).toBeGreaterThan(100 * lowest);
    expect(phases.cleanedUp).toBeUndefined();
  });

  it("finds the paper's phases in the shipped run, in order, with grokking in clean-up", () => {
    const { history } = JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as {
      history: HistoryRow[];
    };
    const { memorised, cleanupStart, cleanedUp } = detectPhases(history);
    expect(memorised).toBeLessThan(1000);
    expect(cleanupStart).toBeGreaterThan(memorised! + 1000);
    expect(cleanedUp).toBeGreaterThan(cleanupStart!);
    const generalised = history.find((r) => r.test_accuracy >= 0.99)!.epoch;
    expect(generalised).toBeGreaterThanOrEqual(cleanupStart!);
    expect(generalised).toBeLessThanOrEqual(cleanedUp!);
  });

  it('writes every measure as CSV', () => {
    expect(historyCsv([row(10, 1, 0.5)]).split('\n')).toEqual([
      'epoch,train_loss,test_loss,train_accuracy,test_accuracy,restricted_loss,excluded_loss,gini_W_E,gini_W_L,sum_sq_weights,key_freqs',
      '10,1,2,1,0.5,0.5,,0.1,0.2,900,5 18',
      '',
    ]);
  });
});

describe('comparing runs', () => {
  it('labels runs by what differs between them', () => {
    expect(differences([quick, { ...quick, weightDecay: 0.3 }])).toEqual([
      'weight decay 1',
      'weight decay 0.3',
    ]);
    expect(differences([quick, { ...quick, seed: 4, fraction: 0.3 }])).toEqual([
      'fraction 0.5, seed 0',
      'fraction 0.3, seed 4',
    ]);
    expect(differences([quick, quick])).toEqual(['run 1', 'run 2']);
    // A sweep after a run with the same settings: no two labels alike (they key the legend).
    const again = [quick, { ...quick, weightDecay: 0.3 }, quick, { ...quick, weightDecay: 3 }];
    expect(differences(again)).toEqual([
      'weight decay 1 (run 1)',
      'weight decay 0.3',
      'weight decay 1 (run 3)',
      'weight decay 3',
    ]);
  });

  it('sweeps one setting over three values, keeping the rest', () => {
    const runs = sweepSettings({ ...quick, epochs: 200 }, 'weightDecay');
    expect(runs.map((r) => r.weightDecay)).toEqual([0.3, 1, 3]);
    expect(runs.every((r) => r.epochs === 200 && r.p === quick.p)).toBe(true);
    expect(runs.every((r) => checkLabSettings(r).ok)).toBe(true);
    expect(sweepSettings(quick, 'fraction').map((r) => r.fraction)).toEqual([0.3, 0.5, 0.7]);
  });
});

describe('durations in words', () => {
  it('say seconds, minutes or hours as a person plans by them', () => {
    expect(formatDuration(42.2)).toBe('43 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(10684)).toBe('2 h 58 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(Number.NaN)).toBe('unknown');
  });
});

describe('when a run measures itself', () => {
  it('every evalEvery epochs and at the end, and ten times as often before the first if far apart', () => {
    const at = (evalEvery: number, epochs: number) =>
      Array.from({ length: epochs }, (_, i) => i + 1).filter((e) =>
        measuresAt(e, evalEvery, epochs),
      );
    // The paper's preset at the balanced speed: 50 epochs apart until epoch 500.
    expect(at(500, 1200)).toEqual([50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 1000, 1200]);
    // Quick grok measures every 10 epochs anyway: nothing added.
    expect(at(10, 60)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(at(50, 120)).toEqual([50, 100, 120]);
  });
});
