// What the lessons show of the shipped model at build time, read from its committed artifacts
// (models/paper), so that no number about it is typed into prose.
import { readFileSync } from 'node:fs';
import { embeddingFrequencyNorms } from '../lib/modarith/measures.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';
import type { HistoryRow } from '../lib/train/metrics.ts';
import { detectPhases } from '../lib/train/phases.ts';

const dir = 'models/paper';
const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as {
  metrics: { key_freqs: number[] };
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
