// The recorded run's shipped checkpoints (models/paper/checkpoints/), which the lab can carry on
// from instead of training the paper's configuration from the start.
import type { Params } from '../../lib/modarith/params.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import { withFinalMeasures, type HistoryRow, type RunMeasures } from '../../lib/train/metrics.ts';
import historyUrl from '../../models/paper/history.json?url';
import measuresUrl from '../../models/paper/measures.json?url';

const urls = import.meta.glob<string>('../../models/paper/checkpoints/epoch-*.safetensors', {
  query: '?url',
  import: 'default',
  eager: true,
});

/** The checkpoint files by epoch. */
const byEpoch = new Map(
  Object.entries(urls).map(([path, url]) => [Number(/epoch-(\d+)\./.exec(path)![1]), url]),
);

/** The epochs of the shipped checkpoints, in order. */
export const recordedCheckpoints: number[] = [...byEpoch.keys()].sort((a, b) => a - b);

/** What carrying the recorded run on starts from. */
export interface RecordedCheckpoint {
  /** The weights at the checkpoint */
  params: Params;
  /** The recorded run's history up to the checkpoint, measured as the paper measures */
  rows: HistoryRow[];
}

async function fetched(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the server answered ${response.status} for ${url}`);
  return response;
}

/** The recorded run's weights at a shipped checkpoint, and its history up to there. */
export async function loadCheckpoint(epoch: number): Promise<RecordedCheckpoint> {
  const url = byEpoch.get(epoch);
  if (!url) throw new Error(`the recorded run has no checkpoint at epoch ${epoch}`);
  const [file, run, final] = await Promise.all([
    fetched(url).then((r) => r.arrayBuffer()),
    fetched(historyUrl).then((r) => r.json() as Promise<{ history: HistoryRow[] }>),
    fetched(measuresUrl).then((r) => r.json() as Promise<RunMeasures>),
  ]);
  return {
    params: loadModel(new Uint8Array(file)).params,
    rows: withFinalMeasures(run.history, final).filter((row) => row.epoch <= epoch),
  };
}
