// Runs the pretrained model off the main thread: downloads it with progress, opens an
// onnxruntime-web session (WebGPU or WASM) and runs all p² inputs in one batch.
import { allInputs } from '../lib/modarith/forward.ts';
import { executionProviders, hasWebGpu, webOrt, type Backend } from '../lib/train/browser-ort.ts';

export interface ModelRequest {
  url: string;
  p: number;
  backend: Backend;
}

export type ModelMessage =
  | { type: 'download'; loaded: number; total: number }
  | { type: 'ready'; backend: Backend }
  | {
      type: 'outputs';
      /** [p², p] */
      logits: Float32Array;
      /** [p², n_heads, 3] */
      attn_pattern: Float32Array;
      /** [p², d_mlp] */
      mlp_post: Float32Array;
      ms: number;
    }
  | { type: 'error'; message: string };

const post = (message: ModelMessage, transfer: Transferable[] = []) =>
  postMessage(message, { transfer });

async function download(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body)
    throw new Error(`The model could not be downloaded (${response.status}).`);
  const total = Number(response.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (const reader = response.body.getReader(); ;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    post({ type: 'download', loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

async function run({ url, p, backend: asked }: ModelRequest): Promise<void> {
  const ort = webOrt();
  const backend: Backend = asked === 'webgpu' && (await hasWebGpu()) ? 'webgpu' : 'wasm';
  const bytes = await download(url);
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: executionProviders(backend),
    logSeverityLevel: 3,
  });
  post({ type: 'ready', backend });
  const tokens = BigInt64Array.from(allInputs(p), (t) => BigInt(t));
  const start = performance.now();
  const out = await session.run({ tokens: new ort.Tensor('int64', tokens, [p * p, 3]) }, [
    'logits',
    'attn_pattern',
    'mlp_post',
  ]);
  const ms = performance.now() - start;
  const get = async (name: string) =>
    Float32Array.from((await out[name]!.getData()) as Float32Array);
  const [logits, attn, mlp] = [
    await get('logits'),
    await get('attn_pattern'),
    await get('mlp_post'),
  ];
  post({ type: 'outputs', logits, attn_pattern: attn, mlp_post: mlp, ms }, [
    logits.buffer,
    attn.buffer,
    mlp.buffer,
  ]);
  await session.release();
}

addEventListener('message', (event: MessageEvent<ModelRequest>) => {
  run(event.data).catch((error: unknown) =>
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
