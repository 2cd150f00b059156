// Closeness of numeric arrays, with the error reported relative to the reference's scale.

/** max |x − y| / max |y|: the error of x relative to the reference y's largest entry. */
export function relativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`lengths differ: ${x.length} vs ${y.length}`);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    err = Math.max(err, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return scale === 0 ? err : err / scale;
}

/** |x − y| / |y| for scalars. */
export function relative(x: number, y: number): number {
  return Math.abs(x - y) / Math.abs(y);
}
