// The training-step graph: forward pass, its gradient, and the AdamW update (PyTorch's formulas),
// from parameters and moments in to new parameters, moments and the loss out.
import { Graph } from '../onnx/graph.ts';
import { gradients } from '../onnx/grad.ts';
import { nCtx, type ModelConfig } from '../modarith/config.ts';
import { buildForward, type ParamValues } from '../modarith/graph.ts';
import { paramNames, paramShapes } from '../modarith/params.ts';

export interface AdamW {
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Names of the step graph's feeds and fetches for parameter `name`. */
export const slot = {
  m: (name: string) => `m.${name}`,
  v: (name: string) => `v.${name}`,
  newParam: (name: string) => `new.${name}`,
  newM: (name: string) => `new_m.${name}`,
  newV: (name: string) => `new_v.${name}`,
  grad: (name: string) => `grad.${name}`,
};

/**
 * One full-batch AdamW step on `batch` examples. Feeds: every parameter, its moments m.* and v.*,
 * the scalars lr, bias_correction1 (1 − β₁ᵗ) and bias_correction2 (1 − β₂ᵗ), tokens int64
 * [batch, 3] and onehot_labels [batch, p]. Fetches: loss, new.*, new_m.*, new_v.* (and grad.*
 * when `withGradients`).
 */
export function trainingGraph(
  c: ModelConfig,
  batch: number,
  opt: AdamW,
  withGradients = false,
): Graph {
  const g = new Graph();
  const shapes = paramShapes(c);
  const w = {} as ParamValues;
  for (const name of paramNames) w[name] = g.input(name, shapes[name]);
  const moments = paramNames.map((name) => ({
    m: g.input(slot.m(name), shapes[name]),
    v: g.input(slot.v(name), shapes[name]),
  }));
  const lr = g.input('lr', []);
  const bc1 = g.input('bias_correction1', []);
  const bc2 = g.input('bias_correction2', []);
  const vocab = c.p + 1;
  const tokens = g.input('tokens', [batch, nCtx], 'int64');
  const labels = g.input('onehot_labels', [batch, c.p]);

  // Every input ends in '=': the last position's embedding is one row, the same for the batch.
  const equals = Array.from({ length: vocab }, (_, t) => (t === c.p ? 1 : 0));
  const last = g.within('attention', () =>
    g.matmul(g.constant(equals, [1, vocab]), w['embed.W_E']),
  );
  const { logits } = buildForward(g, c, w, { tokens, last }, batch);
  const loss = g.within('loss', () => {
    const logProbs = g.logSoftmax(logits, -1);
    const total = g.reduceSum(g.mul(labels, logProbs), [0, 1], false);
    return g.mul(total, g.scalar(-1 / batch));
  });
  const grads = gradients(
    g,
    loss,
    paramNames.map((name) => w[name]),
  );

  g.output(loss, 'loss');
  g.within('AdamW', () => {
    // AdamW as torch.optim.AdamW computes it: decay, moments, then the bias-corrected step.
    const decay = g.sub(g.scalar(1), g.mul(lr, g.scalar(opt.weightDecay)));
    const stepSize = g.div(lr, bc1);
    const sqrtBc2 = g.sqrt(bc2);
    paramNames.forEach((name, k) => {
      const grad = grads[k]!;
      const { m, v } = moments[k]!;
      const m1 = g.add(g.mul(m, g.scalar(opt.beta1)), g.mul(grad, g.scalar(1 - opt.beta1)));
      const v1 = g.add(
        g.mul(v, g.scalar(opt.beta2)),
        g.mul(g.mul(grad, grad), g.scalar(1 - opt.beta2)),
      );
      const denom = g.add(g.div(g.sqrt(v1), sqrtBc2), g.scalar(opt.eps));
      const update = g.mul(stepSize, g.div(m1, denom));
      g.output(g.sub(g.mul(w[name], decay), update), slot.newParam(name));
      g.output(m1, slot.newM(name));
      g.output(v1, slot.newV(name));
      if (withGradients) g.output(grad, slot.grad(name));
    });
  });
  return g;
}

/** The learning rate at step t (1-based): linear warm-up as PyTorch's LambdaLR gives it. */
export function learningRate(lr: number, warmup: number, t: number): number {
  return warmup > 0 ? lr * Math.min((t - 1) / warmup, 1) : lr;
}
