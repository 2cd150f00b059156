// The primitives of the progress measures (docs/measures.md), in float64; progress.ts assembles them.
import { fourier1d, fourier2d, fourierBasis, frequencyNorms } from './fourier.ts';
import { matmul } from './matmul.ts';
import { paramNames, type Params } from './params.ts';
import type { FloatArray } from './tensor.ts';

/**
 * Mean cross-entropy (natural log) and accuracy of logits [p², p] over the inputs `indices`. Each
 * term is log(sum exp(x − max)) − (x_label − max): the max is subtracted before anything is added,
 * so that huge logits keep their differences (max + log(sum) − x_label would round to 0 for equal
 * logits of 1e20, where the loss is log p).
 */
export function lossAndAccuracy(
  logits: ArrayLike<number>,
  p: number,
  labels: Int32Array,
  indices: readonly number[],
): { loss: number; accuracy: number } {
  if (indices.length === 0) {
    throw new Error('There are no inputs to measure the loss over (an empty set of inputs).');
  }
  let loss = 0;
  let correct = 0;
  for (const i of indices) {
    let max = -Infinity;
    let argmax = 0;
    for (let c = 0; c < p; c++) {
      const v = logits[i * p + c]!;
      if (v > max) [max, argmax] = [v, c];
    }
    let sum = 0;
    for (let c = 0; c < p; c++) sum += Math.exp(logits[i * p + c]! - max);
    loss += Math.log(sum) - (logits[i * p + labels[i]!]! - max);
    if (argmax === labels[i]) correct++;
  }
  return { loss: loss / indices.length, accuracy: correct / indices.length };
}

export interface NeuronFrequencies {
  /** Frequencies k with at least max(3, ⌊d_mlp/100⌋) neurons, ascending. */
  keyFreqs: number[];
  /** Each neuron's frequency k, or 0 when no frequency explains more than 85% of it. */
  neuronFreq: Int32Array;
  /** Each neuron's largest fraction f_k. */
  neuronFraction: Float64Array;
  /** Each neuron's frequency of largest f_k, however small (0 for a neuron that never varies). */
  neuronBestFreq: Int32Array;
}

/** Key frequencies from MLP activations after ReLU at the last position, [p², d_mlp]. */
export function keyFrequencies(mlpPost: FloatArray, p: number, dMlp: number): NeuronFrequencies {
  const F = fourierBasis(p);
  const G = fourier2d(F, Float64Array.from(mlpPost), p, dMlp);
  const at = (ka: number, kb: number, m: number) => G[(ka * p + kb) * dMlp + m]!;
  const half = (p - 1) / 2;
  const neuronFreq = new Int32Array(dMlp);
  const neuronFraction = new Float64Array(dMlp);
  const neuronBestFreq = new Int32Array(dMlp);
  for (let m = 0; m < dMlp; m++) {
    let total = 0;
    for (let r = 0; r < p * p; r++) total += G[r * dMlp + m]! ** 2;
    const g00 = at(0, 0, m) ** 2;
    let best = 0;
    let bestK = 0;
    for (let k = 1; k <= half; k++) {
      let s = 0;
      for (const i of [0, 2 * k - 1, 2 * k])
        for (const j of [0, 2 * k - 1, 2 * k]) s += at(i, j, m) ** 2;
      const f = total - g00 > 0 ? (s - g00) / (total - g00) : 0;
      if (f > best) [best, bestK] = [f, k];
    }
    neuronFraction[m] = best;
    neuronBestFreq[m] = bestK;
    neuronFreq[m] = best > 0.85 ? bestK : 0;
  }
  const threshold = Math.max(3, Math.floor(dMlp / 100));
  const counts = new Map<number, number>();
  for (const k of neuronFreq) if (k > 0) counts.set(k, (counts.get(k) ?? 0) + 1);
  const keyFreqs = [...counts].filter(([, n]) => n >= threshold).map(([k]) => k);
  return { keyFreqs: keyFreqs.sort((x, y) => x - y), neuronFreq, neuronFraction, neuronBestFreq };
}

/** Unit vectors ĉ_k, ŝ_k = cos, sin(w_k(a+b)) over the p² inputs, for each k in `freqs`. */
export function keyDirections(p: number, freqs: readonly number[]): Float64Array[] {
  const directions: Float64Array[] = [];
  for (const k of freqs) {
    for (const trig of [Math.cos, Math.sin]) {
      const v = new Float64Array(p * p);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) v[a * p + b] = trig((2 * Math.PI * k * (a + b)) / p);
      }
      let norm = 0;
      for (const x of v) norm += x * x;
      norm = Math.sqrt(norm);
      directions.push(v.map((x) => x / norm));
    }
  }
  return directions;
}

/** ΠL: the projection of logits L [p², p] onto the span of the (orthonormal) directions. */
export function project(L: ArrayLike<number>, p: number, directions: Float64Array[]): Float64Array {
  const out = new Float64Array(p * p * p);
  for (const v of directions) {
    const coef = new Float64Array(p);
    for (let i = 0; i < p * p; i++) for (let c = 0; c < p; c++) coef[c]! += v[i]! * L[i * p + c]!;
    for (let i = 0; i < p * p; i++) for (let c = 0; c < p; c++) out[i * p + c]! += v[i]! * coef[c]!;
  }
  return out;
}

/** Loss over all p² inputs of L_r = ΠL + mean over inputs of (L − ΠL). */
export function restrictedLoss(
  L: ArrayLike<number>,
  p: number,
  labels: Int32Array,
  keyFreqs: readonly number[],
): number {
  const PL = project(L, p, keyDirections(p, keyFreqs));
  const mean = new Float64Array(p);
  for (let i = 0; i < p * p; i++)
    for (let c = 0; c < p; c++) mean[c]! += (L[i * p + c]! - PL[i * p + c]!) / (p * p);
  const Lr = PL.map((x, ic) => x + mean[ic % p]!);
  return lossAndAccuracy(
    Lr,
    p,
    labels,
    Array.from({ length: p * p }, (_, i) => i),
  ).loss;
}

/** Loss over the training inputs of L_e = L − ΠL (the key frequencies removed from the logits). */
export function excludedLoss(
  L: ArrayLike<number>,
  p: number,
  labels: Int32Array,
  train: readonly number[],
  keyFreqs: readonly number[],
): number {
  const PL = project(L, p, keyDirections(p, keyFreqs));
  const Le = PL.map((x, ic) => L[ic]! - x);
  return lossAndAccuracy(Le, p, labels, train).loss;
}

/** Gini coefficient of non-negative x: Σᵢ (2i − N − 1) xᵢ / (N Σ x), x sorted ascending. */
export function gini(x: ArrayLike<number>): number {
  const sorted = Array.from(x).sort((u, v) => u - v);
  const N = sorted.length;
  const total = sorted.reduce((s, v) => s + v, 0);
  if (total === 0) return 0;
  return sorted.reduce((s, v, i) => s + (2 * (i + 1) - N - 1) * v, 0) / (N * total);
}

/** Norms per frequency of the number tokens' embeddings, F W_E[0:p]; [⌊p/2⌋]. */
export function embeddingFrequencyNorms(params: Params, p: number): Float64Array {
  const D = params['embed.W_E'].shape[1]!;
  const WE = Float64Array.from(params['embed.W_E'].data.subarray(0, p * D));
  return frequencyNorms(fourier1d(fourierBasis(p), WE, p, D), p, D);
}

/** Norms per frequency of W_L = W_out W_U [d_mlp, p] along its output axis (F W_Lᵀ); [⌊p/2⌋]. */
export function logitMapFrequencyNorms(params: Params, p: number): Float64Array {
  const [M, D] = params['blocks.0.mlp.W_out'].shape as [number, number];
  const WL = matmul(
    Float64Array.from(params['blocks.0.mlp.W_out'].data),
    Float64Array.from(params['unembed.W_U'].data),
    M,
    D,
    p,
  );
  const WLt = new Float64Array(p * M);
  for (let m = 0; m < M; m++) for (let c = 0; c < p; c++) WLt[c * M + m] = WL[m * p + c]!;
  return frequencyNorms(fourier1d(fourierBasis(p), WLt, p, M), p, M);
}

/** Σ w² over every parameter. */
export function sumSquaredWeights(params: Params): number {
  let s = 0;
  for (const name of paramNames) for (const w of params[name].data) s += w * w;
  return s;
}
