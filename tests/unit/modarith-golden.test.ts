// lib/modarith against PyTorch: goldens made by scripts/goldens_modarith.py for three models of
// p = 53 (memorised, generalised, and an untrained one with attention biases).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../lib/modarith/analyze.ts';
import { hookOutputs } from '../../lib/modarith/export.ts';
import { forward } from '../../lib/modarith/forward.ts';
import { keyFrequencies } from '../../lib/modarith/measures.ts';
import { allInputs } from '../../lib/modarith/forward.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import { relative, relativeError } from './allclose.ts';

const dir = 'tests/fixtures/modarith';
type Measures = Omit<Analysis, 'p' | 'd_model' | 'n_heads' | 'd_mlp' | 'op'> & {
  neuron_freq: number[];
};
interface Golden {
  config: { p: number; d_model: number; n_heads: number; d_head: number; d_mlp: number };
  forward: Record<string, number[][] | number[][][]> & { tokens: number[][] };
  measures: Measures;
  final_keys?: number[];
  measures_with_final_keys?: Measures;
}
const load = (name: string) => ({
  model: loadModel(new Uint8Array(readFileSync(`${dir}/${name}.safetensors`))),
  golden: JSON.parse(readFileSync(`${dir}/${name}.golden.json`, 'utf8')) as Golden,
  train: JSON.parse(readFileSync(`${dir}/${name}.split.json`, 'utf8')) as number[],
});
const names = ['memorised', 'generalised', 'biased'];

/** Every scalar measure agrees: losses relative 1e-4 (when above 1e-6), the rest 1e-6. */
function expectMeasures(ours: Analysis, theirs: Measures) {
  expect(ours.key_freqs).toEqual(theirs.key_freqs);
  for (const key of [
    'full_loss',
    'train_loss',
    'test_loss',
    'restricted_loss',
    'excluded_loss',
  ] as const) {
    const [x, y] = [ours[key]!, theirs[key]!];
    if (Math.abs(y) > 1e-6) expect(relative(x, y), key).toBeLessThan(1e-4);
    else expect(Math.abs(x - y), key).toBeLessThan(1e-6);
  }
  ours.excluded_loss_per_freq!.forEach((x, j) =>
    expect(relative(x, theirs.excluded_loss_per_freq![j]!), `excluded ${j}`).toBeLessThan(1e-4),
  );
  for (const key of ['accuracy', 'train_accuracy', 'test_accuracy'] as const) {
    expect(ours[key], key).toBe(theirs[key]);
  }
  for (const key of ['gini_W_E', 'gini_W_L', 'sum_sq_weights'] as const) {
    expect(relative(ours[key]!, theirs[key]!), key).toBeLessThan(1e-6);
  }
}

describe.each(names)('the %s model', (name) => {
  const { model, golden, train } = load(name);

  it('reads its configuration from the shapes', () => {
    const { d_head, ...rest } = golden.config;
    expect(model.config).toEqual({ ...rest, d_head });
    expect(model.metadata['op']).toBe('add');
  });

  it.each(['float64', 'float32'] as const)('runs forward like PyTorch (%s)', (precision) => {
    const tokens = golden.forward.tokens.flat();
    const ours = forward(model.params, model.config, tokens, precision);
    const tolerance = precision === 'float64' ? 1e-10 : 1e-5;
    expect(relativeError(ours.logits, golden.forward['logits']!.flat(2)), 'logits').toBeLessThan(
      tolerance,
    );
    for (const hook of hookOutputs) {
      expect(relativeError(ours.hooks[hook], golden.forward[hook]!.flat(2)), hook).toBeLessThan(
        tolerance,
      );
    }
  });

  it('gives every progress measure as PyTorch does', () => {
    expectMeasures(analyze(model, { train }), golden.measures);
    const mlp = forward(model.params, model.config, allInputs(model.config.p), 'float64').hooks
      .mlp_post;
    expect(Array.from(keyFrequencies(mlp, model.config.p, model.config.d_mlp).neuronFreq)).toEqual(
      golden.measures.neuron_freq,
    );
  });
});

describe('following a run with the final model’s key frequencies', () => {
  it('measures the memorised checkpoint with the generalised model’s frequencies', () => {
    const { model, golden, train } = load('memorised');
    expect(golden.final_keys!.length).toBeGreaterThan(0);
    expectMeasures(
      analyze(model, { train, keyFreqs: golden.final_keys! }),
      golden.measures_with_final_keys!,
    );
  });

  it('sees the circuit: restricted loss falls and excluded loss rises from memorised to generalised', () => {
    const final = load('generalised').golden.measures.key_freqs;
    const before = analyze(load('memorised').model, {
      train: load('memorised').train,
      keyFreqs: final,
    });
    const after = analyze(load('generalised').model, { train: load('generalised').train });
    expect(after.test_accuracy).toBeGreaterThan(0.99);
    expect(before.test_accuracy).toBeLessThan(0.5);
    expect(after.restricted_loss).toBeLessThan(before.restricted_loss!);
    expect(after.excluded_loss).toBeGreaterThan(before.excluded_loss!);
    expect(after.gini_W_E).toBeGreaterThan(before.gini_W_E!);
  });
});

describe('npm run cli -- analyze', () => {
  const cli = (...args: string[]) => {
    try {
      return {
        code: 0,
        out: execFileSync(process.execPath, ['scripts/cli.ts', 'analyze', ...args]).toString(),
      };
    } catch (error) {
      const e = error as { status: number; stdout: Buffer; stderr: Buffer };
      return { code: e.status, out: e.stdout.toString() + e.stderr.toString() };
    }
  };

  it('prints every measure as JSON, agreeing with PyTorch', () => {
    const { code, out } = cli(
      `${dir}/generalised.safetensors`,
      '--train-indices',
      `${dir}/generalised.split.json`,
      '--json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(out) as Analysis;
    expect(report).toMatchObject({ p: 53, d_model: 32, n_heads: 4, d_mlp: 128 });
    expectMeasures(report, load('generalised').golden.measures);
  });

  it('uses the given key frequencies and leaves out split-only keys without a split', () => {
    const { code, out } = cli(`${dir}/memorised.safetensors`, '--key-freqs', '8,10,19', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as Analysis;
    expect(report.key_freqs).toEqual([8, 10, 19]);
    expect(report.train_loss).toBeUndefined();
    expect(report.excluded_loss).toBeUndefined();
    const golden = load('memorised').golden.measures_with_final_keys!;
    expect(relative(report.restricted_loss!, golden.restricted_loss!)).toBeLessThan(1e-4);
  });

  it('prints a readable report', () => {
    const { code, out } = cli(
      `${dir}/generalised.safetensors`,
      '--train-indices',
      `${dir}/generalised.split.json`,
    );
    expect(code).toBe(0);
    expect(out).toContain('p = 53, d_model = 32, 4 heads, d_mlp = 128');
    expect(out).toMatch(/key freqs\s+8, 10, 19/);
  });

  it('names what is wrong with a bad file or split', () => {
    const bad = cli('tests/fixtures/modarith/generalised.split.json');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/truncated|not valid JSON|safetensors/);
    const split = cli(
      `${dir}/generalised.safetensors`,
      '--train-indices',
      `${dir}/generalised.golden.json`,
    );
    expect(split.code).toBe(1);
    expect(split.out).toContain('must be a non-empty JSON array');
    expect(cli().code).toBe(2);
  });
});
