// Attribution methods against independent references: finite differences for gradients, the
// completeness axiom for integrated gradients, and a linear model where both are known exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  groupSums,
  integratedGradients,
  saliency,
  type Differentiable,
} from '../../lib/attribution/integrated.ts';
import { rnnInput, rnnOutput, sigmoidAdder } from '../../lib/attribution/rnn.ts';
import {
  centredLogit,
  embeddingBaseline,
  tokenEmbeddings,
} from '../../lib/attribution/transformer.ts';
import { forward } from '../../lib/modarith/forward.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import { mulberry32 } from '../../lib/random.ts';
import { fromBitsLsbFirst, toBitsLsbFirst } from '../../lib/rnn/bits.ts';
import {
  completenessReport,
  rnnAttributions,
} from '../../components/attribution/rnn-attributions.ts';
import { compileRunner } from '../../lib/rnn/simulate.ts';
import type { RnnWeights } from '../../lib/rnn/network.ts';
import { relativeError } from './allclose.ts';

/** Central finite differences of f at x, in float64. */
function finiteDifferences(f: Differentiable, x: Float64Array, h = 1e-5): Float64Array {
  return x.map((_, i) => {
    const up = Float64Array.from(x);
    const down = Float64Array.from(x);
    up[i]! += h;
    down[i]! -= h;
    return (f.valueAndGradient(up).value - f.valueAndGradient(down).value) / (2 * h);
  });
}

const random = mulberry32(7);
const uniform = (n: number, scale = 1) =>
  Float64Array.from({ length: n }, () => (2 * random() - 1) * scale);

describe('on a linear model', () => {
  const w = uniform(6, 3);
  const linear: Differentiable = {
    valueAndGradient: (x) => ({
      value: x.reduce((s, v, i) => s + v * w[i]!, 0),
      gradient: Float64Array.from(w),
    }),
  };
  it('gradient × input and integrated gradients (zero baseline) both equal w_i x_i', () => {
    const x = uniform(6, 2);
    const expected = x.map((v, i) => v * w[i]!);
    expect(relativeError(saliency(linear, x).gradientTimesInput, expected)).toBeLessThan(1e-15);
    const ig = integratedGradients(linear, x, new Float64Array(6), 1);
    expect(relativeError(ig.attributions, expected)).toBeLessThan(1e-14);
    expect(ig.completenessGap).toBeLessThan(1e-12);
  });
  it('rejects a baseline of the wrong size and a bad number of steps', () => {
    expect(() => integratedGradients(linear, uniform(6), uniform(5), 10)).toThrow(/baseline/);
    expect(() => integratedGradients(linear, uniform(6), uniform(6), 0)).toThrow(/steps/);
  });
});

describe('the binary-addition RNN', () => {
  const tanhNet: RnnWeights = {
    hidden_size: 4,
    activation: 'tanh',
    output_activation: 'sigmoid',
    W_xh: Array.from({ length: 4 }, () => [...uniform(2, 2)]),
    W_hh: Array.from({ length: 4 }, () => [...uniform(4, 1)]),
    b_h: [...uniform(4)],
    W_hy: [[...uniform(4, 2)]],
    b_y: [0.3],
    h0: [...uniform(4, 0.5)],
  };

  it.each([
    ['the sigmoid adder', sigmoidAdder(4)],
    ['a random tanh network', tanhNet],
  ])('%s: backpropagation through time matches finite differences', (_, weights) => {
    const steps = 7;
    const x = uniform(2 * steps).map((v) => 0.5 + 0.5 * v);
    for (const t of [0, 3, 6]) {
      const f = rnnOutput(weights, t, steps);
      const { gradient } = f.valueAndGradient(x);
      expect(relativeError(gradient, finiteDifferences(f, x)), `t = ${t}`).toBeLessThan(1e-7);
    }
  });

  it('the sigmoid adder adds: every pair of 6-bit numbers for sharpness 4 to 20', () => {
    for (const k of [4, 10, 20]) {
      const run = compileRunner(sigmoidAdder(k));
      for (let a = 0n; a < 64n; a++) {
        for (let b = 0n; b < 64n; b++) {
          const bits = run(toBitsLsbFirst(a, 7), toBitsLsbFirst(b, 7));
          expect(fromBitsLsbFirst([...bits]), `k = ${k}: ${a} + ${b}`).toBe(a + b);
        }
      }
    }
  });

  it('integrated gradients are complete, and output t depends on bits 0…t only: the carry chain', () => {
    // 100111 + 110010 = 1011001, least significant bit first.
    const a = [1, 1, 1, 0, 0, 1, 0];
    const b = [0, 1, 0, 0, 1, 1, 0];
    const x = rnnInput(a, b);
    const baseline = new Float64Array(x.length);
    for (let t = 0; t < a.length; t++) {
      const f = rnnOutput(sigmoidAdder(4), t, a.length);
      const coarse = integratedGradients(f, x, baseline, 16);
      const fine = integratedGradients(f, x, baseline, 256);
      const change = Math.abs(fine.value - fine.baselineValue);
      expect(fine.completenessGap, `t = ${t}`).toBeLessThan(1e-3 * Math.max(change, 1e-3));
      expect(fine.completenessGap).toBeLessThanOrEqual(coarse.completenessGap + 1e-12);
      for (let s = t + 1; s < a.length; s++) {
        expect(fine.attributions[s]).toBe(0);
        expect(fine.attributions[a.length + s]).toBe(0);
      }
      expect(saliency(f, x).gradient[t]).not.toBe(0);
    }
  });
});

describe('the pretrained transformer', () => {
  const { params, config } = loadModel(
    new Uint8Array(readFileSync('models/paper/model.safetensors')),
  );
  const [a, b] = [25, 100];
  const answer = (a + b) % config.p;
  const f = centredLogit(params, config, answer);
  const x = tokenEmbeddings(params, config, a, b);

  it("its centred logit is the reference forward pass's, and its gradient matches finite differences", () => {
    const logits = forward(params, config, [a, b, config.p], 'float64').logits;
    const reference = logits[answer]! - Array.from(logits).reduce((s, l) => s + l, 0) / config.p;
    const { value, gradient } = f.valueAndGradient(x);
    expect(Math.abs(value - reference) / Math.abs(reference)).toBeLessThan(1e-12);
    // Directional derivatives along random directions: one finite difference each.
    for (let k = 0; k < 5; k++) {
      const v = uniform(x.length);
      const h = 1e-5;
      const at = (s: number) => f.valueAndGradient(x.map((xi, i) => xi + s * v[i]!)).value;
      const numeric = (at(h) - at(-h)) / (2 * h);
      const analytic = gradient.reduce((s, g, i) => s + g * v[i]!, 0);
      expect(Math.abs(numeric - analytic) / Math.abs(analytic)).toBeLessThan(1e-5);
    }
  });

  it('integrated gradients from either baseline are complete, and the per-token sums add up', () => {
    for (const kind of ['zero', 'mean'] as const) {
      const ig = integratedGradients(f, x, embeddingBaseline(params, config, kind), 128);
      const change = ig.value - ig.baselineValue;
      expect(Math.abs(change)).toBeGreaterThan(1);
      expect(ig.completenessGap / Math.abs(change), kind).toBeLessThan(0.01);
      const perToken = groupSums(ig.attributions, config.d_model);
      expect(perToken).toHaveLength(3);
      expect(Math.abs(perToken.reduce((s, v) => s + v, 0) - ig.sum)).toBeLessThan(1e-9);
    }
  });
});

describe("completeness for the student's ReLU adder (lesson 2)", () => {
  // The ReLU solution of lesson 4. For 100111 + 110010 from the all-zeros baseline, output 2 is 0
  // at both ends (sum bit 2 is 0, and so is every output of the zero input) yet the straight path
  // between them crosses ReLU kinks, so the midpoint sum of its gradients is not exactly 0.
  const relu = JSON.parse(readFileSync('tests/fixtures/rnn/relu-solution.json', 'utf8'));
  const settings = {
    a: '100111',
    b: '110010',
    sharpness: 6,
    baseline: 'zeros' as const,
    gradientKind: 'gradient' as const,
  };
  const at = (steps: number) => rnnAttributions({ ...settings, steps }, relu).completeness;

  it('judges an output that is 0 at both ends by its absolute gap, not relative to a change of 0', () => {
    const fine = at(1000);
    expect(fine[2]!.value).toBe(0);
    expect(fine[2]!.baselineValue).toBe(0);
    // The gap is small but not zero: divided by a 1e-3 floor it read as a failure of 200%.
    expect(fine[2]!.gap).toBeGreaterThan(1e-4);
    expect(fine[2]!.gap / 1e-3).toBeGreaterThan(1);
    const report = completenessReport(fine, 1000, ['relu', 'linear']);
    expect(report.holds).toBe(true);
    expect(report.unchanged).toContain(2);
    expect(report.worstUnchanged).toBe(Math.max(...report.unchanged.map((t) => fine[t]!.gap)));
    expect(report.message).toContain('nothing to attribute');
    expect(report.message).not.toContain('raise m');
  });

  it('at few steps says the gap comes from ReLU kinks and shrinks as 1/m, and names the outputs', () => {
    const coarse = at(64);
    const report = completenessReport(coarse, 64, ['relu', 'linear']);
    expect(report.holds).toBe(false);
    expect(report.worstUnchanged).toBeGreaterThan(0.01);
    expect(report.message).toContain(`t = ${report.unchanged.join(', ')}`);
    expect(report.message).toContain('kinks');
    // The 1/m claim: sixteen times the steps, roughly a sixteenth of the gap (not 1/256).
    const ratio = coarse[2]!.gap / at(1024)[2]!.gap;
    expect(ratio).toBeGreaterThan(8);
    expect(ratio).toBeLessThan(32);
  });

  it('says no number of steps helps a step network, whose gradient is 0', () => {
    const step = JSON.parse(readFileSync('tests/fixtures/rnn/step-solution.json', 'utf8'));
    const c = rnnAttributions({ ...settings, steps: 1000 }, step).completeness;
    const report = completenessReport(c, 1000, [step.activation, step.output_activation]);
    expect(report.holds).toBe(false);
    expect(report.message).toContain('no number of steps');
  });
});
