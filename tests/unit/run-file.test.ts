// A run as one file: written by the lab, read back exactly, measured by `npm run cli -- analyze`
// as the lab's worker measured it, and refused with a message when it is not a run.
import * as ort from 'onnxruntime-node';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../lib/modarith/analyze.ts';
import { paramNames } from '../../lib/modarith/params.ts';
import { checkLabSettings, labSettingsOf } from '../../lib/train/lab-settings.ts';
import { historyRow, type HistoryRow } from '../../lib/train/metrics.ts';
import { presets } from '../../lib/train/presets.ts';
import { runFromJson, runToJson, type Run } from '../../lib/train/run-file.ts';
import { copyParams, remeasure, type Snapshot } from '../../lib/train/snapshots.ts';
import { Trainer } from '../../lib/train/trainer.ts';
import { relative } from './allclose.ts';

/** A short lab run of a small model: rows and snapshots every 15 epochs. */
async function shortRun(): Promise<{
  run: Run;
  remeasured: Awaited<ReturnType<typeof remeasure>>;
}> {
  const lab = { ...labSettingsOf(presets.quickGrok, 45), p: 23, d_model: 16, d_mlp: 48, seed: 3 };
  const checked = checkLabSettings(lab);
  if (!checked.ok) throw new Error(checked.errors.join(' '));
  const trainer = await Trainer.create(ort, checked.settings);
  const history: HistoryRow[] = [];
  const snapshots: Snapshot[] = [];
  for (let epoch = 0; epoch <= 45; epoch++) {
    if (epoch % 15 === 0) {
      const { params } = await trainer.state();
      history.push(
        historyRow(await trainer.evaluate(), params, checked.settings.config, trainer.train, 'add'),
      );
      snapshots.push({ epoch, params: copyParams(params) });
    }
    if (epoch < 45) await trainer.stepOnce();
  }
  const keyFreqs = [3, 8];
  const remeasured = await remeasure(snapshots, keyFreqs, (p) => trainer.logitsOf(p), {
    p: 23,
    op: 'add',
    train: trainer.train,
  });
  await trainer.release();
  return { run: { lab, history, keyFreqs, split: trainer.train, snapshots }, remeasured };
}

describe('a run file', () => {
  it('round-trips exactly and is measured by the CLI as the lab measured it', async () => {
    const { run, remeasured } = await shortRun();
    const text = runToJson(run);
    const back = runFromJson(text);
    expect(back.lab).toEqual(run.lab);
    expect(back.history).toEqual(run.history);
    expect([back.keyFreqs, back.split]).toEqual([run.keyFreqs, run.split]);
    expect(back.snapshots.map((s) => s.epoch)).toEqual([0, 15, 30, 45]);
    for (const [j, s] of back.snapshots.entries()) {
      for (const name of paramNames) {
        expect(Array.from(s.params[name].data)).toEqual(
          Array.from(run.snapshots[j]!.params[name].data),
        );
      }
    }
    const path = join(mkdtempSync(join(tmpdir(), 'run-file-')), 'run.json');
    writeFileSync(path, text);
    const cli = JSON.parse(
      execFileSync(process.execPath, ['scripts/cli.ts', 'analyze', path, '--json'], {
        encoding: 'utf8',
      }),
    ) as { key_freqs: number[]; measures: (Analysis & { epoch: number })[] };
    expect(cli.key_freqs).toEqual([3, 8]);
    cli.measures.forEach((m, j) => {
      expect(m.epoch).toBe(remeasured[j]!.epoch);
      expect(relative(m.restricted_loss!, remeasured[j]!.restricted_loss!)).toBeLessThan(1e-4);
      expect(relative(m.excluded_loss!, remeasured[j]!.excluded_loss!)).toBeLessThan(1e-4);
      expect(relative(m.test_loss!, run.history[j]!.test_loss)).toBeLessThan(1e-4);
    });
  }, 60_000);

  it.each([
    ['not JSON', 'This is not a JSON file.'],
    ['{"format": "other"}', 'This is not a run exported by the lab'],
    [
      JSON.stringify({ format: 'grokking-run/1', settings: { p: 60 } }),
      "The run's settings lack op, fraction",
    ],
    [
      JSON.stringify({ format: 'grokking-run/1', settings: false }),
      "The run's settings are missing.",
    ],
  ])('refuses %s with a message', (text, message) => {
    expect(() => runFromJson(text)).toThrow(message);
  });

  it('refuses settings that are not numbers of the right kind, and repeated key frequencies', async () => {
    const { run } = await shortRun();
    const file = JSON.parse(runToJson(run)) as {
      settings: Record<string, unknown>;
      key_freqs: number[];
    };
    for (const [key, value] of [
      ['lr', '0.003'],
      ['fraction', [0.5]],
      ['seed', true],
      ['weightDecay', ''],
      ['d_mlp', null],
    ] as const) {
      const text = JSON.stringify({ ...file, settings: { ...file.settings, [key]: value } });
      expect(() => runFromJson(text), key).toThrow("The run's settings are not valid");
    }
    expect(() => runFromJson(JSON.stringify({ ...file, key_freqs: [3, 3] }))).toThrow(
      'key_freqs must be distinct (got 3, 3).',
    );
    const history = run.history.map((row) => ({ ...row, key_freqs: [3, 3] }));
    expect(() => runFromJson(JSON.stringify({ ...file, history }))).toThrow(
      'the row of epoch 0 repeats a key frequency',
    );
  }, 60_000);

  it('names a snapshot tensor of the wrong size', async () => {
    const { run } = await shortRun();
    const file = JSON.parse(runToJson(run)) as {
      snapshots: { tensors: Record<string, { base64: string }> }[];
    };
    file.snapshots[1]!.tensors['embed.W_E']!.base64 = btoa('\0\0\0\0');
    expect(() => runFromJson(JSON.stringify(file))).toThrow(
      'Tensor embed.W_E (snapshot at epoch 15) has 1 numbers where shape 24×16 needs 384.',
    );
  }, 60_000);
});
