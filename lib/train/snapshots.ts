// The weights a run keeps at its evaluations, so that its progress measures can be measured again
// with other key frequencies (the paper's way: with the final ones). At most a bounded number
// are kept: the early evaluations, where the curves move fastest, stay dense; later ones thin.
import type { Operation } from '../modarith/config.ts';
import type { Params } from '../modarith/params.ts';
import { progressMeasures, type ProgressMeasures } from '../modarith/progress.ts';

export interface Snapshot {
  epoch: number;
  params: Params;
}

/** How many snapshots a run keeps at most, and how many of the first it never drops. */
export const snapshotLimit = { max: 100, dense: 20 };

/** The most bytes of snapshots one copy holds (the worker keeps one, the page another). */
export const snapshotBytes = 48 * 2 ** 20;

/** The limit for snapshots of `params`: at most snapshotLimit.max, and snapshotBytes in all. */
export function snapshotLimitFor(params: Params): { max: number; dense: number } {
  const bytes = 4 * Object.values(params).reduce((n, t) => n + t.data.length, 0);
  const { max, dense } = snapshotLimit;
  return { max: Math.max(dense + 2, Math.min(max, Math.floor(snapshotBytes / bytes))), dense };
}

/**
 * Keeps at most `max` of `kept` (in epoch order): the first `dense` and the last always; when
 * there are too many, it drops the later snapshot whose neighbours are closest together, so the
 * rest stay evenly spread over the run however long it goes on.
 */
export function thinSnapshots<T extends { epoch: number }>(
  kept: readonly T[],
  { max, dense } = snapshotLimit,
): T[] {
  if (!(max > dense + 1)) throw new Error(`thinSnapshots: max (${max}) must exceed dense + 1.`);
  const out = [...kept];
  while (out.length > max) {
    let drop = dense;
    for (let i = dense; i < out.length - 1; i++) {
      const gap = (j: number) => out[j + 1]!.epoch - out[j - 1]!.epoch;
      if (gap(i) < gap(drop)) drop = i;
    }
    out.splice(drop, 1);
  }
  return out;
}

/**
 * The kept snapshots with `snapshot` added (replacing any from its epoch on: a run carried on
 * from an earlier state starts again there), thinned to the limit for its size.
 */
export function keepSnapshot(kept: readonly Snapshot[], snapshot: Snapshot): Snapshot[] {
  return thinSnapshots(
    [...kept.filter((s) => s.epoch < snapshot.epoch), snapshot],
    snapshotLimitFor(snapshot.params),
  );
}

/** A snapshot's own copy of the parameters (the originals may be transferred away). */
export function copyParams(params: Params): Params {
  return Object.fromEntries(
    Object.entries(params).map(([name, t]) => [name, { shape: t.shape, data: t.data.slice() }]),
  ) as Params;
}

/** What measuring a snapshot again gives: its losses with the key frequencies of now. */
export type Remeasured = { epoch: number } & Required<
  Pick<ProgressMeasures, 'restricted_loss' | 'excluded_loss'>
> &
  Pick<ProgressMeasures, 'excluded_loss_per_freq'>;

/**
 * Measures every snapshot again with `keyFreqs`: its logits from `logitsOf` (the trainer's
 * evaluator), then the restricted and excluded losses as progressMeasures computes them.
 */
export async function remeasure(
  snapshots: readonly Snapshot[],
  keyFreqs: readonly number[],
  logitsOf: (params: Params) => Promise<Float32Array>,
  run: { p: number; op: Operation; train: readonly number[] },
): Promise<Remeasured[]> {
  const out: Remeasured[] = [];
  for (const { epoch, params } of snapshots) {
    const logits = await logitsOf(params);
    const m = progressMeasures({ ...run, logits, keyFreqs, perFrequency: true });
    out.push({
      epoch,
      restricted_loss: m.restricted_loss,
      excluded_loss: m.excluded_loss ?? null,
      ...(m.excluded_loss_per_freq && { excluded_loss_per_freq: m.excluded_loss_per_freq }),
    });
  }
  return out;
}
