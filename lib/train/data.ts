// The training batch as the step graph takes it: one-hot token rows and one-hot labels.
import { nCtx } from '../modarith/config.ts';
import { tokensOf } from '../modarith/data.ts';

/** One-hot rows [3·n, p+1] of the inputs [a, b, '='] and labels [n, p] for input indices. */
export function oneHotBatch(
  indices: readonly number[],
  labels: Int32Array,
  p: number,
): { tokens: Float32Array<ArrayBuffer>; labels: Float32Array<ArrayBuffer> } {
  const vocab = p + 1;
  const tokens = new Float32Array(nCtx * indices.length * vocab);
  const targets = new Float32Array(indices.length * p);
  indices.forEach((i, row) => {
    tokensOf(i, p).forEach((t, pos) => (tokens[(nCtx * row + pos) * vocab + t] = 1));
    targets[row * p + labels[i]!] = 1;
  });
  return { tokens, labels: targets };
}
