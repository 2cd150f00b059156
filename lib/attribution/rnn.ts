// Attributions for the binary-addition RNN: its output at step t as a differentiable function of
// all input bits, with the gradient by backpropagation through time.
import { activate, type Activation, type RnnWeights } from '../rnn/network.ts';
import type { Differentiable } from './integrated.ts';

/** d act(z)/dz; the step function's derivative is 0 almost everywhere. */
export function activationDerivative(kind: Activation, z: number): number {
  switch (kind) {
    case 'step':
      return 0;
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-z));
      return s * (1 - s);
    }
    case 'tanh':
      return 1 - Math.tanh(z) ** 2;
    case 'linear':
      return 1;
  }
}

/** Input bits as the attribution methods see them: [a_0 … a_{T−1}, b_0 … b_{T−1}]. */
export function rnnInput(a: readonly number[], b: readonly number[]): Float64Array {
  if (a.length !== b.length) throw new Error('a and b must have the same number of bits.');
  return Float64Array.from([...a, ...b]);
}

/**
 * The output y_t = out_act(W_hy h_t + b_y) of the network as a function of the 2T real-valued
 * inputs (only steps 0…t matter; later inputs get gradient 0).
 */
export function rnnOutput(weights: RnnWeights, t: number, steps: number): Differentiable {
  if (!(Number.isInteger(t) && t >= 0 && t < steps)) {
    throw new Error(`Output step t must be 0…${steps - 1}, got ${t}.`);
  }
  const H = weights.hidden_size;
  const why = weights.W_hy[0] ?? [];
  return {
    valueAndGradient(x) {
      if (x.length !== 2 * steps) throw new Error(`Expected ${2 * steps} inputs, got ${x.length}.`);
      // Forward to step t, keeping pre-activations and states for the backward pass.
      const states: number[][] = [[...weights.h0]];
      const pre: number[][] = [];
      for (let s = 0; s <= t; s++) {
        const prev = states[s]!;
        const z = weights.W_xh.map((row, i) => {
          let sum = row[0]! * x[s]! + row[1]! * x[steps + s]! + weights.b_h[i]!;
          for (let j = 0; j < H; j++) sum += weights.W_hh[i]![j]! * prev[j]!;
          return sum;
        });
        pre.push(z);
        states.push(z.map((v) => activate(weights.activation, v)));
      }
      const h = states[t + 1]!;
      const zy = why.reduce((sum, w, i) => sum + w * h[i]!, weights.b_y[0] ?? 0);
      const value = activate(weights.output_activation, zy);

      // Backward: g holds ∂y_t/∂h_s as s runs from t down to 0.
      const gradient = new Float64Array(2 * steps);
      const dy = activationDerivative(weights.output_activation, zy);
      let g = why.map((w) => w * dy);
      for (let s = t; s >= 0; s--) {
        const gz = pre[s]!.map((z, i) => g[i]! * activationDerivative(weights.activation, z));
        for (let i = 0; i < H; i++) {
          gradient[s]! += gz[i]! * weights.W_xh[i]![0]!;
          gradient[steps + s]! += gz[i]! * weights.W_xh[i]![1]!;
        }
        g = Array.from({ length: H }, (_, j) =>
          gz.reduce((sum, v, i) => sum + v * weights.W_hh[i]![j]!, 0),
        );
      }
      return { value, gradient };
    },
  };
}

/**
 * A working adder with sigmoid units: three hidden units count whether a_t + b_t + carry is at
 * least 1, 2 and 3, with every weight multiplied by `sharpness`. Larger sharpness is closer to the
 * step function and saturates the gradient.
 */
export function sigmoidAdder(sharpness: number): RnnWeights {
  const k = sharpness;
  return {
    hidden_size: 3,
    activation: 'sigmoid',
    output_activation: 'sigmoid',
    W_xh: [
      [k, k],
      [k, k],
      [k, k],
    ],
    W_hh: [
      [0, k, 0],
      [0, k, 0],
      [0, k, 0],
    ],
    b_h: [-0.5 * k, -1.5 * k, -2.5 * k],
    W_hy: [[k, -k, k]],
    b_y: [-0.5 * k],
    h0: [0, 0, 0],
  };
}
