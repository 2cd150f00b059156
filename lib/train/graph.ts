// The training-step graph: forward pass, its gradient, and the AdamW update (PyTorch's formulas),
// from parameters and moments in to new parameters, moments and the loss out.
import { Graph } from '../onnx/graph.ts';
import { gradients } from '../onnx/grad.ts';
import { nCtx, type ModelConfig } from '../modarith/config.ts';
import { buildForward, type ParamValues } from '../modarith/graph.ts';
import { absentFromPaper, flatLayout, paramNames, paramShapes } from '../modarith/params.ts';
import { sizeOf } from '../modarith/tensor.ts';
import { crossEntropy, type LossKind } from './loss.ts';

export interface AdamW {
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Which model is trained: the paper's (App. A) or TransformerLens's, which trains every bias. */
export const architectures = ['paper', 'transformerlens'] as const;
export type Architecture = (typeof architectures)[number];

/** What the step computes besides the model: its loss, which parameters it trains. */
export interface StepOptions {
  loss: LossKind;
  architecture: Architecture;
  /** Also fetch the gradients (for tests). */
  withGradients?: boolean;
}

/** Names of a parameter's moments in a checkpoint file (lib/train/checkpoint.ts). */
export const slot = {
  m: (name: string) => `m.${name}`,
  v: (name: string) => `v.${name}`,
};

/**
 * The step graph's flat feeds and fetches: every parameter end to end in `paramNames` order
 * (`flatLayout`), and the moments in the same layout.
 */
export const flat = {
  params: 'params',
  m: 'm',
  v: 'v',
  newParams: 'new_params',
  newM: 'new_m',
  newV: 'new_v',
  grads: 'grads',
} as const;

/**
 * One full-batch AdamW step on `batch` examples. Feeds: the parameters, their moments m and v
 * (flat, see `flat`), the scalars lr, bias_correction1 (1 − β₁ᵗ) and bias_correction2 (1 − β₂ᵗ),
 * tokens int64 [batch, 3] and onehot_labels [batch, p]. Fetches: loss, new_params, new_m, new_v
 * (and grads when `withGradients`). One flat vector makes AdamW a dozen operators over all the
 * parameters at once instead of a dozen per parameter. For the paper's architecture the biases it
 * lacks get no gradient and no decay: they stay exactly as they are (zero from initParams).
 */
export function trainingGraph(
  c: ModelConfig,
  batch: number,
  opt: AdamW,
  { loss: lossKind, architecture, withGradients = false }: StepOptions,
): Graph {
  const g = new Graph();
  const shapes = paramShapes(c);
  const { total } = flatLayout(c);
  const params = g.input(flat.params, [total]);
  const m = g.input(flat.m, [total]);
  const v = g.input(flat.v, [total]);
  const w = {} as ParamValues;
  g.within('parameters', () => {
    const pieces = g.split(
      params,
      paramNames.map((name) => sizeOf(shapes[name])),
    );
    paramNames.forEach((name, k) => (w[name] = g.reshape(pieces[k]!, shapes[name])));
  });
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
  const { loss, dLogits } = g.within('loss', () =>
    crossEntropy(g, logits, labels, lossKind, batch),
  );
  const wrt = paramNames.map((name) => w[name]);
  const grads = dLogits ? gradients(g, logits, wrt, dLogits) : gradients(g, loss, wrt);

  g.output(loss, 'loss');
  // 1 for a trained parameter's entries, 0 for one the architecture holds fixed.
  const frozen = architecture === 'paper' ? absentFromPaper : new Set<string>();
  const trained =
    frozen.size === 0
      ? undefined
      : g.constant(
          paramNames.flatMap((name) =>
            Array<number>(sizeOf(shapes[name])).fill(frozen.has(name) ? 0 : 1),
          ),
          [total],
        );
  const grad = g.within('parameters', () => {
    const joined = g.concat(
      paramNames.map((name, k) => g.reshape(grads[k]!, [sizeOf(shapes[name])])),
    );
    return trained ? g.mul(joined, trained) : joined;
  });
  if (withGradients) g.output(grad, flat.grads);
  g.within('AdamW', () => {
    // AdamW as torch.optim.AdamW computes it: decay, moments, then the bias-corrected step.
    const rate = g.mul(lr, g.scalar(opt.weightDecay));
    const decay = g.sub(g.scalar(1), trained ? g.mul(rate, trained) : rate);
    const stepSize = g.div(lr, bc1);
    const sqrtBc2 = g.sqrt(bc2);
    const m1 = g.add(g.mul(m, g.scalar(opt.beta1)), g.mul(grad, g.scalar(1 - opt.beta1)));
    const v1 = g.add(
      g.mul(v, g.scalar(opt.beta2)),
      g.mul(g.mul(grad, grad), g.scalar(1 - opt.beta2)),
    );
    const denom = g.add(g.div(g.sqrt(v1), sqrtBc2), g.scalar(opt.eps));
    const update = g.mul(stepSize, g.div(m1, denom));
    g.output(g.sub(g.mul(params, decay), update), flat.newParams);
    g.output(m1, flat.newM);
    g.output(v1, flat.newV);
  });
  return g;
}

/** The learning rate at step t (1-based): linear warm-up as PyTorch's LambdaLR gives it. */
export function learningRate(lr: number, warmup: number, t: number): number {
  return warmup > 0 ? lr * Math.min((t - 1) / warmup, 1) : lr;
}
