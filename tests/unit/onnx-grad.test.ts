// lib/onnx: every gradient rule against central finite differences, run by onnxruntime-node.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Graph, type Value } from '../../lib/onnx/graph.ts';
import { gradients } from '../../lib/onnx/grad.ts';
import { mulberry32 } from '../../lib/random.ts';

const random = mulberry32(11);
const uniform = (n: number, lo = -1, hi = 1) =>
  Float32Array.from({ length: n }, () => lo + (hi - lo) * random());
const size = (shape: number[]) => shape.reduce((n, d) => n * d, 1);

interface Case {
  name: string;
  inputs: Record<string, { shape: number[]; lo?: number; hi?: number }>;
  build: (g: Graph, x: Record<string, Value>) => Value;
}

/** loss = Σ f(inputs) ⊙ R for a fixed random R, so every output entry matters. */
async function check({ inputs, build }: Case) {
  const forward = () => {
    const g = new Graph();
    const x = Object.fromEntries(Object.entries(inputs).map(([n, s]) => [n, g.input(n, s.shape)]));
    const y = build(g, x);
    const r = g.constant(uniform(size(y.shape as number[])), y.shape as number[]);
    const loss = g.reduceSum(
      g.mul(y, r),
      y.shape.map((_, i) => i),
      false,
    );
    return { g, x, loss };
  };
  const { g, x, loss } = forward();
  const grads = gradients(g, loss, Object.values(x));
  g.output(loss, 'loss');
  grads.forEach((d, k) => g.output(d, `grad_${Object.keys(x)[k]}`));
  const session = await ort.InferenceSession.create(g.toModel());
  const feeds = Object.fromEntries(
    Object.entries(inputs).map(([n, s]) => [
      n,
      new ort.Tensor('float32', uniform(size(s.shape), s.lo, s.hi), s.shape),
    ]),
  );
  const result = await session.run(feeds);
  const lossAt = async (name: string, j: number, delta: number) => {
    const data = Float32Array.from(feeds[name]!.data as Float32Array);
    data[j]! += delta;
    const out = await session.run({
      ...feeds,
      [name]: new ort.Tensor('float32', data, inputs[name]!.shape),
    });
    return (out['loss']!.data as Float32Array)[0]!;
  };
  for (const name of Object.keys(inputs)) {
    const analytic = result[`grad_${name}`]!.data as Float32Array;
    const eps = 1e-2;
    for (let j = 0; j < analytic.length; j++) {
      const numeric = ((await lossAt(name, j, eps)) - (await lossAt(name, j, -eps))) / (2 * eps);
      expect(
        Math.abs(analytic[j]! - numeric),
        `${name}[${j}]: ${analytic[j]} vs ${numeric}`,
      ).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
    }
  }
}

const cases: Case[] = [
  {
    name: 'Add with broadcast',
    inputs: { a: { shape: [3, 4] }, b: { shape: [4] } },
    build: (g, x) => g.add(x['a']!, x['b']!),
  },
  {
    name: 'Sub with broadcast',
    inputs: { a: { shape: [2, 1, 3] }, b: { shape: [4, 3] } },
    build: (g, x) => g.sub(x['a']!, x['b']!),
  },
  {
    name: 'Mul with broadcast',
    inputs: { a: { shape: [3, 4] }, b: { shape: [3, 1] } },
    build: (g, x) => g.mul(x['a']!, x['b']!),
  },
  {
    name: 'Div',
    inputs: { a: { shape: [3, 2] }, b: { shape: [2], lo: 0.5, hi: 2 } },
    build: (g, x) => g.div(x['a']!, x['b']!),
  },
  {
    name: 'MatMul',
    inputs: { a: { shape: [3, 4] }, b: { shape: [4, 5] } },
    build: (g, x) => g.matmul(x['a']!, x['b']!),
  },
  {
    name: 'Relu',
    inputs: { a: { shape: [12], lo: 0.1, hi: 1 }, b: { shape: [12], lo: -1, hi: -0.1 } },
    build: (g, x) => g.add(g.relu(x['a']!), g.relu(x['b']!)),
  },
  { name: 'Exp', inputs: { a: { shape: [2, 3] } }, build: (g, x) => g.exp(x['a']!) },
  { name: 'Sqrt', inputs: { a: { shape: [5], lo: 0.5, hi: 2 } }, build: (g, x) => g.sqrt(x['a']!) },
  { name: 'Softmax', inputs: { a: { shape: [2, 3, 4] } }, build: (g, x) => g.softmax(x['a']!, 1) },
  {
    name: 'LogSoftmax',
    inputs: { a: { shape: [3, 5] } },
    build: (g, x) => g.logSoftmax(x['a']!, -1),
  },
  {
    name: 'ReduceSum keepdims',
    inputs: { a: { shape: [2, 3, 4] } },
    build: (g, x) => g.reduceSum(x['a']!, [0, 2], true),
  },
  {
    name: 'ReduceSum',
    inputs: { a: { shape: [3, 3] } },
    build: (g, x) => g.reduceSum(x['a']!, [0], false),
  },
  {
    name: 'Reshape',
    inputs: { a: { shape: [2, 6] } },
    build: (g, x) => g.mul(g.reshape(x['a']!, [3, 4]), g.reshape(x['a']!, [3, 4])),
  },
  {
    name: 'Transpose',
    inputs: { a: { shape: [2, 3, 4] } },
    build: (g, x) => g.transpose(x['a']!, [2, 0, 1]),
  },
  {
    name: 'Expand',
    inputs: { a: { shape: [3, 1] } },
    build: (g, x) => g.expand(x['a']!, [2, 3, 4]),
  },
  {
    // Rows 0 and 3 are looked up twice and row 2 never: repeated rows must add up, unused stay 0.
    name: 'Gather (rows of a table, some repeated)',
    inputs: { a: { shape: [4, 3] } },
    build: (g, x) => g.gather(x['a']!, g.ints([3, 0, 1, 0, 3, 3])),
  },
  {
    name: 'Gather by a [batch, 3] index, as the trainer looks up keys and values',
    inputs: { a: { shape: [5, 2] } },
    build: (g, x) => g.gather(x['a']!, g.reshape(g.ints([0, 4, 4, 2, 0, 4]), [2, 3])),
  },
  {
    // The sum's gradient reaches the product unexpanded ([2, 1, 4]) and broadcasts there.
    name: 'ReduceSum of a broadcast product, as attention weighs the values',
    inputs: { a: { shape: [2, 3, 1] }, b: { shape: [2, 3, 4] } },
    build: (g, x) => g.reduceSum(g.mul(x['a']!, x['b']!), [1], false),
  },
  {
    // The loss sums everything: its gradient stays [1, 1] until the ReLU needs it whole.
    name: 'ReduceSum into a rule that needs the full shape',
    inputs: { a: { shape: [3, 4] } },
    build: (g, x) => g.reduceSum(g.relu(g.mul(x['a']!, x['a']!)), [0, 1], true),
  },
  {
    name: 'a value used twice (gradients accumulate)',
    inputs: { a: { shape: [3, 3] } },
    build: (g, x) => g.matmul(x['a']!, g.exp(x['a']!)),
  },
];

describe('gradient rules against finite differences', () => {
  it.each(cases)('$name', check);
});

describe('split and concat', () => {
  it('cut 16 pieces and join them again in stages of at most 6, as WebGPU needs', async () => {
    const g = new Graph();
    const sizes = Array.from({ length: 16 }, (_, k) => k + 1);
    const n = sizes.reduce((a, b) => a + b, 0);
    const x = g.input('x', [n]);
    const pieces = g.split(x, sizes);
    expect(pieces.map((p) => p.shape[0])).toEqual(sizes);
    g.output(g.concat([...pieces].reverse()), 'y');
    g.output(pieces[9]!, 'tenth');
    for (const node of g.nodes) {
      expect(node.inputs.length + node.outputs.length, node.op).toBeLessThanOrEqual(8);
    }
    const session = await ort.InferenceSession.create(g.toModel());
    const data = Float32Array.from({ length: n }, (_, k) => k);
    const out = await session.run({ x: new ort.Tensor('float32', data, [n]) });
    const start = sizes.slice(0, 9).reduce((a, b) => a + b, 0);
    expect(Array.from(out['tenth']!.data as Float32Array)).toEqual(
      Array.from(data.subarray(start, start + 10)),
    );
    let at = 0;
    const reversed = sizes
      .map((size) => Array.from(data.subarray(at, (at += size))))
      .reverse()
      .flat();
    expect(Array.from(out['y']!.data as Float32Array)).toEqual(reversed);
  });
});

describe("a gather's gradient at the trainer's size", () => {
  it('adds every repeated row, the same on every run (onnxruntime on several threads)', async () => {
    // 3,830 inputs × 3 positions looking up 114 rows of 128, as the paper's step looks up values:
    // each row is looked up about a hundred times, and row 113 ('=') 3,830 times.
    const [m, n, width] = [3830 * 3, 114, 128];
    const pick = mulberry32(5);
    const indices = Array.from({ length: m }, (_, k) =>
      k % 3 === 2 ? 113 : Math.floor(pick() * 113),
    );
    const g = new Graph();
    const table = g.input('table', [n, width]);
    const r = g.input('r', [m, width]);
    const loss = g.reduceSum(g.mul(g.gather(table, g.ints(indices)), r), [0, 1], false);
    g.output(gradients(g, loss, [table])[0]!, 'grad');
    const session = await ort.InferenceSession.create(g.toModel());
    const rData = uniform(m * width);
    const expected = new Float64Array(n * width);
    indices.forEach((row, k) => {
      for (let c = 0; c < width; c++) expected[row * width + c]! += rData[k * width + c]!;
    });
    const feeds = {
      table: new ort.Tensor('float32', new Float32Array(n * width), [n, width]),
      r: new ort.Tensor('float32', rData, [m, width]),
    };
    const runs: Float32Array[] = [];
    for (let run = 0; run < 3; run++) {
      runs.push((await session.run(feeds))['grad']!.data as Float32Array);
    }
    for (const grad of runs) {
      expect(grad).toEqual(runs[0]);
      grad.forEach((x, k) => expect(Math.abs(x - expected[k]!)).toBeLessThan(1e-3));
    }
  });
});
