// The weight inspector's readings: one slice of one parameter (a row of W_E, a neuron's input
// weights, a column of a head's W_Q …) read several ways, as a hex editor's data inspector reads
// the same bytes as integers, floats and text. Everything in float64.
import type { ModelConfig } from './config.ts';
import { fourierBasis } from './fourier.ts';
import { paramShapes, type ParamName, type Params } from './params.ts';

/** What an axis of a parameter runs over. */
export type AxisKind = 'token' | 'answer' | 'position' | 'model' | 'head' | 'head dim' | 'neuron';

export interface Axis {
  kind: AxisKind;
  size: number;
}

const kinds: Record<ParamName, AxisKind[]> = {
  'embed.W_E': ['token', 'model'],
  'pos_embed.W_pos': ['position', 'model'],
  'blocks.0.attn.W_Q': ['head', 'model', 'head dim'],
  'blocks.0.attn.b_Q': ['head', 'head dim'],
  'blocks.0.attn.W_K': ['head', 'model', 'head dim'],
  'blocks.0.attn.b_K': ['head', 'head dim'],
  'blocks.0.attn.W_V': ['head', 'model', 'head dim'],
  'blocks.0.attn.b_V': ['head', 'head dim'],
  'blocks.0.attn.W_O': ['head', 'head dim', 'model'],
  'blocks.0.attn.b_O': ['model'],
  'blocks.0.mlp.W_in': ['model', 'neuron'],
  'blocks.0.mlp.b_in': ['neuron'],
  'blocks.0.mlp.W_out': ['neuron', 'model'],
  'blocks.0.mlp.b_out': ['model'],
  'unembed.W_U': ['model', 'answer'],
  'unembed.b_U': ['answer'],
};

/** The axes of a parameter, in its storage order. */
export function parameterAxes(name: ParamName, config: ModelConfig): Axis[] {
  const shape = paramShapes(config)[name];
  return kinds[name].map((kind, i) => ({ kind, size: shape[i]! }));
}

/** A vector out of a parameter: read along one axis, every other axis fixed at an index. */
export interface Slice {
  name: ParamName;
  along: number;
  /** One index per axis; the one at `along` is ignored */
  at: number[];
}

/** The slice's values, in order along its axis. */
export function sliceValues(params: Params, config: ModelConfig, slice: Slice): Float64Array {
  const axes = parameterAxes(slice.name, config);
  const strides = axes.map((_, i) => axes.slice(i + 1).reduce((n, a) => n * a.size, 1));
  const data = params[slice.name].data;
  let base = 0;
  axes.forEach((axis, i) => {
    if (i === slice.along) return;
    const index = slice.at[i] ?? 0;
    if (!(Number.isInteger(index) && index >= 0 && index < axis.size)) {
      throw new Error(`The ${axis.kind} index must be a whole number from 0 to ${axis.size - 1}.`);
    }
    base += index * strides[i]!;
  });
  const step = strides[slice.along]!;
  return Float64Array.from({ length: axes[slice.along]!.size }, (_, j) => data[base + j * step]!);
}

/** The share of the parameter's squared norm that the slice holds. */
export function normShare(params: Params, slice: Float64Array, name: ParamName): number {
  let all = 0;
  for (const x of params[name].data) all += x * x;
  let part = 0;
  for (const x of slice) part += x * x;
  return all > 0 ? part / all : 0;
}

/** A slice read in the Fourier basis: the size of each frequency's part, and how it was read. */
export interface FourierReading {
  /** Frequency k = 1…(p−1)/2: the norm of its cos and sin part */
  norms: number[];
  /** The constant part's size */
  constant: number;
  /** The cos and sin coefficients per frequency (the same indexing as `norms`), for vectors
   *  over tokens or answers; undefined for the other readings */
  cosSin?: [number, number][];
  how: string;
}

/** Rows 0…p−1 of a [rows, d] matrix in the Fourier basis along its rows: F M, [p, d]. */
function alongTokens(F: Float64Array, M: (r: number, i: number) => number, p: number, d: number) {
  const out = new Float64Array(p * d);
  for (let r = 0; r < p; r++) {
    for (let x = 0; x < p; x++) {
      const f = F[r * p + x]!;
      for (let i = 0; i < d; i++) out[r * d + i]! += f * M(x, i);
    }
  }
  return out;
}

/** Per frequency k, √(u_{2k−1}² + u_{2k}²) of coefficients u [p] in the basis's row order. */
function byFrequency(u: (r: number) => number, p: number) {
  return Array.from({ length: (p - 1) / 2 }, (_, k) => Math.hypot(u(2 * k + 1), u(2 * k + 2)));
}

/**
 * Reads a slice in the Fourier basis over the p tokens, where that means something:
 * - a vector over tokens or answers (a column of W_E, a row of W_U, b_U): its Fourier transform;
 * - one token's or answer's vector over the model dimension (a row of W_E, a column of W_U): the
 *   part of that row each frequency of the whole matrix contributes, ‖F_{2k−1,a} C_{2k−1} +
 *   F_{2k,a} C_{2k}‖ with C = F W_E;
 * - any other vector over the model dimension (a neuron's input weights, a column of W_Q …):
 *   read through the embedding, (F W_E) v — how strongly it picks up each frequency of the tokens.
 * Vectors over heads, head dimensions, neurons or positions have no such reading: undefined.
 */
export function fourierReading(
  params: Params,
  config: ModelConfig,
  slice: Slice,
): FourierReading | undefined {
  const { p, d_model: d } = config;
  const F = fourierBasis(p);
  const axes = parameterAxes(slice.name, config);
  const kind = axes[slice.along]!.kind;
  const v = sliceValues(params, config, slice);
  const WE = params['embed.W_E'].data;
  const WU = params['unembed.W_U'].data;
  if (kind === 'token' || kind === 'answer') {
    // Over tokens W_E has p + 1 rows; the last is '=', which is not a number.
    const u = Float64Array.from({ length: p }, (_, r) => {
      let s = 0;
      for (let x = 0; x < p; x++) s += F[r * p + x]! * v[x]!;
      return s;
    });
    return {
      norms: byFrequency((r) => u[r]!, p),
      constant: Math.abs(u[0]!),
      cosSin: Array.from({ length: (p - 1) / 2 }, (_, k) => [u[2 * k + 1]!, u[2 * k + 2]!]),
      how: `the Fourier transform of these ${p} numbers, one per ${kind} (the '=' token left out)`,
    };
  }
  if (kind !== 'model') return undefined;
  const tokenAxis = axes.findIndex((a) => a.kind === 'token' || a.kind === 'answer');
  if (tokenAxis >= 0) {
    const a = slice.at[tokenAxis] ?? 0;
    if (a >= p) return undefined; // the '=' token's row
    const C =
      slice.name === 'embed.W_E'
        ? alongTokens(F, (x, i) => WE[x * d + i]!, p, d)
        : alongTokens(F, (x, i) => WU[i * p + x]!, p, d);
    const part = (r: number) => Array.from({ length: d }, (_, i) => F[r * p + a]! * C[r * d + i]!);
    const norms = Array.from({ length: (p - 1) / 2 }, (_, k) => {
      const [c, s] = [part(2 * k + 1), part(2 * k + 2)];
      return Math.hypot(...c.map((x, i) => x + s[i]!));
    });
    return {
      norms,
      constant: Math.hypot(...part(0)),
      how: `the part of this vector that each frequency of ${slice.name === 'embed.W_E' ? 'W_E' : 'W_U'} (taken over its ${p} ${axes[tokenAxis]!.kind}s) contributes`,
    };
  }
  const E = alongTokens(F, (x, i) => WE[x * d + i]!, p, d);
  const u = (r: number) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += E[r * d + i]! * v[i]!;
    return s;
  };
  return {
    norms: byFrequency(u, p),
    constant: Math.abs(u(0)),
    how: 'through the embedding: how strongly this vector reads each frequency of the tokens, (F W_E) v',
  };
}
