// A small ONNX graph builder with static shape inference, so that gradients can be derived from it.
import { ProtoWriter } from './protobuf.ts';

export type DType = 'float32' | 'int64' | 'bool';
/** A dimension: a size, or a name for a size fixed only at run time (e.g. 'batch'). */
export type Dim = number | string;

/** A tensor flowing in the graph. */
export interface Value {
  name: string;
  dtype: DType;
  shape: Dim[];
}

export type Attribute = number | number[] | string;

export interface Node {
  op: string;
  inputs: Value[];
  outputs: Value[];
  attrs: Record<string, Attribute>;
  /** The part of the model the node computes ('attention', 'MLP backward', …): profiles group by it. */
  region: string;
}

const onnxType: Record<DType, number> = { float32: 1, int64: 7, bool: 9 };

/** numpy-style broadcast of two shapes. */
export function broadcastShapes(a: Dim[], b: Dim[]): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1 || x === y) out.push(x);
    else throw new Error(`Cannot broadcast shapes [${a}] and [${b}].`);
  }
  return out;
}

/** The most pieces one Split or Concat node handles (see `Graph.split`). */
const maxPieces = 6;
const total = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
function chunks<T>(xs: T[], n: number): T[][] {
  return Array.from({ length: Math.ceil(xs.length / n) }, (_, k) => xs.slice(k * n, k * n + n));
}

/** Builds a graph node by node; each op method infers its output's shape. */
export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly initializers = new Map<string, { value: Value; data: Float32Array | BigInt64Array }>();
  private counter = 0;
  /** The region new nodes belong to (see `within`). */
  region = '';

  /** A fresh unique name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Builds the nodes `build` appends as part of `region`. */
  within<T>(region: string, build: () => T): T {
    const outer = this.region;
    this.region = region;
    try {
      return build();
    } finally {
      this.region = outer;
    }
  }

  input(name: string, shape: Dim[], dtype: DType = 'float32'): Value {
    const value = { name, dtype, shape };
    this.inputs.push(value);
    return value;
  }

  /**
   * Makes `value` an output named `name`. A value an operator computes takes the name itself (an
   * Identity would copy it: 26 MB for the views' MLP activations); an input, a constant or a value
   * already output under another name goes through an Identity.
   */
  output(value: Value, name?: string): Value {
    const computed =
      this.nodes.some((n) => n.outputs.includes(value)) &&
      !this.outputs.includes(value) &&
      !this.inputs.some((i) => i.name === name) &&
      !this.nodes.some((n) => n.outputs.some((o) => o.name === name));
    if (name && name !== value.name && computed) value.name = name;
    const out = name && name !== value.name ? this.identity(value, name) : value;
    this.outputs.push(out);
    return out;
  }

  /** A float32 constant stored in the model. */
  constant(data: ArrayLike<number>, shape: number[], name = this.fresh('const')): Value {
    const value: Value = { name, dtype: 'float32', shape };
    this.initializers.set(name, { value, data: Float32Array.from(data) });
    return value;
  }

  /** An int64 constant (shapes, axes). */
  ints(data: readonly number[], name = this.fresh('ints')): Value {
    const value: Value = { name, dtype: 'int64', shape: [data.length] };
    this.initializers.set(name, { value, data: BigInt64Array.from(data.map(BigInt)) });
    return value;
  }

  /** A float32 scalar constant. */
  scalar(x: number): Value {
    return this.constant([x], []);
  }

  node(
    op: string,
    inputs: Value[],
    outShape: Dim[],
    attrs: Record<string, Attribute> = {},
    dtype: DType = 'float32',
  ): Value {
    const out: Value = { name: this.fresh(op.toLowerCase()), dtype, shape: outShape };
    this.nodes.push({ op, inputs, outputs: [out], attrs, region: this.region });
    return out;
  }

  identity(x: Value, name: string): Value {
    const out: Value = { name, dtype: x.dtype, shape: x.shape };
    this.nodes.push({
      op: 'Identity',
      inputs: [x],
      outputs: [out],
      attrs: {},
      region: this.region,
    });
    return out;
  }

  add(a: Value, b: Value): Value {
    return this.node('Add', [a, b], broadcastShapes(a.shape, b.shape));
  }
  sub(a: Value, b: Value): Value {
    return this.node('Sub', [a, b], broadcastShapes(a.shape, b.shape));
  }
  mul(a: Value, b: Value): Value {
    return this.node('Mul', [a, b], broadcastShapes(a.shape, b.shape));
  }
  div(a: Value, b: Value): Value {
    return this.node('Div', [a, b], broadcastShapes(a.shape, b.shape));
  }

  /** [n, k] · [k, m] → [n, m] */
  matmul(a: Value, b: Value): Value {
    const [n, k] = a.shape;
    const [k2, m] = b.shape;
    if (a.shape.length !== 2 || b.shape.length !== 2 || k !== k2) {
      throw new Error(`MatMul takes [n, k] and [k, m], got [${a.shape}] and [${b.shape}].`);
    }
    return this.node('MatMul', [a, b], [n!, m!]);
  }

  relu(x: Value): Value {
    return this.node('Relu', [x], x.shape);
  }
  exp(x: Value): Value {
    return this.node('Exp', [x], x.shape);
  }
  sqrt(x: Value): Value {
    return this.node('Sqrt', [x], x.shape);
  }
  log(x: Value): Value {
    return this.node('Log', [x], x.shape);
  }
  /** The largest entry along each of `axes`, kept as a size-1 dim (opset 17 takes axes as an attribute). */
  reduceMax(x: Value, axes: number[]): Value {
    const shape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return this.node('ReduceMax', [x], shape, { axes, keepdims: 1 });
  }
  softmax(x: Value, axis: number): Value {
    return this.node('Softmax', [x], x.shape, { axis });
  }
  logSoftmax(x: Value, axis: number): Value {
    return this.node('LogSoftmax', [x], x.shape, { axis });
  }

  /** 1 where x > 0, else 0 (float). */
  positive(x: Value): Value {
    const gt = this.node('Greater', [x, this.scalar(0)], x.shape, {}, 'bool');
    return this.node('Cast', [gt], x.shape, { to: onnxType.float32 });
  }

  /** Sum over `axes` (non-negative), keeping them as size-1 dims when `keepdims`. */
  reduceSum(x: Value, axes: number[], keepdims: boolean): Value {
    const shape = x.shape.flatMap((d, i) => (axes.includes(i) ? (keepdims ? [1] : []) : [d]));
    return this.node('ReduceSum', [x, this.ints(axes)], shape, { keepdims: keepdims ? 1 : 0 });
  }

  /** Reshape; a named dimension is copied when it leads both shapes, else inferred (at most one). */
  reshape(x: Value, shape: Dim[]): Value {
    const target = shape.map((d, i) =>
      typeof d === 'number' ? d : i === 0 && x.shape[0] === d ? 0 : -1,
    );
    if (target.filter((d) => d === -1).length > 1) {
      throw new Error(`Reshape to [${shape}]: at most one dimension can be inferred.`);
    }
    return this.node('Reshape', [x, this.ints(target)], shape, {}, x.dtype);
  }

  /** Rows of `table` [n, …] at int64 `indices` (differentiable in `table` along axis 0). */
  gather(table: Value, indices: Value, axis = 0): Value {
    const shape = [...table.shape.slice(0, axis), ...indices.shape, ...table.shape.slice(axis + 1)];
    return this.node('Gather', [table, indices], shape, { axis }, table.dtype);
  }

  /**
   * Float one-hot rows [size(indices), n] of int64 `indices` (values in 0…n−1): what a gather's
   * gradient multiplies by.
   */
  oneHot(indices: Value, n: number): Value {
    const m = indices.shape.reduce<number>((k, d) => k * (d as number), 1);
    const column = this.reshape(indices, [m, 1]);
    const range = this.ints(Array.from({ length: n }, (_, k) => k));
    const equal = this.node('Equal', [column, range], [m, n], {}, 'bool');
    return this.node('Cast', [equal], [m, n], { to: onnxType.float32 });
  }

  /**
   * Pieces of `sizes` along axis 0 of a 1-D x. WebGPU binds every input and output of an operator
   * as a storage buffer, at most 8 by default, so more than 6 pieces are split in stages.
   */
  split(x: Value, sizes: number[]): Value[] {
    if (sizes.length > maxPieces) {
      const groups = chunks(sizes, maxPieces);
      const parts = this.split(x, groups.map(total));
      return groups.flatMap((group, k) => this.split(parts[k]!, group));
    }
    const outputs = sizes.map((n) => ({ name: this.fresh('split'), dtype: x.dtype, shape: [n] }));
    this.nodes.push({
      op: 'Split',
      inputs: [x, this.ints(sizes)],
      outputs,
      attrs: { axis: 0 },
      region: this.region,
    });
    return outputs;
  }

  /** 1-D values end to end (in stages, as `split`). */
  concat(xs: Value[]): Value {
    if (xs.length > maxPieces) return this.concat(chunks(xs, maxPieces).map((c) => this.concat(c)));
    const n = total(xs.map((x) => x.shape[0] as number));
    return this.node('Concat', xs, [n], { axis: 0 });
  }

  transpose(x: Value, perm: number[]): Value {
    return this.node(
      'Transpose',
      [x],
      perm.map((p) => x.shape[p]!),
      { perm },
    );
  }

  expand(x: Value, shape: Dim[]): Value {
    if (!shape.every((d) => typeof d === 'number')) throw new Error('Expand needs a static shape.');
    return this.node('Expand', [x, this.ints(shape as number[])], shape);
  }

  /** The model as ONNX protobuf bytes (IR 8, opset 17). */
  toModel(producer = 'grokking-by-hand'): Uint8Array {
    const tensorType = (w: ProtoWriter, v: Value) =>
      w.message(1, (t) =>
        t.int(1, onnxType[v.dtype]).message(2, (s) => {
          for (const d of v.shape) {
            s.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
          }
        }),
      );
    const valueInfo = (w: ProtoWriter, v: Value) =>
      w.string(1, v.name).message(2, (t) => tensorType(t, v));
    return new ProtoWriter()
      .int(1, 8)
      .string(2, producer)
      .message(7, (g) => {
        for (const n of this.nodes) {
          g.message(1, (w) => {
            for (const i of n.inputs) w.string(1, i.name);
            for (const o of n.outputs) w.string(2, o.name);
            w.string(3, n.region ? `${n.region}/${n.outputs[0]!.name}` : n.outputs[0]!.name);
            w.string(4, n.op);
            for (const [name, a] of Object.entries(n.attrs)) {
              w.message(5, (attr) => {
                attr.string(1, name);
                if (typeof a === 'string') attr.raw(4, new TextEncoder().encode(a)).int(20, 3);
                else if (Array.isArray(a)) attr.packedInts(8, a).int(20, 7);
                else attr.int(3, a).int(20, 2);
              });
            }
          });
        }
        g.string(2, 'main');
        for (const { value, data } of this.initializers.values()) {
          g.message(5, (t) => {
            t.packedInts(1, value.shape as number[])
              .int(2, onnxType[value.dtype])
              .string(8, value.name);
            t.raw(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
          });
        }
        for (const v of this.inputs) g.message(11, (w) => valueInfo(w, v));
        for (const v of this.outputs) g.message(12, (w) => valueInfo(w, v));
      })
      .message(8, (o) => o.string(1, '').int(2, 17))
      .finish();
  }
}
