// lib/modarith's pieces on their own: data, split, initialisation, Fourier basis, measures on
// logits built by hand, and safetensors errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paperConfig } from '../../lib/modarith/config.ts';
import { answer, makeDataset, modInverse, splitDataset } from '../../lib/modarith/data.ts';
import {
  basisLabel,
  fourier2d,
  fourierBasis,
  frequencyNorms,
  gridSpectrum,
  spectrumForDisplay,
  topComponents,
} from '../../lib/modarith/fourier.ts';
import { allInputs, forward } from '../../lib/modarith/forward.ts';
import { matmul } from '../../lib/modarith/matmul.ts';
import {
  excludedLoss,
  gini,
  keyFrequencies,
  lossAndAccuracy,
  restrictedLoss,
} from '../../lib/modarith/measures.ts';
import { initParams, paramNames, paramShapes } from '../../lib/modarith/params.ts';
import { loadModel, readSafetensors, saveModel } from '../../lib/modarith/safetensors.ts';

describe('dataset', () => {
  it('answers a op b mod p, skipping division by zero', () => {
    expect(answer('add', 100, 20, 113)).toBe(7);
    expect(answer('subtract', 3, 5, 7)).toBe(5);
    expect(answer('divide', 3, 0, 7)).toBeUndefined();
    for (let b = 1; b < 97; b++) expect((b * modInverse(b, 97)) % 97).toBe(1);
    expect(makeDataset('add', 113).indices).toHaveLength(12_769);
    const division = makeDataset('divide', 97);
    expect(division.indices).toHaveLength(97 * 96);
    expect(division.labels[5 * 97 + 0]).toBe(-1);
    expect((division.labels[5 * 97 + 3]! * 3) % 97).toBe(5);
  });

  it('splits reproducibly by seed, training indices ascending', () => {
    const data = makeDataset('add', 113);
    const { train, test } = splitDataset(data, 0.3, 42);
    expect(train).toHaveLength(Math.floor(0.3 * 12_769));
    expect(train.length + test.length).toBe(12_769);
    expect(train).toEqual([...train].sort((x, y) => x - y));
    expect(new Set([...train, ...test]).size).toBe(12_769);
    expect(splitDataset(data, 0.3, 42).train).toEqual(train);
    expect(splitDataset(data, 0.3, 43).train).not.toEqual(train);
    expect(() => splitDataset(data, 1.5, 0)).toThrow(/between 0 and 1/);
  });
});

describe('initialisation', () => {
  it('draws the paper’s scales, deterministically by seed', () => {
    const params = initParams(paperConfig, 7);
    const shapes = paramShapes(paperConfig);
    for (const name of paramNames) expect(params[name].shape, name).toEqual(shapes[name]);
    const std = (x: ArrayLike<number>) =>
      Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0) / x.length);
    expect(std(params['embed.W_E'].data) * Math.sqrt(128)).toBeCloseTo(1, 1);
    // transformers.py: W_U /√d_vocab (114, with '='), W_out /√d_model like every other weight.
    expect(std(params['unembed.W_U'].data) * Math.sqrt(114)).toBeCloseTo(1, 1);
    expect(std(params['blocks.0.mlp.W_out'].data) * Math.sqrt(128)).toBeCloseTo(1, 1);
    expect(params['blocks.0.mlp.b_in'].data.every((v) => v === 0)).toBe(true);
    expect(initParams(paperConfig, 7)['embed.W_E'].data).toEqual(params['embed.W_E'].data);
  });

  it('runs all 12,769 inputs of the paper’s model with finite logits', () => {
    const { logits, hooks } = forward(initParams(paperConfig, 0), paperConfig, allInputs(113));
    expect(logits).toHaveLength(12_769 * 113);
    expect(logits.every(Number.isFinite)).toBe(true);
    // Each attention row is a distribution over the three positions.
    for (let r = 0; r < 20; r++) {
      const row = hooks.attn_pattern.subarray(3 * r, 3 * r + 3);
      expect(row[0]! + row[1]! + row[2]!).toBeCloseTo(1, 6);
    }
  });
});

describe('Fourier basis', () => {
  it.each([5, 53, 113])('is orthonormal for p = %i', (p) => {
    const F = fourierBasis(p);
    const Ft = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) Ft[j * p + i] = F[i * p + j]!;
    const I = matmul(F, Ft, p, p, p);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++)
        expect(Math.abs(I[i * p + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    }
  });

  it('puts a pure cosine of frequency k into rows 2k−1 and 2k only', () => {
    const p = 13;
    const x = Float64Array.from(
      { length: p },
      (_, a) => 3 * Math.cos((2 * Math.PI * 4 * a) / p + 0.7),
    );
    const norms = frequencyNorms(matmul(fourierBasis(p), x, p, p, 1), p, 1);
    expect(norms[3]).toBeCloseTo(3 * Math.sqrt(p / 2), 10);
    norms.forEach((n, j) => j !== 3 && expect(n).toBeLessThan(1e-12));
    expect(() => fourierBasis(12)).toThrow(/odd modulus/);
  });

  it('transforms a grid in 2D as F A Fᵀ', () => {
    const p = 7;
    const A = Float64Array.from({ length: p * p }, (_, i) => Math.sin(i) + (i % 3));
    const F = fourierBasis(p);
    const Ft = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) Ft[j * p + i] = F[i * p + j]!;
    const expected = matmul(matmul(F, A, p, p, p), Ft, p, p, p);
    const G = fourier2d(F, A, p, 1);
    G.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 12));
  });
});

describe('measures on logits built by hand', () => {
  const p = 23;
  const w = 5;
  const data = makeDataset('add', p);
  const alpha = 4;
  /** L[i, c] = α cos(2πw(a + b − c)/p) */
  const cosineLogits = Float64Array.from({ length: p * p * p }, (_, ic) => {
    const [i, c] = [Math.floor(ic / p), ic % p];
    const [a, b] = [Math.floor(i / p), i % p];
    return alpha * Math.cos((2 * Math.PI * w * (a + b - c)) / p);
  });

  it('a model whose logits are α·cos(w(a+b−c)) loses nothing when restricted to w', () => {
    const full = lossAndAccuracy(cosineLogits, p, data.labels, data.indices);
    expect(full.accuracy).toBe(1);
    expect(restrictedLoss(cosineLogits, p, data.labels, [w])).toBeCloseTo(full.loss, 10);
    // Without w nothing is left: every logit is the same, the loss is log p.
    const excluded = excludedLoss(cosineLogits, p, data.labels, data.indices, [w]);
    expect(excluded).toBeCloseTo(Math.log(p), 10);
    // Restricting to another frequency throws the answer away.
    expect(restrictedLoss(cosineLogits, p, data.labels, [w + 1])).toBeCloseTo(Math.log(p), 10);
  });

  it('finds w as the key frequency of neurons that compute cos(w(a+b)+φ)', () => {
    const M = 6;
    const acts = new Float64Array(p * p * M);
    for (let i = 0; i < p * p; i++) {
      const s = Math.floor(i / p) + (i % p);
      for (let m = 0; m < M; m++) acts[i * M + m] = 1 + Math.cos((2 * Math.PI * w * s) / p + m);
    }
    const found = keyFrequencies(acts, p, M);
    expect(found.keyFreqs).toEqual([w]);
    expect(Array.from(found.neuronFreq)).toEqual(new Array(M).fill(w));
    found.neuronFraction.forEach((f) => expect(f).toBeCloseTo(1, 10));
  });

  it("gives every neuron its best frequency, as the authors' notebook does, but tunes it only above 85%", () => {
    // Each neuron mixes cos(w₁(a+b)) and cos(w₂(a+b)) with variance shares 0.7 and 0.3 (closed
    // form: the two cosines are orthogonal over the p² inputs with equal norms), so frequency w₁
    // explains 70% of it: its best frequency, and not enough to count it as tuned.
    const [p, M, w1, w2] = [13, 4, 3, 5];
    const acts = new Float64Array(p * p * M);
    for (let i = 0; i < p * p; i++) {
      const s = Math.floor(i / p) + (i % p);
      for (let m = 0; m < M; m++) {
        acts[i * M + m] =
          Math.sqrt(0.7) * Math.cos((2 * Math.PI * w1 * s) / p + m) +
          Math.sqrt(0.3) * Math.cos((2 * Math.PI * w2 * s) / p);
      }
    }
    const found = keyFrequencies(acts, p, M);
    expect(Array.from(found.neuronBestFreq)).toEqual(new Array(M).fill(w1));
    found.neuronFraction.forEach((f) => expect(f).toBeCloseTo(0.7, 10));
    expect(Array.from(found.neuronFreq)).toEqual(new Array(M).fill(0));
    expect(found.keyFreqs).toEqual([]);
  });

  it('computes the Gini coefficient: 0 when equal, (N−1)/N when one holds everything', () => {
    expect(gini([2, 2, 2, 2])).toBeCloseTo(0, 15);
    expect(gini([0, 0, 0, 5])).toBeCloseTo(3 / 4, 15);
    expect(gini([1, 2, 3])).toBeCloseTo((-2 * 1 + 0 * 2 + 2 * 3) / (3 * 6), 15);
  });
});

describe('safetensors', () => {
  const file = new Uint8Array(readFileSync('tests/fixtures/modarith/generalised.safetensors'));

  it('round-trips a model, keeping metadata', () => {
    const params = initParams({ p: 11, d_model: 8, n_heads: 2, d_head: 4, d_mlp: 16 }, 3);
    const again = loadModel(saveModel(params, { op: 'add', epoch: '5' }));
    expect(again.config).toEqual({ p: 11, d_model: 8, n_heads: 2, d_head: 4, d_mlp: 16 });
    expect(again.metadata).toEqual({ op: 'add', epoch: '5' });
    for (const name of paramNames) expect(again.params[name].data, name).toEqual(params[name].data);
  });

  it('ignores TransformerLens buffers and takes missing biases as zero', () => {
    const raw = readSafetensors(file);
    expect(raw.tensors.has('blocks.0.attn.mask')).toBe(true);
    expect(raw.tensors.has('blocks.0.attn.b_Q')).toBe(false);
    const model = loadModel(file);
    expect(model.params['blocks.0.attn.b_Q'].data.every((v) => v === 0)).toBe(true);
    expect(model.params['unembed.b_U'].shape).toEqual([53]);
  });

  /** The fixture with its header rewritten by `edit`. */
  function withHeader(edit: (header: Record<string, { dtype: string; shape: number[] }>) => void) {
    const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n)));
    edit(header);
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + json.length + file.length - 8 - n);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    out.set(file.subarray(8 + n), 8 + json.length);
    return out;
  }

  it.each([
    [file.subarray(0, 5), /truncated: 5 bytes/],
    [file.subarray(0, 200), /truncated: its header claims/],
    [file.subarray(0, file.length - 100), /truncated: tensor .* ends at byte/],
    [new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 123, 125, 9]), /embed.W_E must be present/],
    [new Uint8Array([3, 0, 0, 0, 0, 0, 0, 0, 110, 111, 33]), /not valid JSON/],
  ])('rejects a broken file with a message (%#)', (bytes, message) => {
    expect(() => loadModel(bytes)).toThrow(message);
  });

  it('names a tensor of the wrong dtype or shape, or a missing one', () => {
    const ints = withHeader((h) => (h['blocks.0.mlp.W_in']!.dtype = 'I32'));
    expect(() => loadModel(ints)).toThrow(
      'Tensor blocks.0.mlp.W_in is I32; expected F32 (float32).',
    );
    const halves = withHeader((h) => (h['blocks.0.mlp.W_in']!.dtype = 'F16'));
    expect(() => loadModel(halves)).toThrow(
      'Tensor blocks.0.mlp.W_in: shape [32, 128] of F16 does not match its 16384 bytes.',
    );
    const reshaped = withHeader((h) => (h['blocks.0.mlp.W_out']!.shape = [32, 128]));
    expect(() => loadModel(reshaped)).toThrow(
      'Tensor blocks.0.mlp.W_out has shape [32, 128]; expected [128, 32].',
    );
    const missing = withHeader((h) => delete h['unembed.W_U']);
    expect(() => loadModel(missing)).toThrow(
      'Tensor unembed.W_U is missing; expected shape [32, 53].',
    );
  });
});

describe('the Fourier picture of a grid', () => {
  it('sets the constant apart and ranks the components that carry the wave', () => {
    const p = 23;
    const w = 4;
    // 3 + cos(w(a + b)) = 3 + cos(wa)cos(wb) − sin(wa)sin(wb): two cells besides the constant.
    const grid = Float64Array.from({ length: p * p }, (_, i) => {
      const [a, b] = [Math.floor(i / p), i % p];
      return 3 + Math.cos((2 * Math.PI * w * (a + b)) / p);
    });
    const { magnitudes } = gridSpectrum(fourierBasis(p), grid, p);
    const { shown, constant } = spectrumForDisplay(magnitudes);
    expect(constant).toBeCloseTo(3 * p, 9); // 3 · √p · √p
    expect(shown[0]).toBe(0);
    expect(Math.max(...shown)).toBeCloseTo(p / 2, 9);
    const top = topComponents(magnitudes, p, 3);
    expect(top.slice(0, 2).map((c) => [basisLabel(c.ka), basisLabel(c.kb)])).toEqual([
      ['cos 4', 'cos 4'],
      ['sin 4', 'sin 4'],
    ]);
    expect(top[2]!.magnitude).toBeLessThan(1e-9);
  });
});

describe('lossAndAccuracy on huge logits', () => {
  const p = 7;
  const { labels, indices } = makeDataset('add', p);

  /** The textbook cross-entropy in float64 of logits small enough that nothing cancels. */
  function reference(small: Float64Array): number {
    let total = 0;
    for (const i of indices) {
      let sum = 0;
      for (let c = 0; c < p; c++) sum += Math.exp(small[i * p + c]!);
      total += Math.log(sum) - small[i * p + labels[i]!]!;
    }
    return total / indices.length;
  }

  it('gives log p for equal logits of 1e20, not 0', () => {
    const logits = new Float64Array(p * p * p).fill(1e20);
    expect(lossAndAccuracy(logits, p, labels, indices).loss).toBeCloseTo(Math.log(p), 14);
  });

  it('matches the loss of the same logits without their offset of 2^40', () => {
    // Eighths are exact next to 2^40 (its spacing is 2^-12): the offset changes no difference,
    // so the loss must be the unshifted one's; max + log(sum) − logit was off by about 1e-4.
    const small = Float64Array.from({ length: p * p * p }, (_, j) => ((j * 37) % 41) / 8 - 2);
    const shifted = small.map((x) => x + 2 ** 40);
    const loss = lossAndAccuracy(shifted, p, labels, indices).loss;
    expect(Math.abs(loss - reference(small))).toBeLessThan(1e-12);
  });

  it('refuses an empty set of inputs instead of giving NaN', () => {
    expect(() => lossAndAccuracy(new Float64Array(p * p * p), p, labels, [])).toThrow(
      'There are no inputs to measure the loss over',
    );
  });
});
