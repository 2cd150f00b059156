// What the lessons say of the shipped model's recorded run (src/site-model.ts, rendered into
// lesson 9) against the committed artifacts, worked out again here with plain loops: a retrained
// model cannot leave the prose behind.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HistoryRow } from '../../lib/train/metrics.ts';
import { describe, expect, it } from 'vitest';
import { sharpnessExperiment, workedExample } from '../../src/lesson-facts.ts';
import { holdFor } from '../../lib/train/phases.ts';
import { labPresets } from '../../lib/train/presets.ts';
import { gaussian } from '../../lib/modarith/params.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import { allInputs, forward } from '../../lib/modarith/forward.ts';
import {
  noDecayRuns,
  noiseFloorSeed,
  prose,
  quickGrokRuns,
  recordedRuns,
  seedSpread,
  siteFacts,
  siteModel,
  siteRun,
} from '../../src/site-model.ts';

/** The recorded fields a history row is checked on */
type Row = Pick<
  HistoryRow,
  'epoch' | 'train_loss' | 'test_loss' | 'train_accuracy' | 'test_accuracy' | 'sum_sq_weights'
>;
const rows = (JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as { history: Row[] })
  .history;
const final = JSON.parse(readFileSync('models/paper/measures.json', 'utf8')) as {
  key_freqs: number[];
  measures: { epoch: number; restricted_loss: number; excluded_loss: number }[];
};
const manifest = JSON.parse(readFileSync('models/paper/manifest.json', 'utf8')) as {
  metrics: { key_freqs: number[] };
};

/** Gini coefficient as half the relative mean absolute difference, Σᵢ Σⱼ |xᵢ − xⱼ| / (2 N² mean). */
function naiveGini(x: number[]): number {
  let pairs = 0;
  for (const u of x) for (const v of x) pairs += Math.abs(u - v);
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  return pairs / (2 * x.length ** 2 * mean);
}

/** Norm of frequency k = 1…(p−1)/2 of W [p, d] over its rows, from cos and sin sums written out. */
function naiveFrequencyNorms(W: ArrayLike<number>, p: number, d: number): number[] {
  const norms: number[] = [];
  for (let k = 1; k <= (p - 1) / 2; k++) {
    let sq = 0;
    for (let j = 0; j < d; j++) {
      let c = 0;
      let s = 0;
      for (let x = 0; x < p; x++) {
        c += W[x * d + j]! * Math.cos((2 * Math.PI * k * x) / p);
        s += W[x * d + j]! * Math.sin((2 * Math.PI * k * x) / p);
      }
      // cos and sin over Z_p each have squared norm p/2.
      sq += (2 / p) * (c * c + s * s);
    }
    norms.push(Math.sqrt(sq));
  }
  return norms;
}

describe("lesson 9's Gini noise floor", () => {
  const { params, config } = loadModel(
    new Uint8Array(readFileSync('models/paper/model.safetensors')),
  );
  const { p, d_model: d } = config;
  const g = siteModel.embeddingGini;

  it("the shipped embedding's Gini over its frequency norms, against the naive formula", () => {
    const norms = naiveFrequencyNorms(params['embed.W_E'].data.subarray(0, p * d), p, d);
    expect(g.frequencies).toBe((p - 1) / 2);
    expect(g.shipped).toBeCloseTo(naiveGini(norms), 9);
    // The run's last measured norms (four decimals) give the same value.
    const last = (
      JSON.parse(readFileSync('models/paper/measures.json', 'utf8')) as {
        measures: { epoch: number; embedding_norms: number[] }[];
      }
    ).measures.at(-1)!;
    expect(last.epoch).toBe(siteRun.finalEpoch);
    expect(naiveGini(last.embedding_norms)).toBeCloseTo(g.shipped, 3);
  });

  it("a random normal matrix of W_E's shape: above 0, far below the shipped model", () => {
    const normal = gaussian(noiseFloorSeed);
    const W = Array.from({ length: p * d }, () => normal());
    const floor = naiveGini(naiveFrequencyNorms(W, p, d));
    expect(g.random).toBeCloseTo(floor, 9);
    expect(floor).toBeGreaterThan(0.005);
    // Another seed lands near the same floor: it is a property of the shape, not of one draw.
    const other = gaussian(noiseFloorSeed + 1);
    const W2 = Array.from({ length: p * d }, () => other());
    expect(Math.abs(naiveGini(naiveFrequencyNorms(W2, p, d)) - floor)).toBeLessThan(0.02);
    // The recorded run starts on the floor: its initial embedding is random normal too.
    const first = (
      JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as {
        history: { epoch: number; gini_W_E: number }[];
      }
    ).history[0]!;
    expect(first.epoch).toBe(0);
    expect(siteRun.giniAtStart).toBe(first.gini_W_E);
    expect(Math.abs(first.gini_W_E - floor)).toBeLessThan(0.01);
    // Lesson 9 orders them: floor, memorisation, shipped, key-only ceiling.
    expect(floor).toBeLessThan(siteRun.gini.memorised.W_E);
    expect(g.shipped).toBeLessThan(g.keyOnly);
  });

  it('the ceiling: equal norms on the key frequencies alone', () => {
    const ideal = Array.from({ length: g.frequencies }, (_, i) =>
      siteModel.keyFreqs.includes(i + 1) ? 1 : 0,
    );
    expect(g.keyOnly).toBeCloseTo(naiveGini(ideal), 12);
  });
});

describe("the recorded run's facts in lesson 9", () => {
  it('phases by the rules lesson 9 states, each holding at the next evaluations too', () => {
    // Plain loops: the first row from which a rule holds for it and the next `held` rows.
    const held = 4;
    const holds = (from: number, rule: (k: number) => boolean) => {
      for (let j = from; j + held < rows.length; j++) {
        let all = true;
        for (let k = j; k <= j + held; k++) all &&= rule(k);
        if (all) return j;
      }
      return -1;
    };
    const i = holds(0, (k) => rows[k]!.train_accuracy >= 0.99);
    const highest = (k: number) => Math.max(...rows.slice(i, k + 1).map((r) => r.test_loss));
    const lowestTrain = (k: number) => Math.min(...rows.slice(i, k + 1).map((r) => r.train_loss));
    const j = holds(i + 1, (k) => rows[k]!.test_loss < highest(k) / 4);
    const l = holds(
      j + 1,
      (k) => rows[k]!.test_accuracy >= 0.99 && rows[k]!.test_loss <= 20 * lowestTrain(k),
    );
    expect(Math.min(i, j, l)).toBeGreaterThanOrEqual(0);
    expect(holdFor).toBe(held);
    expect(siteRun.phases).toEqual({
      memorised: rows[i]!.epoch,
      cleanupStart: rows[j]!.epoch,
      cleanedUp: rows[l]!.epoch,
    });
    expect(siteRun.finalEpoch).toBe(rows[rows.length - 1]!.epoch);
    // Measured at even steps, the step lesson 9 names.
    const steps = new Set(rows.slice(1).map((r, k) => r.epoch - rows[k]!.epoch));
    expect([...steps]).toEqual([siteRun.measuredEvery]);
  });

  it('has no slingshot spike: the train loss never jumps 10× between evaluations after memorisation', () => {
    const m = siteRun.phases.memorised;
    let largest = 0;
    for (let k = 1; k < rows.length; k++)
      if (rows[k]!.epoch > m)
        largest = Math.max(largest, rows[k]!.train_loss / rows[k - 1]!.train_loss);
    expect(largest).toBeLessThan(10);
    expect(siteRun.spikes).toBe(0);
    expect(siteRun.final).toEqual({
      trainLoss: rows.at(-1)!.train_loss,
      testLoss: rows.at(-1)!.test_loss,
    });
    // Lesson 9: at the end the test loss is near the train loss.
    expect(siteRun.final.testLoss).toBeLessThan(20 * siteRun.final.trainLoss);
  });

  it('what lesson 9 says of each phase: Gini coefficients, the test loss peak, the excluded loss low, the fall of Σw²', () => {
    const at = (epoch: number) =>
      rows.find((r) => r.epoch === epoch)! as Row & {
        gini_W_E: number;
        gini_W_L: number;
      };
    const { memorised: m, cleanupStart: c, cleanedUp: u } = siteRun.phases;
    for (const [k, e] of [
      ['memorised', m],
      ['cleanupStart', c],
      ['cleanedUp', u],
    ] as const)
      expect(siteRun.gini[k]).toEqual({ W_E: at(e).gini_W_E, W_L: at(e).gini_W_L });
    // They climb in circuit formation and fastest in clean-up.
    for (const w of ['W_E', 'W_L'] as const) {
      const formation = (siteRun.gini.cleanupStart[w] - siteRun.gini.memorised[w]) / (c - m);
      const cleanup = (siteRun.gini.cleanedUp[w] - siteRun.gini.cleanupStart[w]) / (u - c);
      expect(formation).toBeGreaterThan(0);
      expect(cleanup).toBeGreaterThan(formation);
    }
    // The test loss climbs after memorisation, then declines slowly before clean-up while the
    // test accuracy stays low.
    let peak = rows.find((r) => r.epoch === m)!;
    for (const r of rows) if (r.epoch >= m && r.test_loss > peak.test_loss) peak = r;
    expect(siteRun.testPeak).toEqual({ loss: peak.test_loss, epoch: peak.epoch });
    expect(peak.test_loss).toBeGreaterThan(at(m).test_loss);
    expect(at(c).test_loss).toBeLessThan(peak.test_loss);
    expect(at(c).test_accuracy).toBeLessThan(0.5);
    // The excluded loss: lowest after memorisation, then rising past 1 before clean-up.
    let low = final.measures.find((r) => r.epoch === m)!;
    for (const r of final.measures)
      if (r.epoch >= m && r.excluded_loss < low.excluded_loss) low = r;
    expect(siteRun.excludedLowest).toEqual({ epoch: low.epoch, loss: low.excluded_loss });
    expect(low.epoch).toBeLessThan(siteRun.excludedPassesOne.epoch);
    expect(siteRun.excludedPassesOne.epoch).toBeLessThan(c);
    // Σw² per thousand epochs in each phase, and then it levels off.
    expect(siteRun.sumSqFall.formation).toBeCloseTo(
      (1000 * (at(m).sum_sq_weights - at(c).sum_sq_weights)) / (c - m),
      9,
    );
    expect(siteRun.sumSqFall.cleanup).toBeCloseTo(
      (1000 * (at(c).sum_sq_weights - at(u).sum_sq_weights)) / (u - c),
      9,
    );
    expect(siteRun.finalSumSq).toBe(rows.at(-1)!.sum_sq_weights);
    const afterwards =
      (1000 * (at(u).sum_sq_weights - siteRun.finalSumSq)) / (siteRun.finalEpoch - u);
    expect(afterwards).toBeLessThan(siteRun.sumSqFall.cleanup / 4);
    // The restricted loss falls below 1 before the test loss does.
    const restricted = final.measures.find((r) => r.epoch > m && r.restricted_loss < 1)!;
    expect(siteRun.restrictedBelowOne).toBe(restricted.epoch);
    expect(restricted.epoch).toBeLessThan(siteRun.testBelowOne);
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

  it('the rest of what lesson 9 quotes of the phases: live key frequencies, test accuracy, train loss', () => {
    const at = (epoch: number) => rows.find((r) => r.epoch === epoch)!;
    const { memorised: m, cleanupStart: c, cleanedUp: u } = siteRun.phases;
    const live = (
      JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as {
        history: { epoch: number; key_freqs: number[] }[];
      }
    ).history;
    expect(siteRun.firstLiveKeyFreqs).toBe(live.find((r) => r.key_freqs.length > 0)!.epoch);
    expect(siteRun.testAccuracy).toEqual({
      memorised: at(m).test_accuracy,
      cleanupStart: at(c).test_accuracy,
      cleanedUp: at(u).test_accuracy,
    });
    expect(siteRun.trainLossAtCleanup).toBe(at(c).train_loss);
    // "keeps falling on the log scale": lower as clean-up starts than at memorisation.
    expect(siteRun.trainLossAtCleanup).toBeLessThan(siteRun.memorised.trainLoss / 100);
    const low = final.measures.find((r) => r.epoch === siteRun.excludedLowest.epoch)!;
    expect(siteRun.restrictedAtExcludedLowest).toBe(low.restricted_loss);
    expect(low.restricted_loss).toBeLessThan(siteRun.memorised.restrictedLoss);
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
    const { memorised } = recordedRuns.division.phases;
    expect(memorised).toBe(rows.find((r) => r.train_accuracy >= 0.99)!.epoch);
    // Grokking: the test accuracy is still low when the training set is memorised, and reaches
    // 99% thousands of epochs later.
    expect(rows.find((r) => r.epoch === memorised)!.test_accuracy).toBeLessThan(0.5);
    const generalised = rows.find((r) => r.test_accuracy >= 0.99)!.epoch;
    expect(recordedRuns.division.generalised).toBe(generalised);
    expect(generalised).toBeGreaterThan(10 * memorised!);
    expect(recordedRuns.division.finalRatio).toBe(last.test_loss / last.train_loss);
    expect(recordedRuns.division.finalEpoch).toBe(last.epoch);
  });
});

describe('the naive float32 run lesson 8 sets beside it (models/paper-naive)', () => {
  it('is the paper configuration with the naive loss, and spikes where the exact run does not', () => {
    const naive = JSON.parse(readFileSync('models/paper-naive/history.json', 'utf8')) as {
      settings: { loss: string; seed: number; config: { p: number }; fraction: number };
      history: Row[];
    };
    const paper = JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as {
      settings: { seed: number; config: object; fraction: number; lr: number };
    };
    expect(naive.settings.loss).toBe('naive');
    expect(naive.settings).toMatchObject({
      seed: paper.settings.seed,
      config: paper.settings.config,
      fraction: paper.settings.fraction,
      lr: paper.settings.lr,
    });
    const h = naive.history;
    const m = h.find((r) => r.train_accuracy >= 0.99)!.epoch;
    const spikes: number[] = [];
    let largest = 0;
    for (let k = 1; k < h.length; k++) {
      if (h[k]!.epoch <= m) continue;
      const jump = h[k]!.train_loss / h[k - 1]!.train_loss;
      largest = Math.max(largest, jump);
      if (jump >= 10) spikes.push(h[k]!.epoch);
    }
    expect(recordedRuns.naive.milestones.spikes).toEqual(spikes);
    expect(spikes.length).toBeGreaterThan(3);
    expect(recordedRuns.naive.largestJump).toBe(largest);
    expect(largest).toBeGreaterThan(100);
    expect(recordedRuns.naive.lowestTestLoss).toBe(Math.min(...h.map((r) => r.test_loss)));
    // What lesson 8 says: it generalises, but its test loss stays far above the exact run's.
    expect(recordedRuns.naive.generalised).toBe(h.find((r) => r.test_accuracy >= 0.99)!.epoch);
    expect(recordedRuns.naive.lowestTestLoss).toBeGreaterThan(100 * siteRun.final.testLoss);
    expect(recordedRuns.naive.finalEpoch).toBe(h.at(-1)!.epoch);
    // The spikes' smallest jump, and what the test loss does at each, before and after 99%.
    const jumpAt = (epoch: number) => {
      const k = h.findIndex((r) => r.epoch === epoch);
      return {
        jump: h[k]!.train_loss / h[k - 1]!.train_loss,
        fell: h[k]!.test_loss < h[k - 1]!.test_loss,
      };
    };
    expect(recordedRuns.naive.smallestSpike).toBe(Math.min(...spikes.map((e) => jumpAt(e).jump)));
    const generalised = recordedRuns.naive.generalised;
    const tally = { before: { fell: 0, rose: 0 }, after: { fell: 0, rose: 0 } };
    for (const e of spikes)
      tally[e < generalised ? 'before' : 'after'][jumpAt(e).fell ? 'fell' : 'rose']++;
    expect(recordedRuns.naive.spikeTestLoss).toEqual(tally);
    let rises = 0;
    for (let k = 1; k < h.length; k++)
      if (h[k]!.epoch > m && h[k]!.sum_sq_weights > h[k - 1]!.sum_sq_weights) rises++;
    expect(recordedRuns.naive.sumSqRises).toBe(rises);
    expect(recordedRuns.naive.measuredEvery).toBe(h[1]!.epoch - h[0]!.epoch);
  });
});

describe("lesson 8's runs without weight decay (models/no-decay-runs.json)", () => {
  it('are the lab preset on seeds 0–2, and the test loss ends higher than at memorisation', () => {
    const file = JSON.parse(readFileSync('models/no-decay-runs.json', 'utf8')) as {
      settings: object;
      epochs: number;
      runs: {
        seed: number;
        atMemorised: { testLoss: number };
        bestTestAccuracy: number;
        final: { epoch: number; testLoss: number };
      }[];
    };
    expect(file.settings).toEqual(labPresets.noWeightDecay.settings);
    expect(file.epochs).toBe(labPresets.noWeightDecay.epochs);
    expect(file.runs.map((r) => r.seed)).toEqual([0, 1, 2]);
    expect(noDecayRuns.runs).toEqual(file.runs);
    expect(noDecayRuns.testLossRises).toBe(
      file.runs.every((r) => r.final.testLoss > r.atMemorised.testLoss),
    );
    expect(noDecayRuns.testLossRises).toBe(true);
    expect(noDecayRuns.bestTestAccuracy).toBe(
      Math.max(...file.runs.map((r) => r.bestTestAccuracy)),
    );
    // The quiz's answer: it stays high, and nothing like generalisation happens.
    expect(noDecayRuns.bestTestAccuracy).toBeLessThan(0.6);
    for (const r of file.runs) expect(r.final.epoch).toBe(file.epochs);
  });
});

describe("lesson 8's seed table and Quick grok numbers", () => {
  it('are the committed sweep files, and say what the lesson says of them', () => {
    const spread = JSON.parse(readFileSync('models/seed-spread.json', 'utf8')) as {
      runs: {
        seed: number;
        epochs: number;
        memorised: number | null;
        restrictedBelowOne: number | null;
        testBelowOne: number | null;
        cleanupStart: number | null;
        cleanedUp: number | null;
      }[];
    };
    expect(seedSpread.runs).toEqual(spread.runs);
    expect(spread.runs.length).toBeGreaterThanOrEqual(3);
    // Seed 0 is the course's run: the table's first row agrees with its milestones.
    const zero = spread.runs.find((r) => r.seed === 0)!;
    expect(zero).toMatchObject({
      memorised: siteRun.milestones.memorised,
      restrictedBelowOne: siteRun.milestones.restrictedBelowOne,
      testBelowOne: siteRun.milestones.testBelowOne,
      cleanupStart: siteRun.milestones.cleanupStart,
      cleanedUp: siteRun.milestones.cleanedUp,
    });
    expect(seedSpread.grokked.map((r) => r.seed)).toEqual(
      spread.runs.filter((r) => r.testBelowOne !== null).map((r) => r.seed),
    );
    expect(seedSpread.memorisedBy).toBe(Math.max(...spread.runs.map((r) => r.memorised!)));
    let first = true;
    for (const r of spread.runs)
      first &&=
        r.restrictedBelowOne !== null &&
        (r.testBelowOne === null || r.restrictedBelowOne < r.testBelowOne);
    expect(seedSpread.restrictedFirst).toBe(first);
    const starts = spread.runs.flatMap((r) => (r.cleanupStart === null ? [] : [r.cleanupStart]));
    expect(seedSpread.cleanupStarts).toEqual([...starts].sort((a, b) => a - b));

    const sweep = JSON.parse(readFileSync('models/quick-grok-sweep.json', 'utf8')) as {
      runs: { seed: number; memorised: number; restrictedBelowOne: number; testBelowOne: number }[];
    };
    expect(quickGrokRuns).toEqual(sweep.runs);
    expect(sweep.runs.map((r) => r.seed)).toEqual([0, 1, 2]);
    for (const r of sweep.runs) expect(r.restrictedBelowOne).toBeLessThan(r.testBelowOne);
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

  it('is a model that grokked, with key frequencies to project onto', () => {
    const rows = (
      JSON.parse(readFileSync('models/worked-example/history.json', 'utf8')) as { history: Row[] }
    ).history;
    expect(rows.at(-1)!.test_accuracy).toBe(1);
    const w = workedExample();
    expect(w.keyFreqs.length).toBeGreaterThan(0);
    // The rows the lesson writes out: the restricted row is ranked by its own values.
    const top = (row: number[]) => row.indexOf(Math.max(...row));
    expect(w.tops).toEqual({ restricted: top(w.rows.restricted), excluded: top(w.rows.excluded) });
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

describe('what the lessons claim of the shipped model, where a question depends on it', () => {
  const manifest = JSON.parse(readFileSync('models/paper/manifest.json', 'utf8')) as {
    metrics: { p: number; excluded_loss: number; train_loss: number };
  };
  it('lesson 9: after clean-up the excluded loss is at chance or above, far from the train loss', () => {
    const { p, excluded_loss, train_loss } = manifest.metrics;
    expect(excluded_loss).toBeGreaterThanOrEqual(0.9 * Math.log(p));
    expect(train_loss).toBeLessThan(1e-3 * excluded_loss);
  });
  it('lesson 9: the key frequencies by the authors’ rule (every neuron’s best) are the course’s', () => {
    // A tuned neuron's frequency is its best one, so the authors' set holds the course's; lesson 9
    // says they agree only when it holds nothing else (the closed-form case is in modarith-core).
    const census = siteFacts.neuronCensus();
    for (const k of siteModel.keyFreqs) expect(census.bestFreqs).toContain(k);
    for (const k of census.bestFreqs) expect(k >= 1 && k <= (siteFacts.p - 1) / 2).toBe(true);
    expect(census.bestFreqs).toEqual(siteModel.keyFreqs);
  });
});

describe("lesson 9's steepest fall of the sum of squared weights", () => {
  it('is the largest fall per thousand epochs between evaluations from memorisation to clean-up', () => {
    const { history } = JSON.parse(readFileSync('models/paper/history.json', 'utf8')) as {
      history: HistoryRow[];
    };
    const { memorised, cleanupStart, cleanedUp } = siteRun.phases;
    let [epoch, fall] = [0, -Infinity];
    for (let i = 1; i < history.length; i++) {
      const [a, b] = [history[i - 1]!, history[i]!];
      if (a.epoch < memorised || b.epoch > cleanedUp) continue;
      const f = ((a.sum_sq_weights - b.sum_sq_weights) * 1000) / (b.epoch - a.epoch);
      if (f > fall) [epoch, fall] = [b.epoch, f];
    }
    expect(siteRun.sumSqSteepest.epoch).toBe(epoch);
    expect(siteRun.sumSqSteepest.fall).toBeCloseTo(fall, 9);
    expect(siteRun.sumSqSteepest.phase).toBe(
      epoch <= cleanupStart ? 'circuit formation' : 'clean-up',
    );
  });
});

describe("lesson 6's weaker embedding frequency", () => {
  it('costs the loss lesson 6 says when taken out of the embedding, and is a harmonic as it says', () => {
    const model = loadModel(new Uint8Array(readFileSync('models/paper/model.safetensors')));
    const { p, d_model: D } = model.config;
    for (const { k, harmonicOf, loss, accuracy } of siteFacts.withoutExtraFreqs()) {
      // Taken out again another way: the unnormalised cos and sin of frequency k over the p
      // number tokens, each with norm² p/2, subtracted from every column of W_E[0:p].
      const WE = Float32Array.from(model.params['embed.W_E'].data);
      const waves = [Math.cos, Math.sin].map((f) =>
        Float64Array.from({ length: p }, (_, x) => f((2 * Math.PI * k * x) / p)),
      );
      const removed = new Float64Array(WE);
      for (const wave of waves) {
        for (let d = 0; d < D; d++) {
          let dot = 0;
          for (let x = 0; x < p; x++) dot += wave[x]! * WE[x * D + d]!;
          for (let x = 0; x < p; x++)
            removed[x * D + d] = removed[x * D + d]! - (dot / (p / 2)) * wave[x]!;
        }
      }
      const params = {
        ...model.params,
        'embed.W_E': { ...model.params['embed.W_E'], data: removed },
      };
      const { logits } = forward(params, model.config, allInputs(p), 'float64');
      let [total, right] = [0, 0];
      for (let i = 0; i < p * p; i++) {
        const row = Array.from(logits.subarray(i * p, (i + 1) * p));
        const answer = (Math.floor(i / p) + (i % p)) % p;
        const max = Math.max(...row);
        const logSum = max + Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0));
        total += logSum - row[answer]!;
        if (row.indexOf(max) === answer) right++;
      }
      expect(loss / (total / (p * p))).toBeCloseTo(1, 6);
      expect(accuracy).toBe(right / (p * p));
      expect(loss).toBeGreaterThan(100 * siteFacts.fullLoss); // "raises the loss"
      if (harmonicOf !== undefined) expect([k, p - k]).toContain((2 * harmonicOf) % p);
    }
  });
});
