// npm run train: a short run writes its history, checkpoints, state and models, and resumes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { allInputs, forward } from '../../lib/modarith/forward.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import type { HistoryRow } from '../../lib/train/metrics.ts';
import { relativeError } from './allclose.ts';

const train = (...args: string[]) =>
  execFileSync(process.execPath, ['scripts/train.ts', ...args], { encoding: 'utf8' });
const tiny = ['--p', '13', '--d-model', '16', '--heads', '2', '--d-mlp', '32', '--fraction', '0.6'];

describe('npm run train', () => {
  const out = mkdtempSync(join(tmpdir(), 'train-'));
  const history = () =>
    JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
      commands: string[];
      history: HistoryRow[];
    };

  it('trains, evaluating every N epochs and writing checkpoints and the final models', async () => {
    const log = train(
      '--out',
      out,
      ...tiny,
      '--epochs',
      '40',
      '--eval-every',
      '10',
      '--checkpoints',
      '20',
    );
    expect(log).toContain('epoch 40/40');
    expect(log).toContain('Done at epoch 40');
    const rows = history().history;
    expect(rows.map((r) => r.epoch)).toEqual([0, 10, 20, 30, 40]);
    expect(rows.at(-1)!.train_loss).toBeLessThan(rows[0]!.train_loss);
    for (const row of rows) {
      for (const value of Object.values(row))
        if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
    }
    expect(
      loadModel(new Uint8Array(readFileSync(join(out, 'checkpoints', 'epoch-20.safetensors'))))
        .metadata,
    ).toMatchObject({
      epoch: '20',
      op: 'add',
    });
    // The exported ONNX model runs and agrees with the TypeScript forward pass.
    const model = loadModel(new Uint8Array(readFileSync(join(out, 'model.safetensors'))));
    const session = await ort.InferenceSession.create(join(out, 'model.onnx'));
    const tokens = allInputs(13);
    const result = await session.run({
      tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [169, 3]),
    });
    const reference = forward(model.params, model.config, tokens, 'float64');
    expect(relativeError(result['logits']!.data as Float32Array, reference.logits)).toBeLessThan(
      1e-5,
    );
    expect(
      relativeError(result['mlp_post']!.data as Float32Array, reference.hooks.mlp_post),
    ).toBeLessThan(1e-5);
  });

  it('resumes where it stopped and gives what one uninterrupted run gives', () => {
    train('--out', out, '--epochs', '60', '--eval-every', '10', '--resume');
    const resumed = history();
    expect(resumed.commands).toHaveLength(2);
    expect(resumed.history.map((r) => r.epoch)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    const straight = mkdtempSync(join(tmpdir(), 'train-'));
    train('--out', straight, ...tiny, '--epochs', '60', '--eval-every', '10');
    const once = JSON.parse(readFileSync(join(straight, 'history.json'), 'utf8')) as {
      history: HistoryRow[];
    };
    expect(resumed.history.at(-1)!.train_loss).toBe(once.history.at(-1)!.train_loss);
  });

  it('refuses bad options with a message', () => {
    const run = (...args: string[]) => {
      try {
        train(...args);
        return '';
      } catch (error) {
        return String((error as { stderr: string }).stderr);
      }
    };
    expect(run('--out', join(out, 'x'), '--lr', 'fast')).toContain('--lr must be a number');
    expect(run('--out', join(out, 'y'), '--d-model', '30', '--heads', '4')).toContain(
      'multiple of --heads',
    );
    expect(run('--out', join(out, 'z'), '--resume')).toContain('Nothing to resume');
  });
});
