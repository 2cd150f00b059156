// The recurrent network of the binary-addition exercise: its weights and the activations it may use.

export const activations = ['step', 'relu', 'sigmoid', 'tanh', 'linear'] as const;
export type Activation = (typeof activations)[number];

/** Weights in the JSON format of the exercise (docs/formats.md); H = hidden_size. */
export interface RnnWeights {
  hidden_size: number;
  activation: Activation;
  output_activation: Activation;
  /** [H, 2]: input bits (a_t, b_t) to hidden */
  W_xh: number[][];
  /** [H, H]: previous hidden state to hidden */
  W_hh: number[][];
  /** [H] */
  b_h: number[];
  /** [1, H]: hidden to output */
  W_hy: number[][];
  /** [1] */
  b_y: number[];
  /** [H]: the state before the first step */
  h0: number[];
}

/** Largest hidden size the editor and grader accept. */
export const maxHiddenSize = 16;

/** Applies an activation function to one pre-activation. */
export function activate(kind: Activation, z: number): number {
  switch (kind) {
    case 'step':
      return z >= 0 ? 1 : 0;
    case 'relu':
      return z > 0 ? z : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh(z);
    case 'linear':
      return z;
  }
}

/** A network with every entry zero: the editor's starting point. */
export function zeroWeights(hiddenSize: number): RnnWeights {
  const zeros = (n: number) => new Array<number>(n).fill(0);
  return {
    hidden_size: hiddenSize,
    activation: 'step',
    output_activation: 'step',
    W_xh: Array.from({ length: hiddenSize }, () => zeros(2)),
    W_hh: Array.from({ length: hiddenSize }, () => zeros(hiddenSize)),
    b_h: zeros(hiddenSize),
    W_hy: [zeros(hiddenSize)],
    b_y: [0],
    h0: zeros(hiddenSize),
  };
}
