// The model's logits as the paper predicts them: Σ_k α_k cos(w_k(a + b − c)) plus a constant per
// input, with w_k = 2πk/p. Fits α_k over all inputs and measures how much of the logits it explains.

export interface CosineFit {
  /** α_k for k = 0…(p−1)/2 (α_0 = 0): the least-squares coefficient of cos(w_k(a+b−c)) */
  alpha: Float64Array;
  /** Σ over inputs and answers of the centred logits squared */
  totalSquares: number;
  p: number;
}

/**
 * Least-squares coefficients of the centred logits L̃ [p², p] on each cos(w_k(a+b−c)). These
 * functions are orthogonal to each other and to constants per input, so each α_k is a projection;
 * summing L̃ over pairs with the same a + b first makes it O(p³).
 */
export function fitCosines(logits: ArrayLike<number>, p: number): CosineFit {
  const bySum = new Float64Array(p * p); // [s = (a+b) mod p, c]
  let totalSquares = 0;
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      const row = (a * p + b) * p;
      let mean = 0;
      for (let c = 0; c < p; c++) mean += logits[row + c]! / p;
      const s = (a + b) % p;
      for (let c = 0; c < p; c++) {
        const centred = logits[row + c]! - mean;
        bySum[s * p + c]! += centred;
        totalSquares += centred * centred;
      }
    }
  }
  const half = (p - 1) / 2;
  const alpha = new Float64Array(half + 1);
  for (let k = 1; k <= half; k++) {
    const cos = Float64Array.from({ length: p }, (_, d) => Math.cos((2 * Math.PI * k * d) / p));
    let dot = 0;
    for (let s = 0; s < p; s++) {
      for (let c = 0; c < p; c++) dot += bySum[s * p + c]! * cos[(((s - c) % p) + p) % p]!;
    }
    // Σ over p³ points of cos² = p³/2.
    alpha[k] = dot / (p ** 3 / 2);
  }
  return { alpha, totalSquares, p };
}

/** The fraction of the centred logits' sum of squares that the frequencies `freqs` explain. */
export function explainedFraction(fit: CosineFit, freqs: readonly number[]): number {
  const explained = freqs.reduce((sum, k) => sum + fit.alpha[k]! ** 2 * (fit.p ** 3 / 2), 0);
  return fit.totalSquares > 0 ? explained / fit.totalSquares : 0;
}

/** The fit's centred logits for input (a, b) over every answer c, [p]. */
export function fittedLogits(fit: CosineFit, freqs: readonly number[], a: number, b: number) {
  const { p } = fit;
  return Float64Array.from({ length: p }, (_, c) =>
    freqs.reduce(
      (sum, k) => sum + fit.alpha[k]! * Math.cos((2 * Math.PI * k * (a + b - c)) / p),
      0,
    ),
  );
}
