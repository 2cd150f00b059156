// Attributions of the pretrained transformer's answer to its three token embeddings, off the main
// thread: loads the model's safetensors once, then answers one request at a time with progress.
import { errorMessage } from '../lib/errors.ts';
import { groupSums, integratedGradients, saliency } from '../lib/attribution/integrated.ts';
import {
  centredLogit,
  embeddingBaseline,
  tokenEmbeddings,
  type EmbeddingBaseline,
} from '../lib/attribution/transformer.ts';
import { loadModel, type LoadedModel } from '../lib/modarith/safetensors.ts';

export interface AttributionRequest {
  url: string;
  a: number;
  b: number;
  answer: number;
  baseline: EmbeddingBaseline;
  steps: number;
}

export type AttributionMessage =
  | { type: 'progress'; done: number; total: number }
  | {
      type: 'result';
      /** Per token (a, b, '='): Σ_d x_d ∂f/∂x_d, [3] */
      gradientTimesInput: number[];
      /** Per token: the gradient's length ‖∂f/∂x‖, [3] */
      gradientNorm: number[];
      /** Per token: Σ_d IG_d, [3] */
      integrated: number[];
      value: number;
      baselineValue: number;
      sum: number;
      gap: number;
      ms: number;
    }
  | { type: 'error'; message: string };

const post = (message: AttributionMessage) => postMessage(message);
let model: Promise<LoadedModel> | undefined;

async function load(url: string): Promise<LoadedModel> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The model could not be downloaded (${response.status}).`);
  return loadModel(new Uint8Array(await response.arrayBuffer()));
}

async function attribute(request: AttributionRequest): Promise<void> {
  model ??= load(request.url);
  model.catch(() => (model = undefined));
  const { params, config } = await model;
  const start = performance.now();
  const f = centredLogit(params, config, request.answer);
  const x = tokenEmbeddings(params, config, request.a, request.b);
  const local = saliency(f, x);
  const D = config.d_model;
  const gradientNorm = [0, 1, 2].map((pos) =>
    Math.hypot(...local.gradient.subarray(pos * D, (pos + 1) * D)),
  );
  const every = Math.max(1, Math.floor(request.steps / 20));
  const ig = integratedGradients(
    f,
    x,
    embeddingBaseline(params, config, request.baseline),
    request.steps,
    (done) => {
      if (done % every === 0) post({ type: 'progress', done, total: request.steps });
    },
  );
  post({
    type: 'result',
    gradientTimesInput: [...groupSums(local.gradientTimesInput, D)],
    gradientNorm,
    integrated: [...groupSums(ig.attributions, D)],
    value: ig.value,
    baselineValue: ig.baselineValue,
    sum: ig.sum,
    gap: ig.completenessGap,
    ms: performance.now() - start,
  });
}

addEventListener('message', (event: MessageEvent<AttributionRequest>) => {
  attribute(event.data).catch((error: unknown) =>
    post({ type: 'error', message: errorMessage(error) }),
  );
});
