// The transformer as an ONNX graph: one definition behind the inference graph (with hooks) and the
// training-step graph. Only the last position's logits are computed, as in forward.ts.
import { nCtx, type ModelConfig } from './config.ts';
import type { Graph, Value } from '../onnx/graph.ts';
import type { ParamName } from './params.ts';

export type ParamValues = Record<ParamName, Value>;

/** What the forward graph starts from. */
export interface Embedded {
  /** The input tokens, int64 [B, 3] */
  tokens: Value;
  /** W_E of the token at the last position, [B or 1, d_model] */
  last: Value;
}

export interface GraphHooks {
  /** The attention pattern as computed, [B, 3, n_heads] (TransformerLens's hook is [B, n_heads, 3]). */
  pattern: Value;
  resid_pre: Value;
  attn_out: Value;
  resid_mid: Value;
  mlp_pre: Value;
  mlp_post: Value;
  resid_post: Value;
}

/**
 * The attention pattern [B, 3, H] as TransformerLens's hook has it, [B, H, 3]: a product with a
 * permutation matrix (exact: every output is one input times 1, plus zeros). onnxruntime-web ran
 * the same Transpose in one task per element, slower than the model's largest product.
 */
export function headsFirst(g: Graph, pattern: Value, B: number | string, H: number): Value {
  const n = nCtx * H;
  const permutation = Array.from({ length: n * n }, (_, k) => {
    const [row, col] = [Math.floor(k / n), k % n]; // row: position·H + head; col: head·3 + position
    return Math.floor(row / H) === col % nCtx && row % H === Math.floor(col / nCtx) ? 1 : 0;
  });
  const flat = g.matmul(g.reshape(pattern, [B, n]), g.constant(permutation, [n, n]));
  return g.reshape(flat, [B, H, nCtx]);
}

/** Appends the forward pass to `g`; B is the batch dimension (a number or a name). */
export function buildForward(
  g: Graph,
  c: ModelConfig,
  w: ParamValues,
  embedded: Embedded,
  B: number | string,
): { logits: Value; hooks: GraphHooks } {
  const { d_model: D, n_heads: H, d_head: E } = c;
  const HE = H * E;
  // Per-head weights side by side: W_Q [H, D, E] → [D, H·E]; W_O [H, E, D] → [H·E, D].
  const heads = (W: Value) => g.reshape(g.transpose(W, [1, 0, 2]), [D, HE]);
  const flatBias = (b: Value) => g.reshape(b, [HE]);
  // Keys and values depend only on (position, token), and are linear in the embedding:
  // (W_E[t] + W_pos[i]) W + b = (W_E W)[t] + (W_pos W + b)[i]. Two small tables and a lookup
  // replace a projection of every position of every input (exact; a third of the step's work).
  const tables = (W: Value, b: Value) => {
    const Wh = heads(W);
    return {
      byToken: g.matmul(w['embed.W_E'], Wh), // [vocab, H·E]
      byPosition: g.add(g.matmul(w['pos_embed.W_pos'], Wh), flatBias(b)), // [3, H·E]
    };
  };
  const lookup = (t: { byToken: Value; byPosition: Value }) =>
    g.add(g.gather(t.byToken, embedded.tokens), t.byPosition); // [B, 3, width]
  const attention = g.within('attention', () => {
    const keys = g.within('embedding', () =>
      tables(w['blocks.0.attn.W_K'], w['blocks.0.attn.b_K']),
    );
    const values = g.within('embedding', () =>
      tables(w['blocks.0.attn.W_V'], w['blocks.0.attn.b_V']),
    );
    const v = g.within('embedding', () => g.reshape(lookup(values), [B, nCtx, H, E]));
    // The last position's embedding: W_E[t₂] + W_pos[2] (a one-hot row picks W_pos[2]).
    const lastPos = g.matmul(g.constant([0, 0, 1], [1, nCtx]), w['pos_embed.W_pos']);
    const residPre = g.add(embedded.last, lastPos);
    const qRows = g.add(
      g.matmul(residPre, heads(w['blocks.0.attn.W_Q'])),
      flatBias(w['blocks.0.attn.b_Q']),
    );
    const scale = 1 / Math.sqrt(E);
    let scores: Value; // [B, 3, H]
    if (residPre.shape[0] === 1) {
      // One query for the whole batch (every input ends in '='): the scores are tables too. The
      // query becomes a block matrix [H·E, H] (head h's query in column h, scaled), so that a
      // table of keys times it gives each head's score for each token and position.
      const blocks = Array.from({ length: HE * H }, (_, k) =>
        Math.floor(k / H / E) === k % H ? scale : 0,
      );
      const query = g.mul(g.reshape(qRows, [HE, 1]), g.constant(blocks, [HE, H]));
      scores = lookup({
        byToken: g.matmul(keys.byToken, query),
        byPosition: g.matmul(keys.byPosition, query),
      });
    } else {
      const k = g.reshape(lookup(keys), [B, nCtx, H, E]);
      const q = g.reshape(qRows, [residPre.shape[0]!, 1, H, E]);
      scores = g.mul(g.reduceSum(g.mul(k, q), [3], false), g.scalar(scale));
    }
    const pattern = g.softmax(scores, 1); // [B, 3, H]: over the positions
    const weighted = g.mul(g.reshape(pattern, [B, nCtx, H, 1]), v);
    const z = g.reshape(g.reduceSum(weighted, [1], false), [B, HE]);
    const attnOut = g.add(
      g.matmul(z, g.reshape(w['blocks.0.attn.W_O'], [HE, D])),
      w['blocks.0.attn.b_O'],
    );
    return { residPre, pattern, attnOut, residMid: g.add(residPre, attnOut) };
  });
  const { residPre, pattern, attnOut, residMid } = attention;
  const mlp = g.within('MLP', () => {
    const mlpPre = g.add(g.matmul(residMid, w['blocks.0.mlp.W_in']), w['blocks.0.mlp.b_in']);
    const mlpPost = g.relu(mlpPre);
    const mlpOut = g.add(g.matmul(mlpPost, w['blocks.0.mlp.W_out']), w['blocks.0.mlp.b_out']);
    return { mlpPre, mlpPost, residPost: g.add(residMid, mlpOut) };
  });
  const { mlpPre, mlpPost, residPost } = mlp;
  const logits = g.within('unembed', () =>
    g.add(g.matmul(residPost, w['unembed.W_U']), w['unembed.b_U']),
  );
  return {
    logits,
    hooks: {
      pattern,
      resid_pre: residPre,
      attn_out: attnOut,
      resid_mid: residMid,
      mlp_pre: mlpPre,
      mlp_post: mlpPost,
      resid_post: residPost,
    },
  };
}
