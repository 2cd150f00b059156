// The loss check: the training loss and its gradient on batches of logits with a float64 reference
// (tests/fixtures/loss, scripts/goldens_loss.py), run by the unit tests on onnxruntime-node and
// WASM and by the /check/ page on the browser's own backends.
import { gradients } from '../onnx/grad.ts';
import { Graph } from '../onnx/graph.ts';
import { crossEntropy, type LossKind } from './loss.ts';
import type { OrtModule } from './trainer.ts';

/** One batch: float32 logits [batch, p] a-major, labels [batch], and the float64 results. */
export interface LossBatch {
  margin: number;
  logits: number[];
  labels: number[];
  loss: number;
  /** d loss / d logits [batch, p] */
  grad: number[];
}

export interface LossGolden {
  batch: number;
  p: number;
  batches: LossBatch[];
}

/** Within this of the reference, relative, or below `floor` apart: as exact as float32 allows. */
export const lossTolerance = { relative: 1e-3, floor: 1e-30 };

/** Feeds logits and one-hot labels; fetches the loss and its gradient with respect to the logits. */
export function lossCheckGraph({ batch, p }: LossGolden, kind: LossKind): Graph {
  const g = new Graph();
  const logits = g.input('logits', [batch, p]);
  const labels = g.input('onehot_labels', [batch, p]);
  const { loss, dLogits } = crossEntropy(g, logits, labels, kind, batch);
  g.output(loss, 'loss');
  g.output(dLogits ?? gradients(g, loss, [logits])[0]!, 'grad');
  return g;
}

/** The graph's feeds for one batch. */
export function lossFeeds(ort: OrtModule, { batch, p }: LossGolden, b: LossBatch) {
  const onehot = new Float32Array(batch * p);
  b.labels.forEach((y, i) => (onehot[i * p + y] = 1));
  return {
    logits: new ort.Tensor('float32', Float32Array.from(b.logits), [batch, p]),
    onehot_labels: new ort.Tensor('float32', onehot, [batch, p]),
  };
}

/** What differs from the reference beyond `lossTolerance`: empty when the batch is right. */
export function lossMismatches(b: LossBatch, loss: number, grad: ArrayLike<number>): string[] {
  const off = (x: number, y: number) =>
    !(Math.abs(x - y) <= Math.max(lossTolerance.relative * Math.abs(y), lossTolerance.floor));
  const found: string[] = [];
  if (off(loss, b.loss)) found.push(`loss ${loss} against ${b.loss}`);
  for (let i = 0; i < b.grad.length; i++) {
    if (off(grad[i]!, b.grad[i]!)) {
      found.push(`gradient entry ${i}: ${grad[i]} against ${b.grad[i]}`);
      break;
    }
  }
  return found;
}
