// What the lessons show of the shipped model at build time, read from its committed artifacts
// (models/paper), so that no number about it is typed into prose.
import { readFileSync } from 'node:fs';
import { makeDataset } from '../lib/modarith/data.ts';
import { allInputs, forward } from '../lib/modarith/forward.ts';
import { fourier1d, fourierBasis, frequencyNorms } from '../lib/modarith/fourier.ts';
import {
  embeddingFrequencyNorms,
  gini,
  keyFrequencies,
  lossAndAccuracy,
} from '../lib/modarith/measures.ts';
import { gaussian } from '../lib/modarith/params.ts';
import { copyParams } from '../lib/train/snapshots.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';
import type { DivisionSpectrum } from '../lib/modarith/division-spectrum.ts';
import { withFinalMeasures, type HistoryRow, type RunMeasures } from '../lib/train/metrics.ts';
import { runMilestones, type Milestones } from '../lib/train/milestones.ts';
import { detectPhases } from '../lib/train/phases.ts';

const dir = 'models/paper';
const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as {
  settings: { fraction: number; weightDecay: number };
  metrics: {
    key_freqs: number[];
    accuracy: number;
    full_loss: number;
    train_loss: number;
    restricted_loss: number;
    excluded_loss: number;
  };
};
const model = loadModel(new Uint8Array(readFileSync(`${dir}/model.safetensors`)));

/** The seed of the random matrix whose Gini coefficient is lesson 9's noise floor */
export const noiseFloorSeed = 0;

/** Gini of the frequency norms of a standard normal matrix [p, d] in the Fourier basis over its rows. */
function randomEmbeddingGini(p: number, d: number, seed: number): number {
  const normal = gaussian(seed);
  const W = Float64Array.from({ length: p * d }, () => normal());
  return gini(frequencyNorms(fourier1d(fourierBasis(p), W, p, d), p, d));
}

const embeddingNorms = Array.from(embeddingFrequencyNorms(model.params, model.config.p));

/** The shipped model's embedding spectrum and key frequencies. */
export const siteModel = {
  p: model.config.p,
  keyFreqs: manifest.metrics.key_freqs,
  /** Norms of W_E's Fourier components, frequencies 1…(p−1)/2 */
  embeddingNorms,
  /**
   * Gini coefficients over the (p−1)/2 frequency norms of W_E: the shipped model's; that of a
   * random normal matrix of W_E's shape (the noise floor, seed `noiseFloorSeed`); and that of an
   * embedding with equal norms on the key frequencies and none elsewhere, 1 − |K|/N (the ceiling).
   */
  embeddingGini: {
    frequencies: embeddingNorms.length,
    shipped: gini(embeddingNorms),
    random: randomEmbeddingGini(model.config.p, model.config.d_model, noiseFloorSeed),
    keyOnly: 1 - manifest.metrics.key_freqs.length / embeddingNorms.length,
  },
};

const history = (
  JSON.parse(readFileSync(`${dir}/history.json`, 'utf8')) as { history: HistoryRow[] }
).history;
const finalMeasures = JSON.parse(readFileSync(`${dir}/measures.json`, 'utf8')) as RunMeasures;
const remeasured = finalMeasures.measures;

/** The recorded run's rows after `epoch` where `test` first holds. */
function firstAfter<T extends { epoch: number }>(
  rows: T[],
  epoch: number,
  test: (row: T) => boolean,
) {
  const found = rows.find((row) => row.epoch > epoch && test(row));
  if (!found)
    throw new Error('site-model: the recorded run never reaches a point the lessons describe.');
  return found;
}

const phases = detectPhases(history);
if (
  phases.memorised === undefined ||
  phases.cleanupStart === undefined ||
  phases.cleanedUp === undefined
) {
  throw new Error('site-model: the recorded run does not show all three phases.');
}
const row = (epoch: number) => history.find((r) => r.epoch === epoch)!;
const measured = (epoch: number) => remeasured.find((r) => r.epoch === epoch)!;
const heaviest = history.reduce((a, b) => (b.sum_sq_weights > a.sum_sq_weights ? b : a));
/** Where the excluded loss (final key frequencies) is lowest after memorisation */
const excludedLow = remeasured
  .filter((r) => r.epoch >= phases.memorised!)
  .reduce((a, b) => (b.excluded_loss < a.excluded_loss ? b : a));
const excludedPassesOne = firstAfter(remeasured, phases.memorised, (r) => r.excluded_loss > 1);
const milestones = runMilestones(history, remeasured);

/**
 * Facts of the shipped model's recorded run that lesson 9 states, each worked out from
 * models/paper/history.json and measures.json (the restricted and excluded losses measured with
 * the final key frequencies, as the paper measures them), never typed.
 */
export const siteRun = {
  finalEpoch: history.at(-1)!.epoch,
  /** Epochs between the recorded measurements */
  measuredEvery: history[1]!.epoch - history[0]!.epoch,
  phases: phases as Required<typeof phases>,
  /** At the end of memorisation: the train loss is tiny, the restricted loss is not */
  memorised: {
    trainLoss: row(phases.memorised).train_loss,
    testLoss: row(phases.memorised).test_loss,
    restrictedLoss: measured(phases.memorised).restricted_loss,
    excludedLoss: measured(phases.memorised).excluded_loss,
  },
  /** The weight norm: its peak, and its value as each later phase begins and ends */
  sumSq: {
    start: history[0]!.sum_sq_weights,
    peak: heaviest.sum_sq_weights,
    peakEpoch: heaviest.epoch,
    cleanupStart: row(phases.cleanupStart).sum_sq_weights,
    cleanedUp: row(phases.cleanedUp).sum_sq_weights,
  },
  excludedPassesOne: {
    epoch: excludedPassesOne.epoch,
    testLoss: row(excludedPassesOne.epoch).test_loss,
  },
  testBelowOne: firstAfter(history, phases.memorised, (r) => r.test_loss < 1).epoch,
  restrictedBelowOne: firstAfter(remeasured, phases.memorised, (r) => r.restricted_loss < 1).epoch,
  /** Test and train loss at the last epoch */
  final: { trainLoss: history.at(-1)!.train_loss, testLoss: history.at(-1)!.test_loss },
  /** The Gini coefficients of W_E's and W_L's Fourier norms at memorisation, at each boundary, at the end */
  gini: Object.fromEntries(
    (['memorised', 'cleanupStart', 'cleanedUp'] as const).map((k) => [
      k,
      { W_E: row(phases[k]!).gini_W_E, W_L: row(phases[k]!).gini_W_L },
    ]),
  ) as Record<'memorised' | 'cleanupStart' | 'cleanedUp', { W_E: number; W_L: number }>,
  /** The embedding's Gini coefficient at initialisation (epoch 0), beside lesson 9's noise floor */
  giniAtStart: history[0]!.gini_W_E,
  /** The test loss at memorisation's end, its highest after, and when */
  testPeak: (() => {
    const after = history.filter((r) => r.epoch >= phases.memorised!);
    const peak = after.reduce((a, b) => (b.test_loss > a.test_loss ? b : a));
    return { loss: peak.test_loss, epoch: peak.epoch };
  })(),
  milestones,
  /** Where the excluded loss (final key frequencies) is lowest after memorisation */
  excludedLowest: { epoch: excludedLow.epoch, loss: excludedLow.excluded_loss },
  /** How fast Σw² falls, per 1,000 epochs, in circuit formation and in clean-up */
  sumSqFall: {
    formation:
      (1000 * (row(phases.memorised).sum_sq_weights - row(phases.cleanupStart).sum_sq_weights)) /
      (phases.cleanupStart - phases.memorised),
    cleanup:
      (1000 * (row(phases.cleanupStart).sum_sq_weights - row(phases.cleanedUp).sum_sq_weights)) /
      (phases.cleanedUp - phases.cleanupStart),
  },
  /**
   * The steepest fall of Σw² between two evaluations after memorisation, per 1,000 epochs, and the
   * phase it lies in: the averages over a phase can hide where it falls fastest.
   */
  sumSqSteepest: (() => {
    let best = { epoch: 0, fall: -Infinity };
    for (let i = 1; i < history.length; i++) {
      const [before, after] = [history[i - 1]!, history[i]!];
      if (before.epoch < phases.memorised || after.epoch > phases.cleanedUp) continue;
      const fall =
        (1000 * (before.sum_sq_weights - after.sum_sq_weights)) / (after.epoch - before.epoch);
      if (fall > best.fall) best = { epoch: after.epoch, fall };
    }
    const phase = best.epoch <= phases.cleanupStart ? 'circuit formation' : 'clean-up';
    return { ...best, phase };
  })(),
  finalSumSq: history.at(-1)!.sum_sq_weights,
  /** The first evaluation at which the live detector found any key frequency */
  firstLiveKeyFreqs: history.find((r) => r.key_freqs.length > 0)!.epoch,
  /** Test accuracy at memorisation and as clean-up starts */
  testAccuracy: {
    memorised: row(phases.memorised).test_accuracy,
    cleanupStart: row(phases.cleanupStart).test_accuracy,
    cleanedUp: row(phases.cleanedUp).test_accuracy,
  },
  /** Train loss as clean-up starts */
  trainLossAtCleanup: row(phases.cleanupStart).train_loss,
  /** The restricted loss where the excluded loss is lowest, where the paper's memorisation ends */
  restrictedAtExcludedLowest: excludedLow.restricted_loss,
  /** Slingshot spikes after memorisation (train loss up 10× between evaluations) */
  spikes: milestones.spikes.length,
};

const superscript = (digits: string) =>
  [...digits].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)] ?? (d === '-' ? '⁻' : d)).join('');

/** A measure as prose writes it: two significant digits, "3.8 × 10⁻⁶" when small. */
export function prose(x: number): string {
  if (x === 0 || Math.abs(x) >= 0.01) return Number(x.toPrecision(2)).toLocaleString('en');
  const [mantissa, exponent] = x.toExponential(1).split('e');
  return `${mantissa} × 10${superscript(String(Number(exponent)))}`;
}

/** An epoch as prose writes it: 17,600. */
export const epochs = (epoch: number) => epoch.toLocaleString('en');

/** The embedding's strongest frequencies outside the key ones, strongest first (norm ≥ 25% of the
 *  weakest key frequency's): what the spectrum shows beside them. */
const weakestKey = Math.min(...siteModel.keyFreqs.map((k) => siteModel.embeddingNorms[k - 1]!));
const extraFreqs = siteModel.embeddingNorms
  .map((norm, i) => ({ k: i + 1, norm }))
  .filter(({ k, norm }) => !siteModel.keyFreqs.includes(k) && norm >= 0.25 * weakestKey)
  .sort((x, y) => y.norm - x.norm)
  .map(({ k }) => k);

/**
 * The site's model over all p² inputs with frequency k taken out of the numbers' embeddings (its
 * cos and sin components of W_E[0:p] set to 0): the loss and accuracy, in float64.
 */
function withoutEmbeddingFrequency(k: number): { loss: number; accuracy: number } {
  const { p, d_model: D } = model.config;
  const F = fourierBasis(p);
  const params = copyParams(model.params);
  const WE = params['embed.W_E'].data;
  for (const row of [2 * k - 1, 2 * k]) {
    for (let d = 0; d < D; d++) {
      let c = 0;
      for (let x = 0; x < p; x++) c += F[row * p + x]! * WE[x * D + d]!;
      for (let x = 0; x < p; x++) WE[x * D + d] = WE[x * D + d]! - c * F[row * p + x]!;
    }
  }
  const inputs = allInputs(p);
  const { labels, indices } = makeDataset('add', p);
  const { logits } = forward(params, model.config, inputs, 'float64');
  return lossAndAccuracy(logits, p, labels, indices);
}
let withoutExtra:
  { k: number; harmonicOf: number | undefined; loss: number; accuracy: number }[] | undefined;

let census:
  | {
      singleFrequency: number;
      neurons: number;
      /** Neurons that specialise in each of `extraFreqs`, in its order */
      extraNeurons: number[];
      /** How many specialised neurons make a frequency key (lib/modarith/measures.ts) */
      keyThreshold: number;
      /** Each neuron's frequency, 0 where none holds 85% of its variance */
      neuronFreq: number[];
      /** The key frequencies by the authors' notebook's rule: every neuron's best, however small */
      bestFreqs: number[];
    }
  | undefined;

/**
 * What lesson 6 states of the shipped model, from its manifest and its weights. The neuron census
 * runs the float64 forward pass on all p² inputs once per build (a few seconds).
 */
export const siteFacts = {
  p: model.config.p,
  inputs: model.config.p ** 2,
  dModel: model.config.d_model,
  heads: model.config.n_heads,
  dMlp: model.config.d_mlp,
  fraction: manifest.settings.fraction,
  weightDecay: manifest.settings.weightDecay,
  accuracy: manifest.metrics.accuracy,
  fullLoss: manifest.metrics.full_loss,
  trainLoss: manifest.metrics.train_loss,
  restrictedLoss: manifest.metrics.restricted_loss,
  excludedLoss: manifest.metrics.excluded_loss,
  chanceLoss: Math.log(model.config.p),
  extraFreqs,
  /** The model without each of `extraFreqs` in its embedding: loss and accuracy over all inputs */
  withoutExtraFreqs() {
    const { p } = model.config;
    // A frequency k is the second harmonic of k' when 2k' ≡ ±k (mod p): the product of two waves
    // of frequency k' holds one of frequency 2k'.
    const harmonicOf = (k: number) =>
      siteModel.keyFreqs.find((kk) => (2 * kk) % p === k || (2 * kk) % p === p - k);
    withoutExtra ??= extraFreqs.map((k) => ({
      k,
      harmonicOf: harmonicOf(k),
      ...withoutEmbeddingFrequency(k),
    }));
    return withoutExtra;
  },
  /** How many MLP neurons have more than 85% of their variance on one frequency */
  neuronCensus() {
    if (!census) {
      const { p, d_mlp } = model.config;
      const out = forward(model.params, model.config, allInputs(p), 'float64');
      const { neuronFreq, neuronBestFreq } = keyFrequencies(out.hooks.mlp_post, p, d_mlp);
      census = {
        bestFreqs: [...new Set(neuronBestFreq)].filter((k) => k > 0).sort((a, b) => a - b),
        singleFrequency: neuronFreq.filter((k) => k > 0).length,
        neurons: d_mlp,
        extraNeurons: extraFreqs.map((k) => neuronFreq.filter((f) => f === k).length),
        keyThreshold: Math.max(3, Math.floor(d_mlp / 100)),
        /** Each neuron's frequency (0 where none holds 85% of its variance) */
        neuronFreq: Array.from(neuronFreq),
      };
    }
    return census;
  },
};

const division = JSON.parse(readFileSync('models/division/history.json', 'utf8')) as {
  settings: { config: { p: number }; fraction: number; op: string };
  history: HistoryRow[];
};

const naive = JSON.parse(readFileSync('models/paper-naive/history.json', 'utf8')) as {
  settings: { loss?: string };
  history: HistoryRow[];
};
if (naive.settings.loss !== 'naive')
  throw new Error('site-model: models/paper-naive is not naive.');
const naiveMilestones: Milestones = runMilestones(naive.history, naive.history);
const divisionRows = division.history;
const divisionPhases = detectPhases(divisionRows);
const generalisedAt = (rows: HistoryRow[]) => rows.find((r) => r.test_accuracy >= 0.99)?.epoch;
/** The first evaluation of the naive run at 99% test accuracy */
const naiveGeneralised = generalisedAt(naive.history)!;

/** The recorded runs lesson 8 plots side by side: the shipped model's, a division run, and the
 *  paper's configuration trained with the naive float32 loss. */
export const recordedRuns = {
  addition: {
    rows: history,
    /** With the restricted and excluded losses of the final key frequencies */
    measured: withFinalMeasures(history, finalMeasures),
    phases: phases as Required<typeof phases>,
    generalised: generalisedAt(history)!,
  },
  naive: {
    /** Its restricted and excluded losses are those of its final key frequencies already */
    rows: naive.history,
    milestones: naiveMilestones,
    phases: detectPhases(naive.history),
    generalised: naiveGeneralised,
    /** The largest jump of the train loss between two evaluations after memorisation */
    largestJump: Math.max(
      ...naive.history.flatMap((r, i) =>
        i > 0 && r.epoch > naiveMilestones.memorised!
          ? [r.train_loss / naive.history[i - 1]!.train_loss]
          : [],
      ),
    ),
    /** The test loss's lowest over the run */
    lowestTestLoss: Math.min(...naive.history.map((r) => r.test_loss)),
    /** The smallest of the spikes' jumps (the train loss over the evaluation before) */
    smallestSpike: Math.min(
      ...naiveMilestones.spikes.map((epoch) => {
        const i = naive.history.findIndex((r) => r.epoch === epoch);
        return naive.history[i]!.train_loss / naive.history[i - 1]!.train_loss;
      }),
    ),
    /** At each spike, whether the test loss fell or rose from the evaluation before, split by
     *  whether the run had reached 99% test accuracy */
    spikeTestLoss: (() => {
      const generalised = naiveGeneralised;
      const tally = { before: { fell: 0, rose: 0 }, after: { fell: 0, rose: 0 } };
      for (const epoch of naiveMilestones.spikes) {
        const i = naive.history.findIndex((r) => r.epoch === epoch);
        const side = epoch < generalised ? tally.before : tally.after;
        if (naive.history[i]!.test_loss < naive.history[i - 1]!.test_loss) side.fell++;
        else side.rose++;
      }
      return tally;
    })(),
    /** How often Σw² rose between two evaluations after memorisation, weight decay 1 and all */
    sumSqRises: naive.history.filter(
      (r, i) =>
        i > 0 &&
        r.epoch > naiveMilestones.memorised! &&
        r.sum_sq_weights > naive.history[i - 1]!.sum_sq_weights,
    ).length,
    measuredEvery: naive.history[1]!.epoch - naive.history[0]!.epoch,
    finalEpoch: naive.history.at(-1)!.epoch,
  },
  division: {
    rows: division.history,
    p: division.settings.config.p,
    fraction: division.settings.fraction,
    phases: divisionPhases,
    generalised: generalisedAt(divisionRows)!,
    /** The test loss over the train loss at the end of the run */
    finalRatio: divisionRows.at(-1)!.test_loss / divisionRows.at(-1)!.train_loss,
    finalEpoch: divisionRows.at(-1)!.epoch,
  },
};

const quickGrok = JSON.parse(readFileSync('models/quick-grok-sweep.json', 'utf8')) as {
  runs: {
    seed: number;
    memorised: number;
    restrictedBelowOne: number;
    testBelowOne: number;
    mirror: { test: number; mirrored: number; unmirrored: number; mirroredShare: number };
  }[];
};
/** Quick grok's sweep (scripts/quick-grok-sweep.ts): seeds 0–2 of the preset. */
export const quickGrokRuns = quickGrok.runs;

const spread = JSON.parse(readFileSync('models/seed-spread.json', 'utf8')) as {
  runs: (Milestones & { seed: number; epochs: number; keyFreqs: number[] })[];
};
/** The paper's configuration from several seeds (scripts/seed-spread.ts), seed order. */
export const seedSpread = {
  runs: spread.runs,
  epochs: spread.runs[0]!.epochs,
  /** Seeds whose test loss fell below 1 within the runs, and those whose did not */
  grokked: spread.runs.filter((r) => r.testBelowOne !== null),
  notGrokked: spread.runs.filter((r) => r.testBelowOne === null),
  /** The clean-up starts found, in order, and how many runs had none */
  cleanupStarts: spread.runs
    .flatMap((r) => (r.cleanupStart === null ? [] : [r.cleanupStart]))
    .sort((a, b) => a - b),
  noCleanup: spread.runs.filter((r) => r.cleanupStart === null).length,
  memorisedBy: Math.max(...spread.runs.map((r) => r.memorised ?? Infinity)),
  /** Whether every run's restricted loss fell below 1, and before its test loss did */
  restrictedFirst: spread.runs.every(
    (r) =>
      r.restrictedBelowOne !== null &&
      (r.testBelowOne === null || r.restrictedBelowOne < r.testBelowOne),
  ),
};

const noDecayFile = JSON.parse(readFileSync('models/no-decay-runs.json', 'utf8')) as {
  epochs: number;
  runs: {
    seed: number;
    memorised: number | null;
    atMemorised: { testAccuracy: number; testLoss: number } | null;
    bestTestAccuracy: number;
    lowestTestLoss: number;
    final: { epoch: number; testAccuracy: number; testLoss: number };
  }[];
};
/** The lab's No weight decay preset on seeds 0–2 (scripts/no-decay-runs.ts). */
export const noDecayRuns = {
  epochs: noDecayFile.epochs,
  runs: noDecayFile.runs,
  /** Whether on every seed the test loss at the end is above its value at memorisation */
  testLossRises: noDecayFile.runs.every(
    (r) => r.atMemorised !== null && r.final.testLoss > r.atMemorised.testLoss,
  ),
  bestTestAccuracy: Math.max(...noDecayFile.runs.map((r) => r.bestTestAccuracy)),
  atMemorised: noDecayFile.runs.map((r) => r.atMemorised?.testLoss ?? NaN),
  final: noDecayFile.runs.map((r) => r.final.testLoss),
};

/**
 * The division model's embedding by discrete-log exponent and by token, and its key frequencies
 * over the exponents (models/division/spectrum.json, written by scripts/division-spectrum.ts).
 */
export const divisionSpectrum = JSON.parse(
  readFileSync('models/division/spectrum.json', 'utf8'),
) as DivisionSpectrum;
