// The Fourier basis over Z_p and the transforms the analysis uses, in float64.
import { matmul } from './matmul.ts';

/**
 * The p×p orthonormal Fourier basis (rows): row 0 is constant, rows 2k−1 and 2k are cos and sin of
 * 2πkx/p, k = 1…⌊p/2⌋. p must be odd so that the rows are exactly p.
 */
export function fourierBasis(p: number): Float64Array {
  if (!(Number.isInteger(p) && p >= 3 && p % 2 === 1)) {
    throw new Error(`The Fourier basis needs an odd modulus p ≥ 3, got ${p}.`);
  }
  const F = new Float64Array(p * p);
  const norm = (row: number) => {
    let s = 0;
    for (let x = 0; x < p; x++) s += F[row * p + x]! ** 2;
    const n = Math.sqrt(s);
    for (let x = 0; x < p; x++) F[row * p + x]! /= n;
  };
  for (let x = 0; x < p; x++) F[x] = 1;
  norm(0);
  for (let k = 1; k <= (p - 1) / 2; k++) {
    for (let x = 0; x < p; x++) {
      F[(2 * k - 1) * p + x] = Math.cos((2 * Math.PI * k * x) / p);
      F[2 * k * p + x] = Math.sin((2 * Math.PI * k * x) / p);
    }
    norm(2 * k - 1);
    norm(2 * k);
  }
  return F;
}

/** Human-readable name of basis row r: "const", "cos 14", "sin 14". */
export function basisLabel(r: number): string {
  if (r === 0) return 'const';
  return `${r % 2 === 1 ? 'cos' : 'sin'} ${Math.ceil(r / 2)}`;
}

/** F X: the Fourier transform along the first axis of X [p, n] → [p, n]. */
export function fourier1d(F: Float64Array, X: Float64Array, p: number, n: number): Float64Array {
  return matmul(F, X, p, p, n);
}

/**
 * The 2D transform F A Fᵀ of n grids at once: X is [p (a), p (b), n] (inputs a-major, one column
 * per neuron); the result is [p (k_a), p (k_b), n].
 */
export function fourier2d(F: Float64Array, X: Float64Array, p: number, n: number): Float64Array {
  const alongA = matmul(F, X, p, p, p * n);
  const out = new Float64Array(p * p * n);
  for (let ka = 0; ka < p; ka++) {
    out.set(matmul(F, alongA.subarray(ka * p * n, (ka + 1) * p * n), p, p, n), ka * p * n);
  }
  return out;
}

/**
 * Norms per frequency of Fourier coefficients C [p, n]: entry k−1 is
 * √(‖C_{2k−1}‖² + ‖C_{2k}‖²) for k = 1…⌊p/2⌋.
 */
export function frequencyNorms(C: Float64Array, p: number, n: number): Float64Array {
  const norms = new Float64Array((p - 1) / 2);
  for (let k = 1; k <= norms.length; k++) {
    let s = 0;
    for (const r of [2 * k - 1, 2 * k]) for (let j = 0; j < n; j++) s += C[r * n + j]! ** 2;
    norms[k - 1] = Math.sqrt(s);
  }
  return norms;
}

/**
 * One grid [p·p] over (a, b) in the 2D Fourier basis: |F A Fᵀ| [p·p], and the basis rows
 * (k_a, k_b) of its largest component other than the constant.
 */
export function gridSpectrum(
  F: Float64Array,
  grid: Float64Array,
  p: number,
): { magnitudes: Float64Array; ka: number; kb: number } {
  const magnitudes = fourier2d(F, grid, p, 1).map(Math.abs);
  let best = 1;
  for (let r = 1; r < p * p; r++) if (magnitudes[r]! > magnitudes[best]!) best = r;
  return { magnitudes, ka: Math.floor(best / p), kb: best % p };
}

/**
 * |F A Fᵀ| for drawing: the constant component (row 0, column 0), usually far the largest, set to
 * 0 so that the colour scale shows the components that carry the algorithm. Returns the
 * constant's magnitude too, for the caption.
 */
export function spectrumForDisplay(magnitudes: Float64Array): {
  shown: Float64Array;
  constant: number;
} {
  const shown = magnitudes.slice();
  shown[0] = 0;
  return { shown, constant: magnitudes[0]! };
}

/** The `n` largest components of |F A Fᵀ| other than the constant, largest first. */
export function topComponents(
  magnitudes: Float64Array,
  p: number,
  n: number,
): { ka: number; kb: number; magnitude: number }[] {
  return Array.from(magnitudes, (magnitude, r) => ({ ka: Math.floor(r / p), kb: r % p, magnitude }))
    .filter((c) => c.ka !== 0 || c.kb !== 0)
    .sort((x, y) => y.magnitude - x.magnitude)
    .slice(0, n);
}

/** One frequency's block of a grid's 2D spectrum: rows and columns {const, cos k, sin k}. */
export interface FrequencyBlock {
  k: number;
  /** The basis rows of the block, the same down (a) and across (b): [0, 2k − 1, 2k] */
  basis: [number, number, number];
  /** |F A Fᵀ| on the block, [3·3] row-major */
  values: number[];
  /** The block's share of the grid's squared components, the constant component left out of both */
  share: number;
}

/**
 * The frequency whose {const, cos k, sin k}² block holds the largest share of a grid's spectrum
 * (|F A Fᵀ| [p·p]) once the constant component is left out: the measure by which a neuron is
 * counted as one frequency's (`keyFrequencies`, at 85%).
 */
export function strongestBlock(magnitudes: ArrayLike<number>, p: number): FrequencyBlock {
  let total = 0;
  for (let r = 1; r < p * p; r++) total += magnitudes[r]! ** 2;
  let best: FrequencyBlock | undefined;
  for (let k = 1; k <= (p - 1) / 2; k++) {
    const basis: [number, number, number] = [0, 2 * k - 1, 2 * k];
    const values = basis.flatMap((i) => basis.map((j) => magnitudes[i * p + j]!));
    const inBlock = values.reduce((s, v, index) => (index === 0 ? s : s + v * v), 0);
    // A flat grid's other components are rounding error: no share at all.
    const share = total > 1e-20 * magnitudes[0]! ** 2 ? inBlock / total : 0;
    if (!best || share > best.share) best = { k, basis, values, share };
  }
  return best!;
}
