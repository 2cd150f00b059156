// The one measures module: what it computes for addition against the primitives, the one rule for
// other operations, the per-frequency and spectrum extras, and the test split it derives.
import { describe, expect, it } from 'vitest';
import { makeDataset, splitDataset, testIndices } from '../../lib/modarith/data.ts';
import {
  embeddingFrequencyNorms,
  excludedLoss,
  lossAndAccuracy,
  restrictedLoss,
} from '../../lib/modarith/measures.ts';
import { initParams } from '../../lib/modarith/params.ts';
import { progressMeasures } from '../../lib/modarith/progress.ts';

const p = 23;
/** Logits α cos(2πw(x − c)/p) for an answer x of each input: right, with margin, for every input. */
function clockLogits(answer: (a: number, b: number) => number, w = 5, alpha = 4): Float64Array {
  return Float64Array.from({ length: p * p * p }, (_, ic) => {
    const [i, c] = [Math.floor(ic / p), ic % p];
    return alpha * Math.cos((2 * Math.PI * w * (answer(Math.floor(i / p), i % p) - c)) / p);
  });
}

describe('progressMeasures', () => {
  const data = makeDataset('add', p);
  const { train, test } = splitDataset(data, 0.3, 1);
  const logits = clockLogits((a, b) => a + b);

  it('assembles the primitives for a + b, with the split and the weights', () => {
    const params = initParams({ p, d_model: 8, n_heads: 2, d_head: 4, d_mlp: 16 }, 3);
    const m = progressMeasures({
      p,
      op: 'add',
      logits,
      keyFreqs: [5, 7],
      params,
      train,
      perFrequency: true,
      embeddingNorms: true,
    });
    expect(m.accuracy).toBe(1);
    expect(m.test_loss).toBe(lossAndAccuracy(logits, p, data.labels, test).loss);
    expect(m.restricted_loss).toBe(restrictedLoss(logits, p, data.labels, [5, 7]));
    expect(m.excluded_loss).toBe(excludedLoss(logits, p, data.labels, train, [5, 7]));
    expect(m.excluded_loss_per_freq).toEqual([
      excludedLoss(logits, p, data.labels, train, [5]),
      excludedLoss(logits, p, data.labels, train, [7]),
    ]);
    expect(m.embedding_norms).toEqual(Array.from(embeddingFrequencyNorms(params, p)));
    expect(m.sum_sq_weights).toBeGreaterThan(0);
  });

  it('measures only what it was given', () => {
    const m = progressMeasures({ p, op: 'add', logits, keyFreqs: [5] });
    expect(Object.keys(m).sort()).toEqual(
      ['accuracy', 'full_loss', 'key_freqs', 'restricted_loss'].sort(),
    );
    expect(() => progressMeasures({ p, op: 'add', logits })).toThrow(/key frequencies need/);
    expect(() => progressMeasures({ p, op: 'add', logits, keyFreqs: [12] })).toThrow(
      'Key frequency 12 is outside 1…11.',
    );
  });

  it('one rule for a − b and a ÷ b: labels of the operation, no restricted or excluded loss', () => {
    for (const [op, answer] of [
      ['subtract', (a: number, b: number) => a - b],
      ['divide', (a: number, b: number) => (a * modInverseBrute(b)) % p],
    ] as const) {
      const split = splitDataset(makeDataset(op, p), 0.5, 2);
      const m = progressMeasures({
        p,
        op,
        logits: clockLogits(answer),
        keyFreqs: [5],
        train: split.train,
      });
      expect(m.accuracy, op).toBe(1);
      expect(m.test_accuracy, op).toBe(1);
      expect(m.restricted_loss, op).toBeNull();
      expect(m.excluded_loss, op).toBeNull();
    }
  });

  it('derives the test split as every defined input outside the training split', () => {
    const division = makeDataset('divide', p);
    const split = splitDataset(division, 0.4, 9);
    expect(testIndices(division, split.train)).toEqual(split.test);
    const all = [...split.train, ...split.test].sort((x, y) => x - y);
    expect(all).toEqual(division.indices); // b = 0 is in neither
  });
});

/** b⁻¹ mod p by search, independent of the library's Fermat inverse. */
function modInverseBrute(b: number): number {
  for (let x = 1; x < p; x++) if ((b * x) % p === 1) return x;
  return 0; // b = 0: division is undefined there and the input is left out
}
