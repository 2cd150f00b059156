// Dense matrix products for the reference forward pass: plain loops over float64 arrays (one array
// type keeps the JIT's code monomorphic), four rows at a time so each row of B serves four of A.

/** A[n×k] · B[k×m] (+ bias[m] on every row), accumulated in float64. */
export function matmul(
  A: Float64Array,
  B: Float64Array,
  n: number,
  k: number,
  m: number,
  bias?: Float64Array,
): Float64Array {
  const C = new Float64Array(n * m);
  if (bias) for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) C[i * m + j] = bias[j]!;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c0 = i * m;
    const c1 = c0 + m;
    const c2 = c1 + m;
    const c3 = c2 + m;
    for (let l = 0; l < k; l++) {
      const a0 = A[i * k + l]!;
      const a1 = A[(i + 1) * k + l]!;
      const a2 = A[(i + 2) * k + l]!;
      const a3 = A[(i + 3) * k + l]!;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const b = l * m;
      for (let j = 0; j < m; j++) {
        const bv = B[b + j]!;
        C[c0 + j]! += a0 * bv;
        C[c1 + j]! += a1 * bv;
        C[c2 + j]! += a2 * bv;
        C[c3 + j]! += a3 * bv;
      }
    }
  }
  for (; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const a = A[i * k + l]!;
      if (a === 0) continue;
      for (let j = 0; j < m; j++) C[i * m + j]! += a * B[l * m + j]!;
    }
  }
  return C;
}
