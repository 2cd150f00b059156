// The training loss, mean cross-entropy over the batch, in two float32 forms: exact, written from
// each example's margin so that it and its gradient stay accurate down to losses of 1e-13, and
// naive, LogSoftmax as PyTorch computes it in float32 (like the low-precision run the paper's
// authors keep in their repository), whose rounding makes the spikes that lesson 8 shows.
import type { Graph, Value } from '../onnx/graph.ts';

export const lossKinds = ['exact', 'naive'] as const;
export type LossKind = (typeof lossKinds)[number];

/** The loss, and for the exact form its gradient with respect to the logits in closed form. */
export interface BatchLoss {
  /** Mean cross-entropy, a scalar */
  loss: Value;
  /** d loss / d logits [B, p]; absent when the graph's own backward pass differentiates `loss` */
  dLogits?: Value;
}

/** Below this, log(1 + u) is taken from its series: 1 + u would lose u's low bits in float32. */
const seriesBelow = 1e-2;

/**
 * Cross-entropy of `logits` [B, p] against one-hot `labels` [B, p], averaged over the B rows.
 *
 * Exact: with d = logsumexp_{j≠y} z_j − z_y (minus the margin), the loss is softplus(d) and
 * d loss / d z = σ(d)·(q − y)/B, where q is the softmax over the wrong answers only. Each piece is
 * a ratio of sums of positive terms, so nothing cancels: the right answer's gradient is
 * −σ(d) = −Σ_{j≠y} p_j, never p_y − 1, which float32 rounds to 0 once p_y rounds to 1. The naive
 * form's gradient then no longer sums to zero over the answers, and Adam, which divides by the
 * gradient's running size, turns that rounding into full-size steps (Nanda et al. 2023's
 * helpers.py casts to float64 for this reason).
 */
export function crossEntropy(
  g: Graph,
  logits: Value,
  labels: Value,
  kind: LossKind,
  batch: number,
): BatchLoss {
  if (kind === 'naive') {
    const summed = g.reduceSum(g.mul(labels, g.logSoftmax(logits, -1)), [0, 1], false);
    return { loss: g.mul(summed, g.scalar(-1 / batch)) };
  }
  const right = g.reduceSum(g.mul(logits, labels), [1], true); // z_y [B, 1]
  // The right answer pushed to −1e30: exp of it is 0, and every other logit is untouched.
  const others = g.sub(logits, g.mul(labels, g.scalar(1e30)));
  const top = g.reduceMax(others, [1]); // [B, 1]
  const scaled = g.exp(g.sub(others, top)); // [B, p], 0 at y
  const total = g.reduceSum(scaled, [1], true); // ≥ 1
  const d = g.add(g.sub(top, right), g.log(total)); // [B, 1]
  // softplus(d) = max(d, 0) + log(1 + u) and σ(d) from u = exp(−|d|) ∈ (0, 1], which never
  // overflows; the masks are products, so no branch can produce a NaN.
  const abs = g.add(g.relu(d), g.relu(g.mul(d, g.scalar(-1))));
  const u = g.exp(g.mul(abs, g.scalar(-1)));
  const small = g.positive(g.sub(g.scalar(seriesBelow), u));
  // u − u²/2 + u³/3 − u⁴/4: error below u⁵/5, a relative 2e-9 at u = 1e-2.
  const series = g.mul(
    u,
    g.sub(
      g.scalar(1),
      g.mul(u, g.sub(g.scalar(0.5), g.mul(u, g.sub(g.scalar(1 / 3), g.mul(u, g.scalar(0.25)))))),
    ),
  );
  const logged = g.log(g.add(g.scalar(1), u));
  const log1p = g.add(g.mul(small, series), g.mul(g.sub(g.scalar(1), small), logged));
  const perExample = g.add(g.relu(d), log1p);
  const loss = g.mul(g.reduceSum(perExample, [0, 1], false), g.scalar(1 / batch));
  // σ(d) = u/(1 + u) when d < 0, 1/(1 + u) otherwise.
  const negative = g.positive(g.mul(d, g.scalar(-1)));
  const numerator = g.add(g.mul(negative, u), g.sub(g.scalar(1), negative));
  const sigma = g.div(numerator, g.add(g.scalar(1), u));
  const q = g.div(scaled, total);
  const dLogits = g.mul(g.mul(sigma, g.scalar(1 / batch)), g.sub(q, labels));
  return { loss, dLogits };
}
