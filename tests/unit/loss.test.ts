// The training loss against float64 (goldens by scripts/goldens_loss.py), on onnxruntime-node and
// on onnxruntime-web's WASM build in Node, at margins from −5 to 40: per-example losses down to
// 1e-18, where float32's LogSoftmax returns 0. The WebGPU run of the same check is on /check/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  lossCheckGraph,
  lossFeeds,
  lossMismatches,
  type LossGolden,
} from '../../lib/train/loss-check.ts';
import { engines } from './web-ort.ts';

const golden = JSON.parse(readFileSync('tests/fixtures/loss/golden.json', 'utf8')) as LossGolden;

describe.each(engines)('the training loss on %s', (_name, ort, executionProviders) => {
  it('exact: loss and every gradient entry within 1e-3 of float64 at every margin', async () => {
    const session = await ort.InferenceSession.create(lossCheckGraph(golden, 'exact').toModel(), {
      executionProviders,
    });
    for (const batch of golden.batches) {
      const out = await session.run(lossFeeds(ort, golden, batch));
      const loss = (out['loss']!.data as Float32Array)[0]!;
      const grad = out['grad']!.data as Float32Array;
      expect(lossMismatches(batch, loss, grad), `margin ${batch.margin}`).toEqual([]);
    }
    await session.release();
  });

  it('naive: LogSoftmax in float32 loses the loss and the right answer’s gradient at large margins', async () => {
    const session = await ort.InferenceSession.create(lossCheckGraph(golden, 'naive').toModel(), {
      executionProviders,
    });
    const wrongAt: number[] = [];
    for (const batch of golden.batches) {
      const out = await session.run(lossFeeds(ort, golden, batch));
      const loss = (out['loss']!.data as Float32Array)[0]!;
      const grad = out['grad']!.data as Float32Array;
      if (lossMismatches(batch, loss, grad).length > 0) wrongAt.push(batch.margin);
    }
    // Right while p_y is visibly below 1, wrong from the margin where 1 − p_y nears float32's ulp.
    expect(wrongAt.includes(-5) || wrongAt.includes(0)).toBe(false);
    for (const margin of [16, 20, 30, 40]) expect(wrongAt).toContain(margin);
    await session.release();
  });
});
