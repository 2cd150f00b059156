// The clock exercise's network: a one-hidden-layer net that should add mod 7 the way the paper's
// transformer does (§4: rotate by a and by b, multiply, read out cos(w(a + b − c))), with weights
// set by hand. Everything in float64.
//   x = concat(W_E[a], W_E[b])          [2d]
//   hidden = act(W_in x + b_in)         [n], act ∈ {square, relu}
//   logits = W_out hidden + b_out       [p]

export const clockModulus = 7;
export const maxEmbedding = 8;
export const maxNeurons = 32;
export const clockActivations = ['square', 'relu'] as const;
export type ClockActivation = (typeof clockActivations)[number];

export interface ClockNetwork {
  p: 7;
  activation: ClockActivation;
  /** [p][d]: row a is the embedding of token a */
  W_E: number[][];
  /** [n][2d]: neuron j reads concat(W_E[a], W_E[b]) */
  W_in: number[][];
  b_in: number[];
  /** [p][n]: row c is the logit of answer c */
  W_out: number[][];
  b_out: number[];
}

export interface ClockTrace {
  a: number;
  b: number;
  /** concat(W_E[a], W_E[b]) */
  embedding: number[];
  /** W_in x + b_in, before the activation */
  preactivation: number[];
  hidden: number[];
  logits: number[];
  /** (a + b) mod p */
  expected: number;
  /** The argmax of the logits (the lowest c among equals) */
  answer: number;
  /** The best logit other than the expected one */
  runnerUp: number;
  /** logits[expected] − logits[runnerUp]: right only when positive beyond rounding */
  margin: number;
  right: boolean;
}

const act = (activation: ClockActivation, x: number) =>
  activation === 'square' ? x * x : Math.max(0, x);

/**
 * Logits that differ by less than this, relative to the largest logit, count as a tie: float64
 * rounding of trigonometric identities leaves about 1e-15, and a tie is a wrong answer.
 */
export const tieTolerance = 1e-9;

/** Runs the network on one pair, keeping every intermediate value. */
export function clockForward(net: ClockNetwork, a: number, b: number): ClockTrace {
  const embedding = [...net.W_E[a]!, ...net.W_E[b]!];
  const preactivation = net.W_in.map(
    (row, j) => row.reduce((s, w, i) => s + w * embedding[i]!, 0) + net.b_in[j]!,
  );
  const hidden = preactivation.map((x) => act(net.activation, x));
  const logits = net.W_out.map(
    (row, c) => row.reduce((s, w, j) => s + w * hidden[j]!, 0) + net.b_out[c]!,
  );
  const expected = (a + b) % net.p;
  const answer = logits.indexOf(Math.max(...logits));
  let runnerUp = expected === 0 ? 1 : 0;
  logits.forEach((x, c) => {
    if (c !== expected && x > logits[runnerUp]!) runnerUp = c;
  });
  const margin = logits[expected]! - logits[runnerUp]!;
  const scale = Math.max(1, ...logits.map(Math.abs));
  return {
    ...{ a, b, embedding, preactivation, hidden, logits, expected, answer, runnerUp, margin },
    right: margin > tieTolerance * scale,
  };
}

/** Every pair (a, b), a-major: (0, 0), (0, 1), … (6, 6). */
export function clockPairs(p = clockModulus): [number, number][] {
  return Array.from({ length: p * p }, (_, i) => [Math.floor(i / p), i % p]);
}

/** Norms of a [p, width] matrix's Fourier components along its rows, frequencies 1…⌊p/2⌋. */
export function rowFrequencyNorms(rows: number[][], p = clockModulus): number[] {
  const norms: number[] = [];
  for (let k = 1; k <= (p - 1) / 2; k++) {
    let sum = 0;
    for (let col = 0; col < rows[0]!.length; col++) {
      let cos = 0;
      let sin = 0;
      rows.forEach((row, x) => {
        cos += row[col]! * Math.cos((2 * Math.PI * k * x) / p);
        sin += row[col]! * Math.sin((2 * Math.PI * k * x) / p);
      });
      // The orthonormal basis divides each of cos and sin by √(p/2).
      sum += (cos * cos + sin * sin) / (p / 2);
    }
    norms.push(Math.sqrt(sum));
  }
  return norms;
}
