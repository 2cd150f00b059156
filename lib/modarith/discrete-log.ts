// Division through the discrete logarithm: with a = gⁱ and b = gʲ for a generator g of (Z/pZ)*,
// a ÷ b = g^(i−j), so the tokens 1…p−1 reordered by exponent turn division into subtraction mod
// p − 1. This module finds g, reorders, and measures in the Fourier basis over Z/(p−1), in float64.
import { fourier2d } from './fourier.ts';
import { matmul } from './matmul.ts';
import type { FloatArray } from './tensor.ts';

function checkPrime(p: number): void {
  let prime = Number.isInteger(p) && p >= 3;
  for (let d = 2; prime && d * d <= p; d++) if (p % d === 0) prime = false;
  if (!prime) throw new Error(`The discrete logarithm needs an odd prime p, got ${p}.`);
}

/** The smallest generator g of (Z/pZ)*: g^((p−1)/q) ≠ 1 mod p for every prime q dividing p − 1. */
export function primitiveRoot(p: number): number {
  checkPrime(p);
  const primes: number[] = [];
  for (let n = p - 1, q = 2; n > 1; q++) {
    if (n % q === 0) primes.push(q);
    while (n % q === 0) n /= q;
  }
  const power = (g: number, e: number) => {
    let result = 1;
    for (let i = 0; i < e; i++) result = (result * g) % p;
    return result;
  };
  for (let g = 2; g < p; g++) if (primes.every((q) => power(g, (p - 1) / q) !== 1)) return g;
  throw new Error(`No generator found for p = ${p}.`);
}

/** The tokens in exponent order, gⁱ mod p for i = 0…p−2; [p−1]. */
export function exponentOrder(p: number, g: number): Int32Array {
  checkPrime(p);
  const tokens = new Int32Array(p - 1);
  let x = 1;
  for (let i = 0; i < p - 1; i++) {
    tokens[i] = x;
    x = (x * g) % p;
  }
  if (x !== 1 || new Set(tokens).size !== p - 1) {
    throw new Error(`${g} does not generate (Z/${p}Z)*: its powers miss some of 1…${p - 1}.`);
  }
  return tokens;
}

/**
 * The n×n orthonormal Fourier basis over Z/n (rows), for any n ≥ 2: row 0 constant, rows 2k−1 and
 * 2k cos and sin of 2πkx/n for k below n/2, and for even n a last row cos(πx), frequency n/2.
 */
export function cyclicBasis(n: number): Float64Array {
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`The basis needs n ≥ 2, got ${n}.`);
  const F = new Float64Array(n * n);
  const setRow = (row: number, f: (x: number) => number) => {
    let s = 0;
    for (let x = 0; x < n; x++) s += (F[row * n + x] = f(x)) ** 2;
    for (let x = 0; x < n; x++) F[row * n + x]! /= Math.sqrt(s);
  };
  setRow(0, () => 1);
  for (let k = 1; 2 * k < n; k++) {
    setRow(2 * k - 1, (x) => Math.cos((2 * Math.PI * k * x) / n));
    setRow(2 * k, (x) => Math.sin((2 * Math.PI * k * x) / n));
  }
  if (n % 2 === 0) setRow(n - 1, (x) => (x % 2 === 0 ? 1 : -1));
  return F;
}

/** The basis rows of frequency k over Z/n: [2k−1, 2k], or [n−1] for k = n/2. */
export function frequencyRows(n: number, k: number): number[] {
  return 2 * k === n ? [n - 1] : [2 * k - 1, 2 * k];
}

/**
 * Norms per frequency of the embeddings W_E [vocab, D] of `tokens` (in that order, one point of
 * Z/n each, n = tokens.length) in the basis over Z/n: entry k−1 is the norm of the rows of
 * frequency k of F X, k = 1…⌊n/2⌋.
 */
export function orderedFrequencyNorms(
  WE: ArrayLike<number>,
  D: number,
  tokens: ArrayLike<number>,
): Float64Array {
  const n = tokens.length;
  const X = new Float64Array(n * D);
  for (let x = 0; x < n; x++) for (let d = 0; d < D; d++) X[x * D + d] = WE[tokens[x]! * D + d]!;
  const C = matmul(cyclicBasis(n), X, n, n, D);
  const norms = new Float64Array(Math.floor(n / 2));
  for (let k = 1; k <= norms.length; k++) {
    let s = 0;
    for (const r of frequencyRows(n, k)) for (let d = 0; d < D; d++) s += C[r * D + d]! ** 2;
    norms[k - 1] = Math.sqrt(s);
  }
  return norms;
}

/** The tokens 1…p−1 in plain order, the comparison for `exponentOrder`; [p−1]. */
export function tokenOrder(p: number): Int32Array {
  return Int32Array.from({ length: p - 1 }, (_, i) => i + 1);
}

/**
 * Key frequencies over the exponents, the course's rule (docs/measures.md) on the grid of
 * exponents: each neuron's activations mlpPost [p², d_mlp] over the inputs (gⁱ, gʲ), i, j =
 * 0…p−2, in the 2D basis over Z/(p−1); a neuron's frequency is the k holding over 85% of its
 * non-constant variance, and k is key when at least max(3, ⌊d_mlp/100⌋) neurons have it.
 */
export function exponentKeyFrequencies(
  mlpPost: FloatArray,
  p: number,
  dMlp: number,
  g: number,
): { keyFreqs: number[]; neuronFreq: Int32Array } {
  const tokens = exponentOrder(p, g);
  const n = p - 1;
  const grid = new Float64Array(n * n * dMlp);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const input = tokens[i]! * p + tokens[j]!;
      for (let m = 0; m < dMlp; m++) grid[(i * n + j) * dMlp + m] = mlpPost[input * dMlp + m]!;
    }
  }
  const G = fourier2d(cyclicBasis(n), grid, n, dMlp);
  const neuronFreq = new Int32Array(dMlp);
  for (let m = 0; m < dMlp; m++) {
    let total = 0;
    for (let r = 0; r < n * n; r++) total += G[r * dMlp + m]! ** 2;
    const g00 = G[m]! ** 2;
    let best = 0;
    let bestK = 0;
    for (let k = 1; k <= n / 2; k++) {
      const rows = [0, ...frequencyRows(n, k)];
      let s = 0;
      for (const r of rows) for (const c of rows) s += G[(r * n + c) * dMlp + m]! ** 2;
      const f = total - g00 > 0 ? (s - g00) / (total - g00) : 0;
      if (f > best) [best, bestK] = [f, k];
    }
    neuronFreq[m] = best > 0.85 ? bestK : 0;
  }
  const threshold = Math.max(3, Math.floor(dMlp / 100));
  const counts = new Map<number, number>();
  for (const k of neuronFreq) if (k > 0) counts.set(k, (counts.get(k) ?? 0) + 1);
  const keyFreqs = [...counts].filter(([, c]) => c >= threshold).map(([k]) => k);
  return { keyFreqs: keyFreqs.sort((x, y) => x - y), neuronFreq };
}
