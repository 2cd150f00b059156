// The training batch as the step graph takes it: the tokens of each input and one-hot labels.
import { nCtx } from '../modarith/config.ts';
import { tokensOf } from '../modarith/data.ts';

/** Tokens [n, 3] (int64) of the inputs [a, b, '='] and one-hot labels [n, p] for input indices. */
export function trainingBatch(
  indices: readonly number[],
  labels: Int32Array,
  p: number,
): { tokens: BigInt64Array<ArrayBuffer>; labels: Float32Array<ArrayBuffer> } {
  const tokens = new BigInt64Array(nCtx * indices.length);
  const targets = new Float32Array(indices.length * p);
  indices.forEach((i, row) => {
    tokensOf(i, p).forEach((t, pos) => (tokens[nCtx * row + pos] = BigInt(t)));
    targets[row * p + labels[i]!] = 1;
  });
  return { tokens, labels: targets };
}
