// Runs the recurrent network over two bit sequences: h_t = act(W_xh x_t + W_hh h_{t-1} + b_h),
// y_t = out_act(W_hy h_t + b_y), and output bit t is 1 when y_t ≥ 0.5.
import { activate, type RnnWeights } from './network.ts';

/** One time step of a run, everything a student needs to debug it. */
export interface TraceStep {
  t: number;
  /** [a_t, b_t] */
  x: [number, number];
  /** W_xh x_t + W_hh h_{t-1} + b_h, [H] */
  preHidden: number[];
  /** h_t, [H] */
  hidden: number[];
  /** W_hy h_t + b_y */
  preOutput: number;
  /** y_t */
  output: number;
  /** 1 when y_t ≥ 0.5 */
  bit: number;
}

/** Output bits (as numbers 0/1) for input sequences a, b of equal length; the fast path. */
export type Runner = (a: ArrayLike<number>, b: ArrayLike<number>) => Uint8Array;

/** Compiles weights into a runner that reuses its buffers: grading calls it ~10⁵ times. */
export function compileRunner(weights: RnnWeights): Runner {
  const H = weights.hidden_size;
  const wxh = Float64Array.from(weights.W_xh.flat());
  const whh = Float64Array.from(weights.W_hh.flat());
  const bh = Float64Array.from(weights.b_h);
  const why = Float64Array.from(weights.W_hy[0] ?? []);
  const by = weights.b_y[0] ?? 0;
  const h0 = Float64Array.from(weights.h0);
  let h = new Float64Array(H);
  let next = new Float64Array(H);
  return (a, b) => {
    const steps = a.length;
    const bits = new Uint8Array(steps);
    h.set(h0);
    for (let t = 0; t < steps; t++) {
      const at = a[t] ?? 0;
      const bt = b[t] ?? 0;
      for (let i = 0; i < H; i++) {
        let z = wxh[2 * i]! * at + wxh[2 * i + 1]! * bt + bh[i]!;
        for (let j = 0; j < H; j++) z += whh[i * H + j]! * h[j]!;
        next[i] = activate(weights.activation, z);
      }
      [h, next] = [next, h];
      let zy = by;
      for (let i = 0; i < H; i++) zy += why[i]! * h[i]!;
      bits[t] = activate(weights.output_activation, zy) >= 0.5 ? 1 : 0;
    }
    return bits;
  };
}

/** Runs the network step by step, recording every intermediate value; the readable path. */
export function trace(
  weights: RnnWeights,
  a: readonly number[],
  b: readonly number[],
): TraceStep[] {
  const steps: TraceStep[] = [];
  let h = [...weights.h0];
  for (let t = 0; t < a.length; t++) {
    const x: [number, number] = [a[t] ?? 0, b[t] ?? 0];
    const preHidden = weights.W_xh.map((row, i) => {
      let z = (row[0] ?? 0) * x[0] + (row[1] ?? 0) * x[1] + (weights.b_h[i] ?? 0);
      weights.W_hh[i]?.forEach((w, j) => (z += w * (h[j] ?? 0)));
      return z;
    });
    h = preHidden.map((z) => activate(weights.activation, z));
    const preOutput = (weights.W_hy[0] ?? []).reduce(
      (sum, w, i) => sum + w * (h[i] ?? 0),
      weights.b_y[0] ?? 0,
    );
    const output = activate(weights.output_activation, preOutput);
    steps.push({ t, x, preHidden, hidden: h, preOutput, output, bit: output >= 0.5 ? 1 : 0 });
  }
  return steps;
}
