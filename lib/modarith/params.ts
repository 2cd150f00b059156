// The transformer's parameters under TransformerLens names and shapes, and the paper's initialisation.
import { mulberry32 } from '../random.ts';
import type { ModelConfig } from './config.ts';
import { sizeOf, type Tensor } from './tensor.ts';

export const paramNames = [
  'embed.W_E',
  'pos_embed.W_pos',
  'blocks.0.attn.W_Q',
  'blocks.0.attn.b_Q',
  'blocks.0.attn.W_K',
  'blocks.0.attn.b_K',
  'blocks.0.attn.W_V',
  'blocks.0.attn.b_V',
  'blocks.0.attn.W_O',
  'blocks.0.attn.b_O',
  'blocks.0.mlp.W_in',
  'blocks.0.mlp.b_in',
  'blocks.0.mlp.W_out',
  'blocks.0.mlp.b_out',
  'unembed.W_U',
  'unembed.b_U',
] as const;
export type ParamName = (typeof paramNames)[number];
export type Params = Record<ParamName, Tensor>;

/** Biases a file may leave out (taken as zero). */
export const optionalParams: ReadonlySet<ParamName> = new Set(
  paramNames.filter((name) => /\.b_/.test(name)),
);

/** The shape of every parameter for a configuration. */
export function paramShapes(c: ModelConfig): Record<ParamName, number[]> {
  return {
    'embed.W_E': [c.p + 1, c.d_model],
    'pos_embed.W_pos': [3, c.d_model],
    'blocks.0.attn.W_Q': [c.n_heads, c.d_model, c.d_head],
    'blocks.0.attn.b_Q': [c.n_heads, c.d_head],
    'blocks.0.attn.W_K': [c.n_heads, c.d_model, c.d_head],
    'blocks.0.attn.b_K': [c.n_heads, c.d_head],
    'blocks.0.attn.W_V': [c.n_heads, c.d_model, c.d_head],
    'blocks.0.attn.b_V': [c.n_heads, c.d_head],
    'blocks.0.attn.W_O': [c.n_heads, c.d_head, c.d_model],
    'blocks.0.attn.b_O': [c.d_model],
    'blocks.0.mlp.W_in': [c.d_model, c.d_mlp],
    'blocks.0.mlp.b_in': [c.d_mlp],
    'blocks.0.mlp.W_out': [c.d_mlp, c.d_model],
    'blocks.0.mlp.b_out': [c.d_model],
    'unembed.W_U': [c.d_model, c.p],
    'unembed.b_U': [c.p],
  };
}

/** Where each parameter lies in one flat vector of them all, in `paramNames` order. */
export function flatLayout(c: ModelConfig): { offsets: Record<ParamName, number>; total: number } {
  const shapes = paramShapes(c);
  const offsets = {} as Record<ParamName, number>;
  let total = 0;
  for (const name of paramNames) {
    offsets[name] = total;
    total += sizeOf(shapes[name]);
  }
  return { offsets, total };
}

/** Zeros in every parameter's size: AdamW's moments before the first step. */
export function zeroMoments(c: ModelConfig): Record<ParamName, Float32Array> {
  const shapes = paramShapes(c);
  return Object.fromEntries(
    paramNames.map((name) => [name, new Float32Array(sizeOf(shapes[name]))]),
  ) as Record<ParamName, Float32Array>;
}

/** The largest modulus the page and the command line handle in seconds and bounded memory. */
export const maxModulus = 257;

/** Reads the configuration off the shapes of W_E, W_Q and W_in, as a file gives them. */
export function configFromShapes(shapes: Partial<Record<ParamName, number[]>>): ModelConfig {
  const we = shapes['embed.W_E'];
  const wq = shapes['blocks.0.attn.W_Q'];
  const win = shapes['blocks.0.mlp.W_in'];
  if (!we || we.length !== 2)
    throw new Error('embed.W_E must be present with shape [p+1, d_model].');
  if (!wq || wq.length !== 3) {
    throw new Error('blocks.0.attn.W_Q must be present with shape [n_heads, d_model, d_head].');
  }
  if (!win || win.length !== 2) {
    throw new Error('blocks.0.mlp.W_in must be present with shape [d_model, d_mlp].');
  }
  const p = we[0]! - 1;
  // Said before anything of size p³ is allocated: the measures hold logits over all p² inputs.
  if (p > maxModulus) {
    throw new Error(
      `embed.W_E has ${p + 1} rows, so p = ${p}: the course handles p up to ${maxModulus} (its views and measures hold p³ numbers).`,
    );
  }
  return { p, d_model: we[1]!, n_heads: wq[0]!, d_head: wq[2]!, d_mlp: win[1]! };
}

/** Standard normal samples from a seeded generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  return () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/**
 * The initialisation of the paper's own code (transformers.py in Nanda et al.'s repository):
 * N(0, 1)/√d_model for every weight, W_out included; W_U /√d_vocab (p + 1: their unembedding has
 * a column for '='); biases zero.
 */
export function initParams(c: ModelConfig, seed: number): Params {
  const normal = gaussian(seed);
  const shapes = paramShapes(c);
  const scale = (name: ParamName): number => {
    if (optionalParams.has(name)) return 0;
    if (name === 'unembed.W_U') return 1 / Math.sqrt(c.p + 1);
    return 1 / Math.sqrt(c.d_model);
  };
  const params = {} as Params;
  for (const name of paramNames) {
    const shape = shapes[name];
    const s = scale(name);
    const data = new Float32Array(sizeOf(shape));
    if (s !== 0) for (let k = 0; k < data.length; k++) data[k] = normal() * s;
    params[name] = { shape, data };
  }
  return params;
}

/**
 * The biases the paper's model does not have (Nanda et al. 2023, App. A: none in attention or the
 * unembedding). The files keep TransformerLens's layout, so they are there, and a run of the
 * paper's model holds them at zero, untrained.
 */
export const absentFromPaper: ReadonlySet<ParamName> = new Set([
  'blocks.0.attn.b_Q',
  'blocks.0.attn.b_K',
  'blocks.0.attn.b_V',
  'blocks.0.attn.b_O',
  'unembed.b_U',
]);
