// Reverse-mode differentiation of a Graph: every op's gradient rule in one table.
import { broadcastShapes, type Dim, type Graph, type Node, type Value } from './graph.ts';

/**
 * Given the node and the gradient of its output, returns for each input a function that appends
 * that input's gradient: only the gradients that are needed get built.
 */
type Rule = (g: Graph, node: Node, dy: Value) => (() => Value)[];

const sameShape = (a: Dim[], b: Dim[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Sums a broadcast gradient back down to `shape`. */
export function unbroadcast(g: Graph, dy: Value, shape: Dim[]): Value {
  if (sameShape(dy.shape, shape)) return dy;
  const lead = dy.shape.length - shape.length;
  const axes = dy.shape.flatMap((d, i) =>
    i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : [],
  );
  const summed = axes.length > 0 ? g.reduceSum(dy, axes, true) : dy;
  return sameShape(summed.shape, shape) ? summed : g.reshape(summed, shape);
}

const positiveAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

export const rules: Record<string, Rule> = {
  Identity: (_g, _n, dy) => [() => dy],
  Add: (g, { inputs: [a, b] }, dy) => [
    () => unbroadcast(g, dy, a!.shape),
    () => unbroadcast(g, dy, b!.shape),
  ],
  Sub: (g, { inputs: [a, b] }, dy) => [
    () => unbroadcast(g, dy, a!.shape),
    () => unbroadcast(g, g.mul(dy, g.scalar(-1)), b!.shape),
  ],
  Mul: (g, { inputs: [a, b] }, dy) => [
    () => unbroadcast(g, g.mul(dy, b!), a!.shape),
    () => unbroadcast(g, g.mul(dy, a!), b!.shape),
  ],
  Div: (g, { inputs: [a, b] }, dy) => [
    () => unbroadcast(g, g.div(dy, b!), a!.shape),
    () => unbroadcast(g, g.mul(g.mul(dy, g.scalar(-1)), g.div(a!, g.mul(b!, b!))), b!.shape),
  ],
  MatMul: (g, { inputs: [a, b] }, dy) => [
    () => g.matmul(dy, g.transpose(b!, [1, 0])),
    () => g.matmul(g.transpose(a!, [1, 0]), dy),
  ],
  // A mask of Greater and Cast: measured faster on onnxruntime-web than Where or Sign.
  Relu: (g, { inputs: [x] }, dy) => [() => g.mul(dy, g.positive(x!))],
  Exp: (g, { outputs: [y] }, dy) => [() => g.mul(dy, y!)],
  Sqrt: (g, { outputs: [y] }, dy) => [() => g.div(dy, g.mul(y!, g.scalar(2)))],
  Softmax: (g, { outputs: [y], attrs }, dy) => {
    const axis = positiveAxis(attrs['axis'] as number, y!.shape.length);
    const dot = g.reduceSum(g.mul(dy, y!), [axis], true);
    return [() => g.mul(y!, g.sub(dy, dot))];
  },
  LogSoftmax: (g, { outputs: [y], attrs }, dy) => {
    const axis = positiveAxis(attrs['axis'] as number, y!.shape.length);
    return [() => g.sub(dy, g.mul(g.exp(y!), g.reduceSum(dy, [axis], true)))];
  },
  // The gradient in the summed shape, which broadcasts to x's: `gradients` expands it only for a
  // rule that needs the full shape.
  ReduceSum: (g, { inputs: [x, axesInput], attrs }, dy) => {
    const axes = Array.from(g.initializers.get(axesInput!.name)!.data, Number);
    const shape = x!.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return [() => (attrs['keepdims'] === 1 ? dy : g.reshape(dy, shape))];
  },
  Reshape: (g, { inputs: [x] }, dy) => [() => g.reshape(dy, x!.shape)],
  Transpose: (g, { attrs }, dy) => {
    const perm = attrs['perm'] as number[];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [() => g.transpose(dy, inverse)];
  },
  Expand: (g, { inputs: [x] }, dy) => [() => unbroadcast(g, dy, x!.shape)],
  // The rows of dy summed into the rows they were gathered from: one-hot rows times dy. Exact and
  // the same on every run; onnxruntime's ScatterND with reduction 'add' loses updates to repeated
  // rows when it runs on several threads (docs/architecture.md).
  Gather: (g, { inputs: [table, indices], attrs }, dy) => {
    if (attrs['axis'] !== 0) throw new Error('Gather is differentiable along axis 0 only.');
    const n = table!.shape[0] as number;
    const rows = g.reshape(dy, [shapeSize(indices!), shapeSize(table!) / n]);
    const summed = g.matmul(g.transpose(oneHotOf(g, indices!, n), [1, 0]), rows);
    return [() => g.reshape(summed, table!.shape)];
  },
};

/** One one-hot matrix per index value and table size, shared by every gather that uses it. */
const oneHots = new WeakMap<Graph, Map<string, Value>>();
function oneHotOf(g: Graph, indices: Value, n: number): Value {
  const built = oneHots.get(g) ?? new Map<string, Value>();
  oneHots.set(g, built);
  const key = `${indices.name}/${n}`;
  if (!built.has(key)) built.set(key, g.oneHot(indices, n));
  return built.get(key)!;
}

/**
 * Appends to `g` the gradient of the scalar `loss` with respect to each of `wrt`; a value that
 * `loss` does not depend on gets a zero gradient of its shape. With `seed`, `loss` may be any
 * value and `seed` is the gradient given for it (a loss whose gradient is written in closed form,
 * lib/train/loss.ts), back-propagated from there.
 */
export function gradients(g: Graph, loss: Value, wrt: Value[], seed?: Value): Value[] {
  // Values downstream of wrt: only they need gradients.
  const needs = new Set(wrt.map((v) => v.name));
  const forwardNodes = [...g.nodes];
  for (const node of forwardNodes) {
    if (node.inputs.some((i) => needs.has(i.name))) for (const o of node.outputs) needs.add(o.name);
  }
  const grads = new Map<string, Value>([
    [loss.name, seed ?? g.constant([1], loss.shape as number[])],
  ]);
  const accumulate = (v: Value, d: Value) => {
    const prior = grads.get(v.name);
    grads.set(v.name, prior ? g.add(prior, d) : d);
  };
  for (const node of forwardNodes.reverse()) {
    const y = node.outputs[0]!;
    const given = grads.get(y.name);
    if (!given || !node.inputs.some((i) => needs.has(i.name))) continue;
    const dy = fullShape(g, node, given, y);
    const rule = rules[node.op];
    if (!rule) throw new Error(`No gradient rule for ${node.op}.`);
    const region = node.region ? `${node.region} backward` : 'backward';
    g.within(region, () =>
      rule(g, node, dy).forEach((gradient, k) => {
        const input = node.inputs[k]!;
        if (needs.has(input.name) && input.dtype === 'float32') accumulate(input, gradient());
      }),
    );
  }
  return wrt.map((v) => {
    const d = grads.get(v.name);
    if (!d) return g.constant(new Float32Array(shapeSize(v)), v.shape as number[]);
    return sameShape(d.shape, v.shape) ? d : g.expand(d, v.shape);
  });
}

/**
 * A gradient may be kept in a smaller shape that broadcasts to its value's (after a ReduceSum).
 * A product needs no expanding when broadcasting dy against each factor already gives the full
 * shape; every other rule gets dy expanded to y's shape.
 */
function fullShape(g: Graph, node: Node, dy: Value, y: Value): Value {
  if (sameShape(dy.shape, y.shape)) return dy;
  const broadcastsBack =
    node.op === 'Mul' &&
    node.inputs.every((factor) => sameShape(broadcastShapes(dy.shape, factor.shape), y.shape));
  return broadcastsBack ? dy : g.expand(dy, y.shape);
}

function shapeSize(v: Value): number {
  return v.shape.reduce<number>((n, d) => n * (d as number), 1);
}
