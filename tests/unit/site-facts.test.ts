// What the lessons say of the shipped model's recorded run (src/site-model.ts, rendered into
// lesson 9) against the committed artifacts, worked out again here with plain loops: a retrained
// model cannot leave the prose behind.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharpnessExperiment, workedExample } from '../../src/lesson-facts.ts';
import { prose, recordedRuns, siteModel, siteRun } from '../../src/site-model.ts';

interface Row {
  epoch: number;
  train_loss: number;
  test_loss: number;
  train_accuracy: number;
  test_accuracy: number;
  sum_sq_weights: number;
}
const rows = (JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as { history: Row[] })
  .history;
const final = JSON.parse(readFileSync('models/paper/measures.json', 'utf8')) as {
  key_freqs: number[];
  measures: { epoch: number; restricted_loss: number; excluded_loss: number }[];
};
const manifest = JSON.parse(readFileSync('models/paper/manifest.json', 'utf8')) as {
  metrics: { key_freqs: number[] };
};

describe("the recorded run's facts in lesson 9", () => {
  it('phases by the rules lesson 9 states: train accuracy 99%, a quarter of the peak test loss, test accuracy 99% within 20× the train loss', () => {
    let i = rows.findIndex((r) => r.train_accuracy >= 0.99);
    const memorised = rows[i]!.epoch;
    let peak = rows[i]!.test_loss;
    for (i++; !(rows[i]!.test_loss < peak / 4); i++) peak = Math.max(peak, rows[i]!.test_loss);
    const cleanupStart = rows[i]!.epoch;
    for (
      i++;
      !(rows[i]!.test_accuracy >= 0.99 && rows[i]!.test_loss <= 20 * rows[i]!.train_loss);
      i++
    );
    expect(siteRun.phases).toEqual({ memorised, cleanupStart, cleanedUp: rows[i]!.epoch });
    expect(siteRun.finalEpoch).toBe(rows[rows.length - 1]!.epoch);
    // Measured at even steps, the step lesson 9 names.
    const steps = new Set(rows.slice(1).map((r, j) => r.epoch - rows[j]!.epoch));
    expect([...steps]).toEqual([siteRun.measuredEvery]);
  });

  it('the losses and weight norms it quotes, with the final key frequencies as the paper measures', () => {
    const at = (epoch: number) => rows.find((r) => r.epoch === epoch)!;
    const measured = (epoch: number) => final.measures.find((r) => r.epoch === epoch)!;
    const m = siteRun.phases.memorised;
    expect(siteRun.memorised.trainLoss).toBe(at(m).train_loss);
    expect(siteRun.memorised.restrictedLoss).toBe(measured(m).restricted_loss);
    expect(siteRun.memorised.excludedLoss).toBe(measured(m).excluded_loss);
    // What the text claims of them: train and excluded low, restricted high.
    expect(siteRun.memorised.trainLoss).toBeLessThan(0.1);
    expect(siteRun.memorised.excludedLoss).toBeLessThan(0.5);
    expect(siteRun.memorised.restrictedLoss).toBeGreaterThan(2);
    let peak = rows[0]!;
    for (const r of rows) if (r.sum_sq_weights > peak.sum_sq_weights) peak = r;
    expect([siteRun.sumSq.peak, siteRun.sumSq.peakEpoch]).toEqual([
      peak.sum_sq_weights,
      peak.epoch,
    ]);
    // It climbs in memorisation and falls in both later phases.
    expect(peak.epoch).toBeLessThanOrEqual(4 * m);
    expect(siteRun.sumSq.cleanupStart).toBeLessThan(siteRun.sumSq.peak);
    expect(siteRun.sumSq.cleanedUp).toBeLessThan(siteRun.sumSq.cleanupStart);
    const passes = final.measures.find((r) => r.epoch > m && r.excluded_loss > 1)!;
    expect(siteRun.excludedPassesOne).toEqual({
      epoch: passes.epoch,
      testLoss: at(passes.epoch).test_loss,
    });
    expect(siteRun.testBelowOne).toBe(rows.find((r) => r.epoch > m && r.test_loss < 1)!.epoch);
    expect(siteRun.excludedPassesOne.epoch).toBeLessThan(siteRun.testBelowOne);
  });

  it('the key frequencies the lessons name are the manifest’s and the re-measurement’s', () => {
    expect(siteModel.keyFreqs).toEqual(manifest.metrics.key_freqs);
    expect(siteModel.keyFreqs).toEqual(final.key_freqs);
  });

  it('writes numbers as prose does', () => {
    expect(prose(4.3317)).toBe('4.3');
    expect(prose(3368.4)).toBe('3,400');
    expect(prose(3.8e-6)).toBe('3.8 × 10⁻⁶');
    expect(prose(0.019)).toBe('0.019');
  });
});

describe("lesson 2's sharpness experiment", () => {
  it('does what the lesson says it does', () => {
    const s = sharpnessExperiment();
    expect(s.addsAll).toBe(true);
    // Gradients vanish as k grows …
    expect(s.raw.many.gradient).toBeLessThan(s.raw.soft.gradient / 10);
    // … IG stays complete with enough steps, not with few, and not at all at the sharpest k.
    expect(s.raw.few.gap).toBeGreaterThan(0.01);
    expect(s.raw.many.gap).toBeLessThan(0.01);
    expect(s.raw.sharpest.gap).toBeGreaterThan(0.01);
  });
});

describe('the recorded division run (models/division)', () => {
  it('is the file its manifest hashes, trained as lesson 8 says, and it groks', () => {
    const text = readFileSync('models/division/history.json', 'utf8');
    const manifest = JSON.parse(readFileSync('models/division/manifest.json', 'utf8')) as {
      sha256: Record<string, string>;
      settings: { op: string; fraction: number; config: { p: number } };
    };
    expect(createHash('sha256').update(text).digest('hex')).toBe(manifest.sha256['history.json']);
    expect(manifest.settings).toMatchObject({ op: 'divide', fraction: 0.5, config: { p: 97 } });
    const rows = (JSON.parse(text) as { history: Row[] }).history;
    expect(recordedRuns.division.rows).toEqual(rows);
    const last = rows.at(-1)!;
    expect(last.test_accuracy).toBeGreaterThan(0.99);
    const { memorised, cleanedUp } = recordedRuns.division.phases;
    expect(memorised).toBe(rows.find((r) => r.train_accuracy >= 0.99)!.epoch);
    expect(cleanedUp).toBeGreaterThan(memorised!);
    // Grokking: the test accuracy is still low when the training set is memorised.
    expect(rows.find((r) => r.epoch === memorised)!.test_accuracy).toBeLessThan(0.5);
  });
});

describe("lesson 9's worked example", () => {
  it('gives the restricted and excluded losses that npm run cli -- analyze gives', () => {
    const w = workedExample();
    const cli = spawnSync(
      process.execPath,
      [
        'scripts/cli.ts',
        'analyze',
        'models/worked-example/model.safetensors',
        '--train-indices',
        'models/worked-example/split.json',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    expect(cli.status).toBe(0);
    const analysis = JSON.parse(cli.stdout) as {
      key_freqs: number[];
      restricted_loss: number;
      excluded_loss: number;
      full_loss: number;
    };
    expect(w.keyFreqs).toEqual(analysis.key_freqs);
    expect(w.restrictedLoss).toBeCloseTo(analysis.restricted_loss, 12);
    expect(w.excludedLoss).toBeCloseTo(analysis.excluded_loss, 10);
    expect(w.fullLoss).toBeCloseTo(analysis.full_loss, 10);
    // The one input written out: its rows add up as the lesson says.
    w.rows.logits.forEach((x, c) =>
      expect(w.rows.projected[c]! + w.rows.excluded[c]!).toBeCloseTo(x, 10),
    );
  });

  it('is the model its manifest hashes', () => {
    const manifest = JSON.parse(readFileSync('models/worked-example/manifest.json', 'utf8')) as {
      sha256: Record<string, string>;
    };
    for (const [file, hash] of Object.entries(manifest.sha256)) {
      const bytes = readFileSync(`models/worked-example/${file}`);
      expect(createHash('sha256').update(bytes).digest('hex'), file).toBe(hash);
    }
  });
});
