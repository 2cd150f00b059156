// The binary adder's attribution maps for one pair of numbers: one row per output bit, one column
// per input bit, for the gradient (or gradient × input) and for integrated gradients.
import { integratedGradients, saliency } from '../../lib/attribution/integrated.ts';
import { rnnInput, rnnOutput, sigmoidAdder } from '../../lib/attribution/rnn.ts';
import { parseBinary, toBitsLsbFirst } from '../../lib/rnn/bits.ts';
import type { RnnWeights } from '../../lib/rnn/network.ts';
import { compileRunner } from '../../lib/rnn/simulate.ts';
import { parseWeightsJson } from '../../lib/rnn/validate.ts';

/**
 * The network the student solved lesson 4 with, as the editor kept it when it passed
 * (rnn-editing.svelte.ts); undefined until then, or if what is kept does not read as weights.
 */
export function solvedNetwork(storage: Pick<Storage, 'getItem'>): RnnWeights | undefined {
  const kept = storage.getItem('grokking:rnn:add:solved-network');
  if (storage.getItem('grokking:rnn:add:solved') !== '1' || kept === null) return undefined;
  const parsed = parseWeightsJson(kept);
  return parsed.ok ? parsed.weights : undefined;
}

export type RnnBaseline = 'zeros' | 'halves';
export type GradientKind = 'gradient' | 'gradient × input';

export interface RnnSettings {
  a: string;
  b: string;
  sharpness: number;
  baseline: RnnBaseline;
  steps: number;
  gradientKind: GradientKind;
}

export interface RnnAttributions {
  /** Bits per operand, one more than the longer input so the final carry shows. */
  length: number;
  /** The network's output bits and the true sum's, least significant first. */
  outputBits: number[];
  expectedBits: number[];
  /** [output t][input: a_0…a_{T−1}, b_0…b_{T−1}] */
  gradient: Float64Array[];
  integrated: Float64Array[];
  /** Per output t: f(x), f(x'), Σ IG and the completeness gap. */
  completeness: { value: number; baselineValue: number; sum: number; gap: number }[];
}

/** Longest operand the widget accepts, in bits. */
export const maxBits = 16;

/** Checks the settings; a message naming the problem, or undefined when they are usable. */
export function settingsProblem(s: RnnSettings): string | undefined {
  for (const [name, text] of [
    ['a', s.a],
    ['b', s.b],
  ] as const) {
    if (parseBinary(text) === undefined) return `${name} must be written with 0s and 1s only.`;
    if (text.trim().length > maxBits) return `${name} may have at most ${maxBits} bits.`;
  }
  if (!(s.sharpness >= 1 && s.sharpness <= 30)) return 'The sharpness must be from 1 to 30.';
  if (!(Number.isInteger(s.steps) && s.steps >= 1 && s.steps <= 1000)) {
    return 'The number of steps must be a whole number from 1 to 1000.';
  }
  return undefined;
}

/**
 * Computes both attribution maps for usable settings (see settingsProblem), of the course's sigmoid
 * adder at the settings' sharpness, or of `network` (the student's own, once lesson 4 is solved).
 */
export function rnnAttributions(s: RnnSettings, network?: RnnWeights): RnnAttributions {
  const a = parseBinary(s.a)!;
  const b = parseBinary(s.b)!;
  const length = Math.max(s.a.trim().length, s.b.trim().length) + 1;
  const aBits = toBitsLsbFirst(a, length);
  const bBits = toBitsLsbFirst(b, length);
  const weights = network ?? sigmoidAdder(s.sharpness);
  const x = rnnInput(aBits, bBits);
  const baseline = new Float64Array(x.length).fill(s.baseline === 'zeros' ? 0 : 0.5);
  const gradient: Float64Array[] = [];
  const integrated: Float64Array[] = [];
  const completeness: RnnAttributions['completeness'] = [];
  for (let t = 0; t < length; t++) {
    const f = rnnOutput(weights, t, length);
    const local = saliency(f, x);
    gradient.push(s.gradientKind === 'gradient' ? local.gradient : local.gradientTimesInput);
    const ig = integratedGradients(f, x, baseline, s.steps);
    integrated.push(ig.attributions);
    completeness.push({
      value: ig.value,
      baselineValue: ig.baselineValue,
      sum: ig.sum,
      gap: ig.completenessGap,
    });
  }
  const outputBits = [...compileRunner(weights)(aBits, bBits)];
  return {
    length,
    outputBits,
    expectedBits: toBitsLsbFirst(a + b, length),
    gradient,
    integrated,
    completeness,
  };
}

/** An output whose values at x and x′ differ by less than this does not change between them. */
const unchangedBelow = 1e-6;
/** Completeness holds when Σ IG misses the change by under 1% of it (or by under 0.01 of an output,
 * whose range is 0 to 1, where the output does not change). */
const tolerance = 0.01;

/** What completeness says about one pair of numbers, in words, and whether it holds. */
export interface CompletenessReport {
  holds: boolean;
  /** The largest gap as a share of its output's change, over outputs that change */
  worstRelative: number;
  /** The largest absolute gap over outputs that do not change (they must sum to 0) */
  worstUnchanged: number;
  /** Output steps t whose value is the same at x and x′ */
  unchanged: number[];
  message: string;
}

/**
 * Judges completeness output by output: where y_t(x) ≠ y_t(x′), the gap relative to the change;
 * where they are equal there is nothing to attribute, so the attributions should sum to 0 and the
 * gap is judged as it is (dividing by a change of 0 would call any rounding a failure).
 */
export function completenessReport(
  completeness: RnnAttributions['completeness'],
  steps: number,
  activations: readonly string[],
): CompletenessReport {
  const unchanged: number[] = [];
  let worstRelative = 0;
  let worstUnchanged = 0;
  completeness.forEach((c, t) => {
    const change = Math.abs(c.value - c.baselineValue);
    if (change < unchangedBelow) {
      unchanged.push(t);
      worstUnchanged = Math.max(worstUnchanged, c.gap);
    } else worstRelative = Math.max(worstRelative, c.gap / change);
  });
  const holds = worstRelative < tolerance && worstUnchanged < tolerance;
  const parts: string[] = [];
  if (unchanged.length < completeness.length) {
    parts.push(
      `where an output changes between x′ and x, Σ IG matches the change to within ${(100 * worstRelative).toFixed(2)}% of it`,
    );
  }
  if (unchanged.length > 0) {
    parts.push(
      `${unchanged.length === completeness.length ? 'no output' : `${unchanged.length} output${unchanged.length > 1 ? 's' : ''} (t = ${unchanged.join(', ')})`} ` +
        `${unchanged.length === 1 || unchanged.length === completeness.length ? 'changes' : 'change'}, so there is nothing to attribute there and the attributions should sum to 0: they sum to within ${worstUnchanged.toPrecision(2)} of it`,
    );
  }
  let why = '';
  if (!holds) {
    if (activations.includes('step')) {
      why =
        ' Step units have a gradient of 0 wherever it exists, so no number of steps m can close the gap.';
    } else if (activations.includes('relu')) {
      why = ` ReLU units bend sharply; the path from x′ to x crosses their kinks, where the midpoint sum errs by about 1/m (now m = ${steps}), so more steps shrink the gap slowly.`;
    } else {
      why = ` The midpoint sum over m = ${steps} steps is too coarse here; raise m, and the gap shrinks as 1/m².`;
    }
  }
  const text = parts.join('; ');
  return {
    holds,
    worstRelative,
    worstUnchanged,
    unchanged,
    message: `Completeness: ${text}${holds ? ' ✓' : '.'}${why}`,
  };
}
