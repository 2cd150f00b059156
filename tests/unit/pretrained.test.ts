// The shipped pretrained model (models/paper): files as the manifest says, the ONNX graph agrees
// with the TypeScript reference, it is right on every input, and its run shows grokking.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../lib/modarith/analyze.ts';
import { hookOutputs } from '../../lib/modarith/export.ts';
import { allInputs, forward } from '../../lib/modarith/forward.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import type { HistoryRow, RunMeasures } from '../../lib/train/metrics.ts';
import { type Milestones, runMilestones } from '../../lib/train/milestones.ts';
import { relative, relativeError } from './allclose.ts';

const dir = 'models/paper';
const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as {
  config: { p: number };
  epochs: number;
  checkpoints: number[];
  settings: { loss?: string; architecture?: string };
  milestones: Milestones;
  metrics: { key_freqs: number[]; test_accuracy: number };
  sha256: Record<string, string>;
};
const model = loadModel(new Uint8Array(readFileSync(`${dir}/model.safetensors`)));
const train = JSON.parse(readFileSync(`${dir}/split.json`, 'utf8')) as number[];

describe('the pretrained model', () => {
  it('ships the files the manifest lists, unchanged, with the ONNX model under 2 MB', () => {
    for (const [name, hash] of Object.entries(manifest.sha256)) {
      expect(
        createHash('sha256')
          .update(readFileSync(`${dir}/${name}`))
          .digest('hex'),
        name,
      ).toBe(hash);
    }
    expect(readFileSync(`${dir}/model.onnx`).length).toBeLessThan(2 * 2 ** 20);
    expect(model.config).toEqual({ p: 113, d_model: 128, n_heads: 4, d_head: 32, d_mlp: 512 });
  });

  it('runs in onnxruntime-node like the TypeScript forward pass, and is right on all 12,769 inputs', async () => {
    const session = await ort.InferenceSession.create(`${dir}/model.onnx`);
    const tokens = allInputs(113);
    const out = await session.run({
      tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [12_769, 3]),
    });
    const reference = forward(model.params, model.config, tokens, 'float32');
    expect(relativeError(out['logits']!.data as Float32Array, reference.logits)).toBeLessThan(1e-5);
    for (const hook of hookOutputs) {
      expect(
        relativeError(out[hook]!.data as Float32Array, reference.hooks[hook]),
        hook,
      ).toBeLessThan(1e-5);
    }
    const logits = out['logits']!.data as Float32Array;
    let correct = 0;
    for (let i = 0; i < 12_769; i++) {
      const row = logits.subarray(i * 113, (i + 1) * 113);
      if (row.indexOf(Math.max(...row)) === (Math.floor(i / 113) + (i % 113)) % 113) correct++;
    }
    expect(correct).toBe(12_769);
  });

  it('has the measures its manifest records', () => {
    const analysis = analyze(model, { train });
    expect(analysis.test_accuracy).toBe(1);
    expect(analysis.key_freqs).toEqual(manifest.metrics.key_freqs);
  });

  it('grokked: its history memorises first, generalises long after, every 100 epochs', () => {
    const { history } = JSON.parse(readFileSync(`${dir}/history.json`, 'utf8')) as {
      history: HistoryRow[];
    };
    expect(history.map((r) => r.epoch)).toEqual(
      Array.from({ length: manifest.epochs / 100 + 1 }, (_, k) => 100 * k),
    );
    const memorised = history.find((r) => r.train_accuracy === 1)!.epoch;
    const generalised = history.find((r) => r.test_accuracy > 0.99)!.epoch;
    expect(memorised).toBeLessThanOrEqual(500);
    expect(generalised).toBeGreaterThan(5 * memorised);
    expect(history.at(-1)!.test_accuracy).toBe(1);
  });

  it('trained with the exact loss: no slingshot spike, the restricted loss well ahead of the test loss', () => {
    const { history } = JSON.parse(readFileSync(`${dir}/history.json`, 'utf8')) as {
      history: HistoryRow[];
    };
    const { measures } = JSON.parse(readFileSync(`${dir}/measures.json`, 'utf8')) as RunMeasures;
    expect(manifest.settings.loss).toBe('exact');
    expect(manifest.settings.architecture).toBe('paper');
    const milestones = runMilestones(history, measures);
    expect(manifest.milestones).toEqual(milestones);
    expect(milestones.spikes).toEqual([]);
    expect(milestones.restrictedBelowOne).toBeLessThan(milestones.testBelowOne! - 1000);
    // Trained on past clean-up by at least 5,000 epochs, and still clean at the end.
    expect(manifest.epochs).toBeGreaterThanOrEqual(milestones.cleanedUp! + 5000);
    const last = history.at(-1)!;
    expect(last.test_loss).toBeLessThan(20 * last.train_loss);
  });

  it('keeps checkpoints at the phase boundaries: memorised, clean-up starts, cleaned up', () => {
    const { memorised: m, cleanupStart, cleanedUp } = manifest.milestones;
    expect(manifest.checkpoints).toEqual([m, cleanupStart, cleanedUp]);
    const at = (epoch: number) =>
      analyze(
        loadModel(new Uint8Array(readFileSync(`${dir}/checkpoints/epoch-${epoch}.safetensors`))),
        {
          train,
          keyFreqs: manifest.metrics.key_freqs,
        },
      );
    const [memorised, forming, clean] = manifest.checkpoints.map(at);
    expect(memorised!.train_accuracy).toBe(1);
    expect(memorised!.test_accuracy).toBeLessThan(0.2);
    // The circuit forms before the test accuracy moves: restricted loss falls, excluded loss rises.
    expect(forming!.test_accuracy!).toBeLessThan(0.5 * clean!.test_accuracy!);
    expect(forming!.restricted_loss).toBeLessThan(memorised!.restricted_loss!);
    expect(forming!.excluded_loss).toBeGreaterThan(memorised!.excluded_loss!);
    expect(clean!.test_accuracy).toBe(1);
    expect(clean!.sum_sq_weights).toBeLessThan(forming!.sum_sq_weights!);
  });

  it('records every checkpoint measured against the final key frequencies, as the paper does', () => {
    const { key_freqs, measures } = JSON.parse(readFileSync(`${dir}/measures.json`, 'utf8')) as {
      key_freqs: number[];
      measures: { epoch: number; restricted_loss: number; excluded_loss: number }[];
    };
    expect(key_freqs).toEqual(manifest.metrics.key_freqs);
    expect(measures.map((m) => m.epoch)).toEqual(
      Array.from({ length: manifest.epochs / 100 }, (_, i) => 100 * (i + 1)),
    );
    // A shipped checkpoint, analysed independently in float64.
    const between = manifest.milestones.cleanupStart;
    const middle = loadModel(
      new Uint8Array(readFileSync(`${dir}/checkpoints/epoch-${between}.safetensors`)),
    );
    const analysis = analyze(middle, { train, keyFreqs: key_freqs });
    const row = measures.find((m) => m.epoch === between)!;
    expect(relative(row.restricted_loss, analysis.restricted_loss!)).toBeLessThan(1e-3);
    expect(relative(row.excluded_loss, analysis.excluded_loss!)).toBeLessThan(1e-3);
    // The progress measures move first: the excluded loss passes 1 while the test loss is high.
    const { history } = JSON.parse(readFileSync(`${dir}/history.json`, 'utf8')) as {
      history: HistoryRow[];
    };
    const memorised = history.find((r) => r.train_accuracy >= 0.99)!.epoch;
    const rising = measures.find((m) => m.epoch > memorised && m.excluded_loss > 1)!.epoch;
    const falling = history.find((r) => r.test_loss < 1)!.epoch;
    expect(rising).toBeLessThan(falling - 1000);
  }, 60_000);
});
