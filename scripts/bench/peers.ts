// The JavaScript peers of `npm run bench`: the same training step (one-hot embedding, last
// position only, full batch, AdamW) written in TensorFlow.js (WASM backend) and in jax-js (WASM
// device, jit). Bench-only code: the site ships neither library.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { jit, numpy as np, nn, valueAndGrad, init, defaultDevice } from '@jax-js/jax';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { median } from '../../lib/median.ts';
import { makeDataset, splitDataset, tokensOf } from '../../lib/modarith/data.ts';
import { gaussian } from '../../lib/modarith/params.ts';
import type { TrainSettings } from '../../lib/train/trainer.ts';

/** Parameter shapes with heads side by side (W_Q as [d_model, heads·d_head]): same FLOPs. */
function shapes(s: TrainSettings): Record<string, number[]> {
  const { p, d_model: D, n_heads: H, d_head: E, d_mlp: M } = s.config;
  return {
    WE: [p + 1, D],
    Wpos: [3, D],
    WQ: [D, H * E],
    WK: [D, H * E],
    WV: [D, H * E],
    WO: [H * E, D],
    Win: [D, M],
    bin: [M],
    Wout: [M, D],
    bout: [D],
    WU: [D, p],
  };
}

function initial(s: TrainSettings): Record<string, Float32Array<ArrayBuffer>> {
  const normal = gaussian(1);
  return Object.fromEntries(
    Object.entries(shapes(s)).map(([k, shape]) => {
      const n = shape.reduce((a, b) => a * b, 1);
      return [k, Float32Array.from({ length: n }, () => (k.startsWith('b') ? 0 : normal() * 0.08))];
    }),
  );
}

/** One-hot token rows [3·n, p+1] and one-hot labels [n, p] of the training inputs. */
function batch(s: TrainSettings) {
  const { p } = s.config;
  const data = makeDataset(s.op, p);
  const { train } = splitDataset(data, s.fraction, s.seed);
  const tokens = new Float32Array(3 * train.length * (p + 1));
  const labels = new Float32Array(train.length * p);
  train.forEach((i, row) => {
    tokensOf(i, p).forEach((t, pos) => (tokens[(3 * row + pos) * (p + 1) + t] = 1));
    labels[row * p + data.labels[i]!] = 1;
  });
  return { tokens, labels, n: train.length };
}

/** ms per step (median) for TensorFlow.js on its WASM backend. */
export async function tfjsStep(
  s: TrainSettings,
  steps: number,
): Promise<{ ms: number; version: string }> {
  const wasmDir = dirname(
    createRequire(import.meta.url).resolve(
      '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
    ),
  );
  setWasmPaths(wasmDir + '/');
  await tf.setBackend('wasm');
  const { p, d_model: D, n_heads: H, d_head: E } = s.config;
  const b = batch(s);
  const B = b.n;
  const vars = Object.fromEntries(
    Object.entries(initial(s)).map(([k, v]) => [
      k,
      tf.variable(tf.tensor(v, shapes(s)[k]), true, k),
    ]),
  );
  const m: Record<string, tf.Tensor> = Object.fromEntries(
    Object.entries(vars).map(([k, v]) => [k, tf.zerosLike(v)]),
  );
  const v2: Record<string, tf.Tensor> = Object.fromEntries(
    Object.entries(vars).map(([k, v]) => [k, tf.zerosLike(v)]),
  );
  const tokens = tf.tensor2d(b.tokens, [3 * B, p + 1]);
  const labels = tf.tensor2d(b.labels, [B, p]);
  const eq = tf.cast(tf.oneHot(tf.tensor1d([p], 'int32'), p + 1), 'float32');
  const loss = () => {
    const w = vars as Record<string, tf.Variable>;
    const x = tf.add(tf.reshape(tf.matMul(tokens, w['WE']!), [B, 3, D]), w['Wpos']!);
    const rows = tf.reshape(x, [3 * B, D]);
    const k = tf.reshape(tf.matMul(rows, w['WK']!), [B, 3, H, E]);
    const v = tf.reshape(tf.matMul(rows, w['WV']!), [B, 3, H, E]);
    const last = tf.add(tf.matMul(eq, w['WE']!), tf.slice(w['Wpos']!, [2, 0], [1, D]));
    const q = tf.reshape(tf.matMul(last, w['WQ']!), [1, 1, H, E]);
    const pattern = tf.softmax(
      tf.transpose(tf.mul(tf.sum(tf.mul(k, q), 3), 1 / Math.sqrt(E)), [0, 2, 1]),
    );
    const z = tf.reshape(
      tf.sum(tf.mul(tf.reshape(tf.transpose(pattern, [0, 2, 1]), [B, 3, H, 1]), v), 1),
      [B, H * E],
    );
    const mid = tf.add(last, tf.matMul(z, w['WO']!));
    const post = tf.relu(tf.add(tf.matMul(mid, w['Win']!), w['bin']!));
    const out = tf.add(mid, tf.add(tf.matMul(post, w['Wout']!), w['bout']!));
    const logits = tf.matMul(out, w['WU']!);
    return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  };
  let t = 0;
  const step = () => {
    t++;
    tf.tidy(() => {
      const { grads } = tf.variableGrads(loss);
      for (const [k, w] of Object.entries(vars)) {
        const g = grads[k]!;
        const m1 = tf.add(tf.mul(m[k]!, s.beta1), tf.mul(g, 1 - s.beta1));
        const v1 = tf.add(tf.mul(v2[k]!, s.beta2), tf.mul(tf.square(g), 1 - s.beta2));
        const update = tf.div(
          tf.mul(m1, s.lr / (1 - s.beta1 ** t)),
          tf.add(tf.sqrt(tf.div(v1, 1 - s.beta2 ** t)), 1e-8),
        );
        w.assign(tf.sub(tf.mul(w, 1 - s.lr * s.weightDecay), update));
        m[k]!.dispose();
        v2[k]!.dispose();
        m[k] = tf.keep(m1);
        v2[k] = tf.keep(v1);
      }
    });
  };
  const times: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const start = performance.now();
    step();
    await vars['WE']!.data();
    if (i >= 2) times.push(performance.now() - start);
  }
  tf.disposeVariables();
  return { ms: median(times), version: tf.version_core };
}

/** ms per step (median) for jax-js on its WASM device, the step under jit(valueAndGrad). */
export async function jaxStep(
  s: TrainSettings,
  steps: number,
): Promise<{ ms: number; version: string }> {
  (globalThis as { navigator?: object }).navigator ??= {};
  await init();
  defaultDevice('wasm');
  const { p, d_model: D, n_heads: H, d_head: E } = s.config;
  const b = batch(s);
  const B = b.n;
  type Params = { [k: string]: np.Array };
  const sh = shapes(s);
  let params: Params = Object.fromEntries(
    Object.entries(initial(s)).map(([k, v]) => [k, np.array(v).reshape(sh[k]!)]),
  );
  let m: Params = Object.fromEntries(Object.entries(sh).map(([k, shape]) => [k, np.zeros(shape)]));
  let v: Params = Object.fromEntries(Object.entries(sh).map(([k, shape]) => [k, np.zeros(shape)]));
  const tokens = np.array(b.tokens).reshape([3 * B, p + 1]);
  const labels = np.array(b.labels).reshape([B, p]);
  const eqRow = new Float32Array(p + 1);
  eqRow[p] = 1;
  const eq = np.array(eqRow).reshape([1, p + 1]);
  const pos2 = np.array(Float32Array.of(0, 0, 1)).reshape([1, 3]);
  const lossFn = (w: Params, tok: np.Array, lab: np.Array, e: np.Array, p2: np.Array) => {
    const WE = w['WE']!;
    const Wpos = w['Wpos']!;
    const x = np.matmul(tok, WE.ref).reshape([B, 3, D]).add(Wpos.ref);
    const rows = x.reshape([3 * B, D]);
    const k = np.matmul(rows.ref, w['WK']!).reshape([B, 3, H, E]);
    const vv = np.matmul(rows, w['WV']!).reshape([B, 3, H, E]);
    const last = np.matmul(e, WE).add(np.matmul(p2, Wpos));
    const q = np.matmul(last.ref, w['WQ']!).reshape([1, 1, H, E]);
    const scores = k
      .mul(q)
      .sum(3)
      .mul(1 / Math.sqrt(E));
    const pattern = nn.softmax(scores, 1).reshape([B, 3, H, 1]);
    const z = pattern
      .mul(vv)
      .sum(1)
      .reshape([B, H * E]);
    const mid = last.add(np.matmul(z, w['WO']!));
    const post = nn.relu(np.matmul(mid.ref, w['Win']!).add(w['bin']!));
    const out = mid.add(np.matmul(post, w['Wout']!).add(w['bout']!));
    const logits = np.matmul(out, w['WU']!);
    return lab
      .mul(nn.logSoftmax(logits, 1))
      .sum()
      .mul(-1 / B);
  };
  const step = jit(valueAndGrad(lossFn));
  let t = 0;
  const times: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const start = performance.now();
    t++;
    // jax-js functions take ownership of their arguments: pass new references to what we keep.
    const kept: Params = Object.fromEntries(Object.entries(params).map(([k, a]) => [k, a.ref]));
    const [loss, grads] = step(kept, tokens.ref, labels.ref, eq.ref, pos2.ref) as [
      np.Array,
      Params,
    ];
    const next: Params = {};
    const nextM: Params = {};
    const nextV: Params = {};
    for (const key of Object.keys(params)) {
      const g = grads[key]!;
      const m1 = m[key]!.mul(s.beta1).add(g.ref.mul(1 - s.beta1));
      const v1 = v[key]!.mul(s.beta2).add(g.ref.mul(g).mul(1 - s.beta2));
      const update = m1.ref
        .mul(s.lr / (1 - s.beta1 ** t))
        .div(np.sqrt(v1.ref.mul(1 / (1 - s.beta2 ** t))).add(1e-8));
      next[key] = params[key]!.mul(1 - s.lr * s.weightDecay).sub(update);
      nextM[key] = m1;
      nextV[key] = v1;
    }
    [params, m, v] = [next, nextM, nextV];
    await loss.data();
    await params['WE']!.ref.data();
    if (i >= 2) times.push(performance.now() - start);
  }
  return { ms: median(times), version: '0.1.25' };
}
