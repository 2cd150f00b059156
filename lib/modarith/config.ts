// The modular-arithmetic transformer's configuration, with the paper's values.
import { excerpt } from '../printable.ts';

export const operations = ['add', 'subtract', 'divide'] as const;
export type Operation = (typeof operations)[number];

/** The operation a model file names in its metadata (a + b when it names none). */
export function modelOperation(metadata: Record<string, string>): Operation {
  const op = operations.find((o) => o === (metadata['op'] ?? 'add'));
  if (!op)
    throw new Error(`Unknown operation "${excerpt(metadata['op']!)}" in the file's metadata.`);
  return op;
}

export interface ModelConfig {
  /** The modulus; tokens 0…p−1 are numbers and token p is '='. */
  p: number;
  d_model: number;
  n_heads: number;
  d_head: number;
  d_mlp: number;
}

/** Nanda et al. (2023): p = 113, one layer, 4 heads of 32, an MLP of 512, no LayerNorm. */
export const paperConfig: ModelConfig = {
  p: 113,
  d_model: 128,
  n_heads: 4,
  d_head: 32,
  d_mlp: 512,
};

/** Sequence length: [a, b, '=']. */
export const nCtx = 3;
