// Attribution methods that explain the data: input gradients and integrated gradients
// (Sundararajan, Taly and Yan, 2017) for any scalar function whose gradient we can compute.

/** A differentiable scalar function of a vector input, with its gradient. */
export interface Differentiable {
  /** f(x) and ∂f/∂x, [n] */
  valueAndGradient(x: Float64Array): { value: number; gradient: Float64Array };
}

export interface Saliency {
  /** f(x) */
  value: number;
  /** ∂f/∂x_i, [n] */
  gradient: Float64Array;
  /** x_i ∂f/∂x_i, [n] */
  gradientTimesInput: Float64Array;
}

/** The gradient at x, and gradient × input. */
export function saliency(f: Differentiable, x: Float64Array): Saliency {
  const { value, gradient } = f.valueAndGradient(x);
  return { value, gradient, gradientTimesInput: gradient.map((g, i) => g * x[i]!) };
}

export interface IntegratedGradients {
  /** IG_i = (x_i − x'_i) · mean of ∂f/∂x_i along the path, [n] */
  attributions: Float64Array;
  /** f(x) */
  value: number;
  /** f(x'), the baseline's score */
  baselineValue: number;
  /** Σ_i IG_i */
  sum: number;
  /** |Σ_i IG_i − (f(x) − f(x'))|: how far the Riemann sum is from completeness */
  completenessGap: number;
}

/**
 * Integrated gradients from `baseline` to `x` with the midpoint rule over `steps` points
 * α = (k + ½)/steps, which converges as 1/steps² for smooth f. `onStep` hears each point done.
 */
export function integratedGradients(
  f: Differentiable,
  x: Float64Array,
  baseline: Float64Array,
  steps: number,
  onStep: (done: number) => void = () => {},
): IntegratedGradients {
  if (x.length !== baseline.length) {
    throw new Error(`The baseline has ${baseline.length} entries; the input has ${x.length}.`);
  }
  if (!(Number.isInteger(steps) && steps >= 1)) {
    throw new Error(`The number of steps must be a whole number ≥ 1, got ${steps}.`);
  }
  const n = x.length;
  const mean = new Float64Array(n);
  const point = new Float64Array(n);
  for (let k = 0; k < steps; k++) {
    const alpha = (k + 0.5) / steps;
    for (let i = 0; i < n; i++) point[i] = baseline[i]! + alpha * (x[i]! - baseline[i]!);
    const { gradient } = f.valueAndGradient(point);
    for (let i = 0; i < n; i++) mean[i]! += gradient[i]! / steps;
    onStep(k + 1);
  }
  const attributions = mean.map((g, i) => g * (x[i]! - baseline[i]!));
  const value = f.valueAndGradient(x).value;
  const baselineValue = f.valueAndGradient(baseline).value;
  const sum = attributions.reduce((s, a) => s + a, 0);
  return {
    attributions,
    value,
    baselineValue,
    sum,
    completenessGap: Math.abs(sum - (value - baselineValue)),
  };
}

/** Sums attributions over consecutive groups of `size` entries (e.g. one embedding vector each). */
export function groupSums(attributions: Float64Array, size: number): Float64Array {
  const groups = new Float64Array(Math.ceil(attributions.length / size));
  attributions.forEach((a, i) => (groups[Math.floor(i / size)]! += a));
  return groups;
}
