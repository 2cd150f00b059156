// Runs a modular-addition transformer off the main thread: downloads the site's model (or takes a
// file the student dropped), opens an onnxruntime-web session (WebGPU or WASM), runs all p²
// inputs in one batch, then works out the model's progress measures. The worker entries
// (model.wasm.worker.ts, model.webgpu.worker.ts) bring their onnxruntime-web build.
import { errorMessage } from '../lib/errors.ts';
import { allInputs } from '../lib/modarith/forward.ts';
import { progressMeasures, type ProgressMeasures } from '../lib/modarith/progress.ts';
import { openModelFile, viewOutputs } from '../lib/modarith/model-file.ts';
import { viewsGraph } from '../lib/modarith/views-graph.ts';
import { fetchBytes, type DownloadMessage, type Downloaded } from '../lib/fetch-progress.ts';
import {
  executionProviders,
  fetchRuntime,
  hasWebGpu,
  runtimeName,
  type Backend,
} from '../lib/train/browser-ort.ts';
import type { WebOrt } from './ort-wasm.ts';

/** Where the model comes from; `name` is how messages call it. */
export type ModelSource = { name: string } & (
  { url: string; splitUrl?: string } | { bytes: Uint8Array }
);

export interface ModelRequest {
  source: ModelSource;
}

export type ModelMessage =
  | DownloadMessage
  /** What the worker is doing now, in words */
  | { type: 'stage'; text: string }
  | { type: 'ready'; backend: Backend; format: 'safetensors' | 'onnx' | 'pth' }
  | {
      type: 'outputs';
      p: number;
      nHeads: number;
      dMlp: number;
      /** [p², p] */
      logits: Float32Array;
      /** [p², n_heads, 3] */
      attn_pattern: Float32Array;
      /** [p², d_mlp] */
      mlp_post: Float32Array;
      ms: number;
    }
  /** Excluded loss needs the split (the site's model only); Gini and Σw² need the weights */
  | { type: 'measures'; measures: ProgressMeasures }
  | { type: 'error'; message: string };

const post = (message: ModelMessage, transfer: Transferable[] = []) =>
  postMessage(message, { transfer });

async function run(ort: WebOrt, built: Backend, { source }: ModelRequest): Promise<void> {
  const backend: Backend = built === 'webgpu' && (await hasWebGpu()) ? 'webgpu' : 'wasm';
  const { name } = source;
  const downloading = (what: string) => (at: Downloaded) => post({ type: 'download', what, ...at });
  const bytes =
    'url' in source
      ? await fetchBytes(source.url, 'the model', downloading('the model'))
      : source.bytes;
  post({ type: 'stage', text: 'Reading and checking the weights…' });
  const file = openModelFile(bytes, name);
  // With the weights at hand, the folded graph computes the same outputs with half the arithmetic.
  const onnx =
    file.params && file.config ? viewsGraph(file.config, file.params).toModel() : file.onnx;
  await fetchRuntime(ort, downloading(runtimeName));
  post({
    type: 'stage',
    text: `Starting onnxruntime on ${backend === 'webgpu' ? 'WebGPU' : 'WASM'}…`,
  });
  const session = await ort.InferenceSession.create(onnx, {
    executionProviders: executionProviders(backend),
    logSeverityLevel: 3,
  });
  post({ type: 'ready', backend, format: file.format });
  post({ type: 'stage', text: 'Running the model on every input…' });
  // p from the weights, or, for an ONNX file without them, from the logits of one input.
  let p = file.config?.p;
  if (p === undefined) {
    const probe = await session.run(
      { tokens: new ort.Tensor('int64', BigInt64Array.from([0n, 0n, 0n]), [1, 3]) },
      ['logits'],
    );
    p = probe['logits']!.dims[1]!;
  }
  const tokens = BigInt64Array.from(allInputs(p), (t) => BigInt(t));
  // The '=' token is p: a model whose vocabulary is not p + 1 fails here with ORT's message.
  const start = performance.now();
  const out = await session.run({ tokens: new ort.Tensor('int64', tokens, [p * p, 3]) }, [
    ...viewOutputs,
  ]);
  const ms = performance.now() - start;
  const get = async (key: string) => Float32Array.from((await out[key]!.getData()) as Float32Array);
  const [logits, attn, mlp] = [
    await get('logits'),
    await get('attn_pattern'),
    await get('mlp_post'),
  ];
  const nHeads = out['attn_pattern']!.dims[1]!;
  const dMlp = out['mlp_post']!.dims[1]!;
  await session.release();
  for (const [key, values] of [
    ['logits', logits],
    ['mlp_post', mlp],
  ] as const) {
    if (!values.every(Number.isFinite)) {
      throw new Error(`Non-finite ${key} (NaN or ∞) from ${name}: its weights are broken.`);
    }
  }
  // Copies go to the page; the worker keeps its own for the measures.
  post(
    {
      type: 'outputs',
      p,
      nHeads,
      dMlp,
      logits: logits.slice(),
      attn_pattern: attn,
      mlp_post: mlp.slice(),
      ms,
    },
    [attn.buffer],
  );

  const train =
    'url' in source && source.splitUrl
      ? ((await (await fetch(source.splitUrl)).json()) as number[])
      : undefined;
  const measures = progressMeasures({
    p,
    op: file.op,
    logits,
    mlpPost: mlp,
    ...(train && { train }),
    ...(file.params && { params: file.params, embeddingNorms: true }),
  });
  post({ type: 'measures', measures });
}

/** Answers the page's request with `ort`, a build for `backend`. */
export function serveModel(ort: WebOrt, backend: Backend): void {
  // onnxruntime's threads run this script too; they must leave the messages to onnxruntime.
  if (self.name === 'em-pthread') return;
  addEventListener('message', (event: MessageEvent<ModelRequest>) => {
    run(ort, backend, event.data).catch((error: unknown) =>
      post({ type: 'error', message: errorMessage(error) }),
    );
  });
}
