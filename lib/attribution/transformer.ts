// Attributions for the modular-addition transformer: the logit of one answer as a differentiable
// function of the three token embeddings (a, b, '='), with a hand-written backward pass.
import { nCtx, type ModelConfig } from '../modarith/config.ts';
import type { ParamName, Params } from '../modarith/params.ts';
import type { Differentiable } from './integrated.ts';

/** The embeddings W_E[a], W_E[b], W_E['='] laid end to end, [3·d_model]. */
export function tokenEmbeddings(
  params: Params,
  c: ModelConfig,
  a: number,
  b: number,
): Float64Array {
  const D = c.d_model;
  const WE = params['embed.W_E'].data;
  const x = new Float64Array(nCtx * D);
  [a, b, c.p].forEach((token, pos) => {
    for (let d = 0; d < D; d++) x[pos * D + d] = WE[token * D + d]!;
  });
  return x;
}

/** Baselines for integrated gradients: every embedding zero, or each the mean number embedding. */
export type EmbeddingBaseline = 'zero' | 'mean';

/** The baseline input, [3·d_model]; positional embeddings are kept either way. */
export function embeddingBaseline(
  params: Params,
  c: ModelConfig,
  kind: EmbeddingBaseline,
): Float64Array {
  const D = c.d_model;
  const x = new Float64Array(nCtx * D);
  if (kind === 'zero') return x;
  const WE = params['embed.W_E'].data;
  for (let t = 0; t < c.p; t++) {
    for (let pos = 0; pos < nCtx; pos++) {
      for (let d = 0; d < D; d++) x[pos * D + d]! += WE[t * D + d]! / c.p;
    }
  }
  return x;
}

/**
 * logits[answer] − mean_c logits[c] at the last position as a function of the token embeddings
 * x [3·d_model]; the positional embeddings and every weight stay fixed. Centring removes the
 * offset shared by all logits, which softmax ignores: it would dominate the raw logit.
 */
export function centredLogit(params: Params, c: ModelConfig, answer: number): Differentiable {
  const { d_model: D, n_heads: H, d_head: E, d_mlp: M } = c;
  if (!(Number.isInteger(answer) && answer >= 0 && answer < c.p)) {
    throw new Error(`The answer must be 0…${c.p - 1}, got ${answer}.`);
  }
  const w = (name: ParamName) => Float64Array.from(params[name].data);
  const Wpos = w('pos_embed.W_pos');
  const WQ = w('blocks.0.attn.W_Q');
  const bQ = w('blocks.0.attn.b_Q');
  const WK = w('blocks.0.attn.W_K');
  const bK = w('blocks.0.attn.b_K');
  const WV = w('blocks.0.attn.W_V');
  const bV = w('blocks.0.attn.b_V');
  const WO = w('blocks.0.attn.W_O');
  const bO = w('blocks.0.attn.b_O');
  const Win = w('blocks.0.mlp.W_in');
  const bin = w('blocks.0.mlp.b_in');
  const Wout = w('blocks.0.mlp.W_out');
  const bout = w('blocks.0.mlp.b_out');
  const WU = w('unembed.W_U');
  const bU = w('unembed.b_U');
  // The centred readout: column `answer` of W_U and b_U minus their means over all answers.
  const readout = new Float64Array(D).map((_, d) => {
    let mean = 0;
    for (let k = 0; k < c.p; k++) mean += WU[d * c.p + k]! / c.p;
    return WU[d * c.p + answer]! - mean;
  });
  const readoutBias = bU[answer]! - bU.reduce((s, v) => s + v, 0) / c.p;
  const scale = 1 / Math.sqrt(E);
  /** x W[h] + b[h] for the residual x at `pos`: [E] */
  const project = (x: Float64Array, pos: number, W: Float64Array, b: Float64Array, h: number) => {
    const out = new Float64Array(E);
    for (let e = 0; e < E; e++) {
      let sum = b[h * E + e]!;
      for (let d = 0; d < D; d++) sum += x[pos * D + d]! * W[(h * D + d) * E + e]!;
      out[e] = sum;
    }
    return out;
  };
  /** Adds W[h] g (the transpose of `project`) into gx at `pos`. */
  const projectBack = (
    gx: Float64Array,
    pos: number,
    W: Float64Array,
    h: number,
    g: Float64Array,
  ) => {
    for (let d = 0; d < D; d++) {
      let sum = 0;
      for (let e = 0; e < E; e++) sum += W[(h * D + d) * E + e]! * g[e]!;
      gx[pos * D + d]! += sum;
    }
  };

  return {
    valueAndGradient(embeddings) {
      if (embeddings.length !== nCtx * D) {
        throw new Error(`Expected ${nCtx * D} embedding entries, got ${embeddings.length}.`);
      }
      const x = embeddings.map((v, k) => v + Wpos[k]!);
      // Attention of the last query over the three positions.
      const heads = Array.from({ length: H }, (_, h) => {
        const q = project(x, 2, WQ, bQ, h);
        const keys = [0, 1, 2].map((pos) => project(x, pos, WK, bK, h));
        const values = [0, 1, 2].map((pos) => project(x, pos, WV, bV, h));
        const scores = keys.map((k) => k.reduce((s, v, e) => s + v * q[e]!, 0) * scale);
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const total = exps.reduce((s, v) => s + v, 0);
        const pattern = exps.map((v) => v / total);
        const z = new Float64Array(E);
        values.forEach((v, j) => v.forEach((ve, e) => (z[e]! += pattern[j]! * ve)));
        return { q, keys, values, pattern, z };
      });
      const mid = new Float64Array(D);
      for (let d = 0; d < D; d++) {
        let sum = x[2 * D + d]! + bO[d]!;
        for (let h = 0; h < H; h++) {
          for (let e = 0; e < E; e++) sum += heads[h]!.z[e]! * WO[(h * E + e) * D + d]!;
        }
        mid[d] = sum;
      }
      const pre = new Float64Array(M).map((_, m) => {
        let sum = bin[m]!;
        for (let d = 0; d < D; d++) sum += mid[d]! * Win[d * M + m]!;
        return sum;
      });
      let value = readoutBias;
      for (let d = 0; d < D; d++) {
        let resid = mid[d]! + bout[d]!;
        for (let m = 0; m < M; m++) if (pre[m]! > 0) resid += pre[m]! * Wout[m * D + d]!;
        value += resid * readout[d]!;
      }

      // Backward from the logit: unembed, MLP, attention output, then into queries, keys, values.
      const gResid = readout;
      const gMid = Float64Array.from(gResid);
      for (let m = 0; m < M; m++) {
        if (!(pre[m]! > 0)) continue;
        let gPre = 0;
        for (let d = 0; d < D; d++) gPre += Wout[m * D + d]! * gResid[d]!;
        for (let d = 0; d < D; d++) gMid[d]! += Win[d * M + m]! * gPre;
      }
      const gx = new Float64Array(nCtx * D);
      for (let d = 0; d < D; d++) gx[2 * D + d]! += gMid[d]!;
      heads.forEach(({ q, keys, values, pattern }, h) => {
        const gz = new Float64Array(E).map((_, e) => {
          let sum = 0;
          for (let d = 0; d < D; d++) sum += WO[(h * E + e) * D + d]! * gMid[d]!;
          return sum;
        });
        const gPattern = values.map((v) => v.reduce((s, ve, e) => s + ve * gz[e]!, 0));
        const mean = gPattern.reduce((s, g, j) => s + g * pattern[j]!, 0);
        const gScores = pattern.map((a, j) => a * (gPattern[j]! - mean) * scale);
        const gq = new Float64Array(E);
        keys.forEach((k, j) => {
          k.forEach((ke, e) => (gq[e]! += gScores[j]! * ke));
          projectBack(
            gx,
            j,
            WK,
            h,
            q.map((qe) => gScores[j]! * qe),
          );
          projectBack(
            gx,
            j,
            WV,
            h,
            gz.map((g) => pattern[j]! * g),
          );
        });
        projectBack(gx, 2, WQ, h, gq);
      });
      return { value, gradient: gx };
    },
  };
}
