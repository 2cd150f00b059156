// The inference graph: tokens int64 [batch, 3] in; logits [batch, p] and the views' hooks out.
import { Graph, type Value } from '../onnx/graph.ts';
import type { ModelConfig } from './config.ts';
import { buildForward, headsFirst, type ParamValues } from './graph.ts';
import { paramNames, paramShapes, type Params } from './params.ts';

/** Hook outputs of the inference graph, named after TransformerLens hooks. */
export const hookOutputs = [
  'attn_pattern',
  'resid_pre',
  'attn_out',
  'resid_mid',
  'mlp_pre',
  'mlp_post',
  'resid_post',
] as const;

/**
 * The inference graph. With `params` the weights are stored in the model (the file the site
 * ships); without, every parameter is an input named as in TransformerLens (for a trainer that
 * evaluates its current weights).
 */
export function inferenceGraph(c: ModelConfig, params?: Params): Graph {
  const g = new Graph();
  const shapes = paramShapes(c);
  const w = {} as ParamValues;
  for (const name of paramNames) {
    w[name] = params
      ? g.constant(params[name].data, shapes[name], name)
      : g.input(name, shapes[name]);
  }
  const tokens = g.input('tokens', ['batch', 3], 'int64');
  const lastToken = g.reshape(g.gather(tokens, g.ints([2]), 1), ['batch']);
  const last: Value = g.gather(w['embed.W_E'], lastToken); // [batch, d_model]
  const { logits, hooks } = buildForward(g, c, w, { tokens, last }, 'batch');
  g.output(logits, 'logits');
  // Rearranged here, not in buildForward: the training step has no use for it, and onnxruntime-web
  // ran even an unused transpose of it.
  const outputs = { ...hooks, attn_pattern: headsFirst(g, hooks.pattern, 'batch', c.n_heads) };
  for (const name of hookOutputs) g.output(outputs[name], name);
  return g;
}
