// The reference forward pass of the one-layer transformer, with the hooks the views need.
// Only the last position's logits are used, so only what they depend on is computed: queries and
// the MLP at position 2, keys and values at every position. Because an embedding depends only on
// (token, position), keys, values and queries are looked up in per-(position, token) tables.
import { nCtx, type ModelConfig } from './config.ts';
import type { Params } from './params.ts';
import { matmul } from './matmul.ts';
import type { FloatArray } from './tensor.ts';

export type Precision = 'float32' | 'float64';

/** Activations at the last position, named after TransformerLens hooks; [batch, …] row-major. */
export interface Hooks {
  /** Attention of the last query over positions 0…2, [batch, n_heads, 3] */
  attn_pattern: FloatArray;
  /** W_E[t₂] + W_pos[2], [batch, d_model] */
  resid_pre: FloatArray;
  /** Σ_h z_h W_O[h] + b_O, [batch, d_model] */
  attn_out: FloatArray;
  /** resid_pre + attn_out, [batch, d_model] */
  resid_mid: FloatArray;
  /** resid_mid W_in + b_in, [batch, d_mlp] */
  mlp_pre: FloatArray;
  /** ReLU(mlp_pre), [batch, d_mlp] */
  mlp_post: FloatArray;
  /** resid_mid + mlp_post W_out + b_out, [batch, d_model] */
  resid_post: FloatArray;
}

export interface ForwardResult {
  /** [batch, p] */
  logits: FloatArray;
  hooks: Hooks;
}

function alloc(precision: Precision, n: number): FloatArray {
  return precision === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** Per (position, token, head): x W + b for x = W_E[token] + W_pos[position], [3, p+1, H, d_head]. */
function projectionTable(
  params: Params,
  c: ModelConfig,
  w: 'W_Q' | 'W_K' | 'W_V',
  precision: Precision,
): FloatArray {
  const W = params[`blocks.0.attn.${w}`].data;
  const b = params[`blocks.0.attn.b_${w.slice(2)}` as 'blocks.0.attn.b_Q'].data;
  const WE = params['embed.W_E'].data;
  const Wpos = params['pos_embed.W_pos'].data;
  const { d_model: D, n_heads: H, d_head: E } = c;
  const vocab = c.p + 1;
  const table = alloc(precision, nCtx * vocab * H * E);
  const x = new Float64Array(D);
  for (let pos = 0; pos < nCtx; pos++) {
    for (let t = 0; t < vocab; t++) {
      for (let d = 0; d < D; d++) x[d] = WE[t * D + d]! + Wpos[pos * D + d]!;
      for (let h = 0; h < H; h++) {
        const out = ((pos * vocab + t) * H + h) * E;
        for (let e = 0; e < E; e++) {
          let sum = b[h * E + e]!;
          for (let d = 0; d < D; d++) sum += x[d]! * W[(h * D + d) * E + e]!;
          table[out + e] = sum;
        }
      }
    }
  }
  return table;
}

/**
 * Runs the model on a batch of token triples [a, b, '='] (any tokens 0…p), `tokens` of length
 * 3·batch. Returns the last position's logits [batch, p] and hooks. float64 for analysis.
 */
export function forward(
  params: Params,
  c: ModelConfig,
  tokens: ArrayLike<number>,
  precision: Precision = 'float32',
): ForwardResult {
  const { p, d_model: D, n_heads: H, d_head: E, d_mlp: M } = c;
  const vocab = p + 1;
  const batch = tokens.length / nCtx;
  if (!Number.isInteger(batch))
    throw new Error(`tokens must hold 3 per input, got ${tokens.length}.`);
  const Q = projectionTable(params, c, 'W_Q', precision);
  const K = projectionTable(params, c, 'W_K', precision);
  const V = projectionTable(params, c, 'W_V', precision);
  const WE = params['embed.W_E'].data;
  const Wpos = params['pos_embed.W_pos'].data;

  // float32 mode rounds every stored activation to float32, as a float32 engine would.
  const round = (values: Float64Array) =>
    precision === 'float32' ? Float64Array.from(Float32Array.from(values)) : values;
  const out = (values: Float64Array): FloatArray =>
    precision === 'float32' ? Float32Array.from(values) : values;
  const f64 = (name: keyof Params) => Float64Array.from(params[name].data);

  // Attention of the last query over the three positions, head by head: pattern and z = Σ_j a_j v_j.
  const pattern = alloc(precision, batch * H * nCtx);
  const z = new Float64Array(batch * H * E);
  const scale = 1 / Math.sqrt(E);
  const scores = new Float64Array(nCtx);
  for (let i = 0; i < batch; i++) {
    for (let pos = 0; pos < nCtx; pos++) {
      const token = tokens[3 * i + pos]!;
      if (!(Number.isInteger(token) && token >= 0 && token < vocab)) {
        throw new Error(`Input ${i}, position ${pos}: token ${token} is outside 0…${p}.`);
      }
    }
    for (let h = 0; h < H; h++) {
      const q = ((2 * vocab + tokens[3 * i + 2]!) * H + h) * E;
      let max = -Infinity;
      for (let j = 0; j < nCtx; j++) {
        const k = ((j * vocab + tokens[3 * i + j]!) * H + h) * E;
        let s = 0;
        for (let e = 0; e < E; e++) s += Q[q + e]! * K[k + e]!;
        scores[j] = s * scale;
        max = Math.max(max, scores[j]!);
      }
      let total = 0;
      for (let j = 0; j < nCtx; j++) total += scores[j] = Math.exp(scores[j]! - max);
      const row = (i * H + h) * nCtx;
      for (let j = 0; j < nCtx; j++) pattern[row + j] = scores[j]! / total;
      for (let j = 0; j < nCtx; j++) {
        const a = pattern[row + j]!;
        const v = ((j * vocab + tokens[3 * i + j]!) * H + h) * E;
        for (let e = 0; e < E; e++) z[(i * H + h) * E + e]! += a * V[v + e]!;
      }
    }
  }
  const zs = round(z);

  // The residual stream at the last position: embedding, + attention, + MLP, then the logits.
  const residPre = new Float64Array(batch * D);
  for (let i = 0; i < batch; i++) {
    const t = tokens[3 * i + 2]!;
    for (let d = 0; d < D; d++) residPre[i * D + d] = WE[t * D + d]! + Wpos[2 * D + d]!;
  }
  const attnOut = round(
    matmul(zs, f64('blocks.0.attn.W_O'), batch, H * E, D, f64('blocks.0.attn.b_O')),
  );
  const mid = round(residPre.map((x, k) => x + attnOut[k]!));
  const mlpPre = round(
    matmul(mid, f64('blocks.0.mlp.W_in'), batch, D, M, f64('blocks.0.mlp.b_in')),
  );
  const mlpPost = mlpPre.map((x) => Math.max(0, x));
  const mlpOut = round(
    matmul(mlpPost, f64('blocks.0.mlp.W_out'), batch, M, D, f64('blocks.0.mlp.b_out')),
  );
  const post = round(mid.map((x, k) => x + mlpOut[k]!));
  const logits = matmul(post, f64('unembed.W_U'), batch, D, p, f64('unembed.b_U'));
  const hooks: Hooks = {
    attn_pattern: pattern,
    resid_pre: out(residPre),
    attn_out: out(attnOut),
    resid_mid: out(mid),
    mlp_pre: out(mlpPre),
    mlp_post: out(mlpPost),
    resid_post: out(post),
  };
  return { logits: out(logits), hooks };
}

/** Tokens [a, b, '='] for every input i = a·p + b, in order: 3·p² entries. */
export function allInputs(p: number): Int32Array {
  const tokens = new Int32Array(3 * p * p);
  for (let i = 0; i < p * p; i++) {
    tokens[3 * i] = Math.floor(i / p);
    tokens[3 * i + 1] = i % p;
    tokens[3 * i + 2] = p;
  }
  return tokens;
}
