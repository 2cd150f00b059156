// A faster inference graph for the views, built from the weights in the page: it returns only
// logits, attn_pattern and mlp_post, and folds every product of weights ahead of time.
//   - Queries, keys and values depend only on (position, token): they become table lookups.
//   - With no nonlinearity between them, W_O W_in, W_O W_U and W_out W_U are single matrices, and
//     everything the embedding and the biases contribute is a per-token table.
// Mathematically the same function as export.ts's graph; about half the arithmetic.
import { Graph } from '../onnx/graph.ts';
import { nCtx, type ModelConfig } from './config.ts';
import { headsFirst } from './graph.ts';
import { matmul } from './matmul.ts';
import type { ParamName, Params } from './params.ts';

/** The views' graph: tokens int64 [batch, 3] in; logits, attn_pattern, mlp_post out. */
export function viewsGraph(c: ModelConfig, params: Params): Graph {
  const { p, d_model: D, n_heads: H, d_head: E, d_mlp: M } = c;
  const HE = H * E;
  const vocab = p + 1;
  const w = (name: ParamName) => Float64Array.from(params[name].data);
  /** [H, D, E] → [D, H·E], heads side by side */
  const heads = (W: Float64Array) => {
    const out = new Float64Array(D * HE);
    for (let h = 0; h < H; h++)
      for (let d = 0; d < D; d++)
        for (let e = 0; e < E; e++) out[d * HE + h * E + e] = W[(h * D + d) * E + e]!;
    return out;
  };
  const WE = w('embed.W_E');
  const Wpos = w('pos_embed.W_pos');
  // The residual stream at each (position, token) before attention: [3·vocab, D].
  const X = new Float64Array(nCtx * vocab * D);
  for (let pos = 0; pos < nCtx; pos++)
    for (let t = 0; t < vocab; t++)
      for (let d = 0; d < D; d++)
        X[(pos * vocab + t) * D + d] = WE[t * D + d]! + Wpos[pos * D + d]!;
  const last = X.subarray(2 * vocab * D);
  const projection = (W: ParamName, b: ParamName, rows: Float64Array, n: number) =>
    matmul(rows, heads(w(W)), n, D, HE, w(b));
  const kTable = projection('blocks.0.attn.W_K', 'blocks.0.attn.b_K', X, nCtx * vocab);
  const vTable = projection('blocks.0.attn.W_V', 'blocks.0.attn.b_V', X, nCtx * vocab);
  const qTable = projection('blocks.0.attn.W_Q', 'blocks.0.attn.b_Q', last, vocab);

  const WO = w('blocks.0.attn.W_O'); // [H·E, D] when flattened
  const Win = w('blocks.0.mlp.W_in');
  const WU = w('unembed.W_U');
  const bO = w('blocks.0.attn.b_O');
  const residBias = last.map((x, k) => x + bO[k % D]!); // W_E[t] + W_pos[2] + b_O: [vocab, D]
  const outBias = residBias.map((x, k) => x + w('blocks.0.mlp.b_out')[k % D]!);
  const preTable = matmul(residBias, Win, vocab, D, M, w('blocks.0.mlp.b_in'));
  const logitTable = matmul(outBias, WU, vocab, D, p, w('unembed.b_U'));
  const zToPre = matmul(WO, Win, HE, D, M);
  const zToLogits = matmul(WO, WU, HE, D, p);
  const WL = matmul(w('blocks.0.mlp.W_out'), WU, M, D, p);

  const g = new Graph();
  const tokens = g.input('tokens', ['batch', 3], 'int64');
  // Row pos·vocab + token of the per-position tables.
  const rows = g.add(tokens, g.ints([0, vocab, 2 * vocab]));
  const lookup = (table: Float64Array, n: number, width: number, index = rows) =>
    g.gather(g.constant(table, [n, width]), index);
  const k = g.reshape(lookup(kTable, nCtx * vocab, HE), ['batch', nCtx, H, E]);
  const v = g.reshape(lookup(vTable, nCtx * vocab, HE), ['batch', nCtx, H, E]);
  const t2 = g.reshape(g.gather(tokens, g.ints([2]), 1), ['batch']);
  const q = g.reshape(lookup(qTable, vocab, HE, t2), ['batch', 1, H, E]);
  const scores = g.mul(g.reduceSum(g.mul(k, q), [3], false), g.scalar(1 / Math.sqrt(E)));
  const pattern = g.softmax(scores, 1); // [batch, 3, H]
  const z = g.reshape(
    g.reduceSum(g.mul(g.reshape(pattern, ['batch', nCtx, H, 1]), v), [1], false),
    ['batch', HE],
  );
  const mlpPost = g.relu(
    g.add(lookup(preTable, vocab, M, t2), g.matmul(z, g.constant(zToPre, [HE, M]))),
  );
  const logits = g.add(
    g.add(lookup(logitTable, vocab, p, t2), g.matmul(z, g.constant(zToLogits, [HE, p]))),
    g.matmul(mlpPost, g.constant(WL, [M, p])),
  );
  g.output(logits, 'logits');
  g.output(headsFirst(g, pattern, 'batch', H), 'attn_pattern');
  g.output(mlpPost, 'mlp_post');
  return g;
}
