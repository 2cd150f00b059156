// The dataset of `a op b mod p` over all pairs, indexed a-major (i = a·p + b), and its seeded split.
import { mulberry32 } from '../random.ts';
import type { Operation } from './config.ts';

/** The modular inverse of b mod prime p (Fermat: b^(p−2)). */
export function modInverse(b: number, p: number): number {
  let result = 1;
  let base = b % p;
  for (let e = p - 2; e > 0; e >>= 1) {
    if (e & 1) result = (result * base) % p;
    base = (base * base) % p;
  }
  return result;
}

/** The answer to a op b mod p; undefined for division by 0. */
export function answer(op: Operation, a: number, b: number, p: number): number | undefined {
  switch (op) {
    case 'add':
      return (a + b) % p;
    case 'subtract':
      return (((a - b) % p) + p) % p;
    case 'divide':
      return b === 0 ? undefined : (a * modInverse(b, p)) % p;
  }
}

export interface Dataset {
  p: number;
  op: Operation;
  /** Input indices i = a·p + b that the operation is defined on, ascending. */
  indices: number[];
  /** labels[i] for every i in 0…p²−1; −1 where undefined (b = 0 in division). */
  labels: Int32Array;
}

/** Whether n is a prime number. */
export function isPrime(n: number): boolean {
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return n >= 2;
}

/** Every pair (a, b) with its label. */
export function makeDataset(op: Operation, p: number): Dataset {
  // Fermat's inverse, b^(p−2), is the inverse only when p is prime: else the labels are wrong.
  if (op === 'divide' && !isPrime(p)) {
    throw new Error(`Division mod ${p} is not defined for every b: p must be prime.`);
  }
  const labels = new Int32Array(p * p).fill(-1);
  const indices: number[] = [];
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      const c = answer(op, a, b, p);
      if (c === undefined) continue;
      labels[a * p + b] = c;
      indices.push(a * p + b);
    }
  }
  return { p, op, indices, labels };
}

/** The test set: every defined input not in `train`, ascending (one Set, not one per index). */
export function testIndices(data: Dataset, train: readonly number[]): number[] {
  const inTrain = new Set(train);
  return data.indices.filter((i) => !inTrain.has(i));
}

/** Tokens [a, b, '='] of input i, as in the ONNX input `tokens`. */
export function tokensOf(i: number, p: number): [number, number, number] {
  return [Math.floor(i / p), i % p, p];
}

/** A seeded split: ⌊fraction·n⌋ of the dataset's indices for training (ascending), the rest test. */
export function splitDataset(
  data: Dataset,
  fraction: number,
  seed: number,
): { train: number[]; test: number[] } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new Error(`The training fraction must be between 0 and 1, got ${fraction}.`);
  }
  const order = [...data.indices];
  const random = mulberry32(seed);
  for (let k = order.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  const train = order.slice(0, Math.floor(fraction * order.length)).sort((x, y) => x - y);
  return { train, test: testIndices(data, train) };
}
