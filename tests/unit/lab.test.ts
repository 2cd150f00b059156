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
      const checked = checkLabSettings(labSettingsOf(preset.settings, preset.epochs));
      expect(checked).toEqual({ ok: true, settings: preset.settings });
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
    [{ fraction: 1 }, 'The training fraction must be 5% to 95%.'],
    [{ lr: 0 }, 'The learning rate must be above 0 and at most 0.1.'],
    [{ lr: Number.NaN }, 'The learning rate must be above 0 and at most 0.1.'],
    [{ epochs: 2.5 }, 'Epochs must be a whole number from 1 to 100,000.'],
  ])('refuses %j with a message', (change, message) => {
    const checked = checkLabSettings({ ...quick, ...change });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors).toContain(message);
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

  it('finds the three phases as they happen', () => {
    const rows = [
      row(0, 0.1, 0.1, 5),
      row(100, 1, 0.02, 8), // memorised; test loss still rising
      row(200, 1, 0.02, 10),
      row(300, 1, 0.5, 2.4), // below a quarter of the highest (10): clean-up starts
      row(400, 1, 1, 30), // generalised, but test loss still far above train loss
      row(500, 1, 1, 19),
    ];
    expect(detectPhases(rows.slice(0, 1))).toEqual({});
    expect(detectPhases(rows.slice(0, 3))).toEqual({ memorised: 100 });
    expect(detectPhases(rows)).toEqual({ memorised: 100, cleanupStart: 300, cleanedUp: 500 });
    const phases = detectPhases(rows);
    expect([0, 100, 299, 300, 500].map((e) => phaseAt(phases, e))).toEqual([
      'memorisation',
      'circuit formation',
      'circuit formation',
      'clean-up',
      'generalised',
    ]);
    expect(phaseSummary(rows)).toEqual([
      'memorisation: epochs 0–100',
      'circuit formation: 100–300',
      'clean-up: 300–500',
      'test accuracy ≥ 99% from epoch 400',
    ]);
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
