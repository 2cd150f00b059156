// Which weight snapshots a run keeps: bounded in number, the early ones dense, the last one kept.
import { describe, expect, it } from 'vitest';
import { initParams } from '../../lib/modarith/params.ts';
import { presets } from '../../lib/train/presets.ts';
import { snapshotBytes, snapshotLimitFor, thinSnapshots } from '../../lib/train/snapshots.ts';

const evaluations = (n: number, every = 10) =>
  Array.from({ length: n }, (_, i) => ({ epoch: i * every }));

describe('thinSnapshots', () => {
  it('keeps everything up to the limit', () => {
    expect(thinSnapshots(evaluations(100))).toEqual(evaluations(100));
  });

  it('stays bounded however long the run, dense at first, with the latest kept', () => {
    let kept: { epoch: number }[] = [];
    for (const e of evaluations(2000)) {
      kept = thinSnapshots([...kept, e]);
      expect(kept.length).toBeLessThanOrEqual(100);
      expect(kept.at(-1)).toEqual(e);
    }
    expect(kept.slice(0, 20)).toEqual(evaluations(20));
    const epochs = kept.map((k) => k.epoch);
    expect(epochs).toEqual([...epochs].sort((x, y) => x - y));
    expect(new Set(epochs).size).toBe(epochs.length);
    // The later snapshots spread evenly over the run (the newest gap is still closing).
    expect(kept.length).toBe(100);
    const gaps = epochs.slice(21, -1).map((e, i) => e - epochs[20 + i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2.5 * Math.min(...gaps));
  });

  it('refuses a limit it cannot keep', () => {
    expect(() => thinSnapshots(evaluations(5), { max: 3, dense: 2 })).toThrow(/must exceed/);
  });
});

describe('snapshotLimitFor', () => {
  it('keeps 100 snapshots of a small model and bounds the bytes of a large one', () => {
    const quick = initParams(presets.quickGrok.config, 0);
    const paper = initParams(presets.paper.config, 0);
    expect(snapshotLimitFor(quick)).toEqual({ max: 100, dense: 20 });
    const { max } = snapshotLimitFor(paper);
    const bytes = 4 * Object.values(paper).reduce((n, t) => n + t.data.length, 0);
    expect(max).toBeLessThan(100);
    expect(max * bytes).toBeLessThanOrEqual(snapshotBytes);
    expect(max).toBeGreaterThan(40);
  });
});
