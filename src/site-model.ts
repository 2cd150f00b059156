// What the lessons show of the shipped model at build time, read from its committed artifacts
// (models/paper), so that no number about it is typed into prose.
import { readFileSync } from 'node:fs';
import { allInputs, forward } from '../lib/modarith/forward.ts';
import { embeddingFrequencyNorms, keyFrequencies } from '../lib/modarith/measures.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';
import type { HistoryRow } from '../lib/train/metrics.ts';
import { detectPhases } from '../lib/train/phases.ts';

const dir = 'models/paper';
const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as {
  settings: { fraction: number; weightDecay: number };
  metrics: {
    key_freqs: number[];
    accuracy: number;
    full_loss: number;
    restricted_loss: number;
    excluded_loss: number;
  };
};
const model = loadModel(new Uint8Array(readFileSync(`${dir}/model.safetensors`)));

/** The shipped model's embedding spectrum and key frequencies. */
export const siteModel = {
  p: model.config.p,
  keyFreqs: manifest.metrics.key_freqs,
  /** Norms of W_E's Fourier components, frequencies 1…(p−1)/2 */
  embeddingNorms: Array.from(embeddingFrequencyNorms(model.params, model.config.p)),
};

const history = (
  JSON.parse(readFileSync(`${dir}/history.json`, 'utf8')) as { history: HistoryRow[] }
).history;
const remeasured = (
  JSON.parse(readFileSync(`${dir}/measures.json`, 'utf8')) as {
    measures: { epoch: number; restricted_loss: number; excluded_loss: number }[];
  }
).measures;

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
const excludedPassesOne = firstAfter(remeasured, phases.memorised, (r) => r.excluded_loss > 1);

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

let census:
  | {
      singleFrequency: number;
      neurons: number;
      /** Neurons that specialise in each of `extraFreqs`, in its order */
      extraNeurons: number[];
      /** How many specialised neurons make a frequency key (lib/modarith/measures.ts) */
      keyThreshold: number;
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
  restrictedLoss: manifest.metrics.restricted_loss,
  excludedLoss: manifest.metrics.excluded_loss,
  chanceLoss: Math.log(model.config.p),
  extraFreqs,
  /** How many MLP neurons have more than 85% of their variance on one frequency */
  neuronCensus() {
    if (!census) {
      const { p, d_mlp } = model.config;
      const out = forward(model.params, model.config, allInputs(p), 'float64');
      const { neuronFreq } = keyFrequencies(out.hooks.mlp_post, p, d_mlp);
      census = {
        singleFrequency: neuronFreq.filter((k) => k > 0).length,
        neurons: d_mlp,
        extraNeurons: extraFreqs.map((k) => neuronFreq.filter((f) => f === k).length),
        keyThreshold: Math.max(3, Math.floor(d_mlp / 100)),
      };
    }
    return census;
  },
};

const division = JSON.parse(readFileSync('models/division/history.json', 'utf8')) as {
  settings: { config: { p: number }; fraction: number; op: string };
  history: HistoryRow[];
};

/** The recorded runs lesson 8 plots side by side: the shipped model's, and a division run. */
export const recordedRuns = {
  addition: { rows: history, phases: phases as Required<typeof phases> },
  division: {
    rows: division.history,
    p: division.settings.config.p,
    fraction: division.settings.fraction,
    phases: detectPhases(division.history),
  },
};
