// The widgets' state modules driven message by message, as their components drive them: the
// lab's run (lab-run.svelte.ts) with a scripted training worker, and the RNN editing session
// (rnn-editing.svelte.ts) with the real grader run in place of its worker.
import { describe, expect, it } from 'vitest';
import { LabRun, type LabServices } from '../../components/lab/lab-run.svelte.ts';
import { saveRun, savedRunProblem, type SavedRun } from '../../components/lab/saved-run.ts';
import { solvedNetwork } from '../../components/attribution/rnn-attributions.ts';
import { RnnEditing, type EditingServices } from '../../components/rnn/rnn-editing.svelte.ts';
import { initParams, paramNames } from '../../lib/modarith/params.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import { exerciseById } from '../../lib/rnn/exercises.ts';
import { grade } from '../../lib/rnn/grade.ts';
import { differences, labQuery, labSettingsOf } from '../../lib/train/lab-settings.ts';
import type { HistoryRow } from '../../lib/train/metrics.ts';
import type { Snapshot } from '../../lib/train/snapshots.ts';
import { labPresets, presets } from '../../lib/train/presets.ts';
import type { TrainState } from '../../lib/train/trainer.ts';
import type { TrainMessage, TrainRequest } from '../../workers/train-serve.ts';
import { KeptStore } from '../../lib/kept-store.ts';
import { mapStorage } from './map-storage.ts';

type Start = Extract<TrainRequest, { type: 'start' }>;

/** A training worker the test speaks for, and storage kept in memory. */
function fakeLab(saved?: { run?: SavedRun; state?: unknown; snapshots?: unknown }) {
  const runs: { request: Start; hear: (m: TrainMessage) => void; calls: string[] }[] = [];
  const store = {
    run: saved?.run,
    state: saved?.state as { runId: string; state: TrainState } | undefined,
    snapshots: saved?.snapshots as { runId: string; snapshots: Snapshot[] } | undefined,
    queries: [] as string[],
    full: false,
  };
  const services: LabServices = {
    startTraining(request, hear) {
      const calls: string[] = [];
      runs.push({ request, hear, calls });
      return {
        pause: () => calls.push('pause'),
        resume: () => calls.push('resume'),
        stop: () => calls.push('stop'),
      };
    },
    saveRun: (run) => {
      if (store.full) return false;
      store.run = run;
      return true;
    },
    loadRun: () => store.run as SavedRun | { broken: string } | undefined,
    clearRun: () => (store.run = undefined),
    saveState: async (runId, state) => void (store.state = { runId, state }),
    loadState: async () => store.state,
    clearState: async () => void ([store.state, store.snapshots] = [undefined, undefined]),
    saveSnapshots: async (runId, snapshots) => void (store.snapshots = { runId, snapshots }),
    loadSnapshots: async () => store.snapshots,
    showQuery: (query) => store.queries.push(query),
    // A recorded checkpoint: weights drawn from the epoch as seed, so each is told apart.
    loadCheckpoint: async (epoch) => {
      if (epoch === 404) throw new Error('the server answered 404');
      const rows = [0, epoch / 2, epoch].map((e) => ({ ...rowAt(e), key_freqs: [7, 13] }));
      return { params: initParams(presets.paper.config, epoch), rows };
    },
  };
  return { lab: new LabRun(services), runs, store };
}

const config = presets.quickGrok.config;
const stateAt = (epoch: number): TrainState => {
  const params = initParams(config, 1);
  const zeros = Object.fromEntries(
    paramNames.map((n) => [n, new Float32Array(params[n].data.length)]),
  ) as TrainState['m'];
  return { epoch, params, m: zeros, v: zeros };
};
const rowAt = (epoch: number): HistoryRow => ({
  epoch,
  train_loss: 1,
  test_loss: 2,
  train_accuracy: 0.5,
  test_accuracy: 0.1,
  key_freqs: [],
  restricted_loss: 3,
  excluded_loss: 4,
  gini_W_E: 0.1,
  gini_W_L: 0.2,
  sum_sq_weights: 900,
});

describe("the lab's run from the recorded run's checkpoint", () => {
  it('carries the paper configuration on from the checkpoint, moments from zero, curves afresh', async () => {
    const { lab, runs, store } = fakeLab({
      run: { id: 'r1', lab: labSettingsOf(presets.quickGrok, 1500), rows: [rowAt(50)], epoch: 50 },
    });
    lab.restore('');
    await lab.continueRecorded(3000);
    expect(lab.preset).toBe('paper');
    expect(lab.status).toBe('starting');
    // The recorded curves to the checkpoint, with the key frequencies they were measured with.
    expect(lab.rows.map((r) => r.epoch)).toEqual([0, 1500, 3000]);
    expect([lab.epoch, lab.stateEpoch, lab.measuredWith]).toEqual([3000, 3000, [7, 13]]);
    expect(store.run).toBeUndefined(); // the old run's curves no longer describe this one
    const { request } = runs[0]!;
    expect(request.settings).toEqual(presets.paper);
    expect(request.epochs).toBe(labPresets.paper.epochs);
    expect(request.state!.epoch).toBe(3000);
    const expected = initParams(presets.paper.config, 3000);
    for (const name of paramNames) {
      expect(request.state!.params[name].data).toEqual(expected[name].data);
      expect(request.state!.m[name].every((x) => x === 0)).toBe(true);
      expect(request.state!.v[name].length).toBe(expected[name].data.length);
    }
    expect(lab.message).toMatch(/epoch 3,000.*moments start again from zero/);
    runs[0]!.hear({ type: 'ready', backend: 'wasm', threads: 2, trainSize: 3830 });
    runs[0]!.hear({ type: 'progress', epoch: 3001, loss: 0.01, stepsPerSecond: 5 });
    expect([lab.status, lab.epoch]).toEqual(['running', 3001]);
    // The worker measures its own snapshots only: the recorded rows keep theirs while the key
    // frequencies agree, and lose them when they change.
    const own = { epoch: 3500, restricted_loss: 0.5, excluded_loss: 6 };
    runs[0]!.hear({ type: 'measured', keyFreqs: [7, 13], rows: [own] });
    expect(lab.rows[1]!.restricted_loss).toBe(3);
    runs[0]!.hear({ type: 'measured', keyFreqs: [7, 14], rows: [own] });
    expect(lab.rows[1]!.restricted_loss).toBeNull();
  });

  it('names the preset its settings are, after a reload too, and none once one is changed', () => {
    const paper = labSettingsOf(presets.paper, labPresets.paper.epochs);
    const { lab } = fakeLab({ run: { id: 'r1', lab: paper, rows: [rowAt(5000)], epoch: 5000 } });
    expect(lab.preset).toBe('quickGrok');
    lab.restore('');
    expect(lab.preset).toBe('paper');
    lab.lab.p = 97;
    expect(lab.preset).toBeUndefined();
    lab.choose('quickGrok');
    expect(lab.preset).toBe('quickGrok');
  });

  it('says why when the checkpoint cannot be had, and starts nothing', async () => {
    const { lab, runs } = fakeLab();
    await lab.continueRecorded(404);
    expect(runs).toHaveLength(0);
    expect(lab.status).toBe('idle');
    expect(lab.message).toContain(
      'checkpoint at epoch 404 could not be loaded: the server answered 404',
    );
  });
});

describe("the lab's run", () => {
  it('starts the preset on the chosen backend, measures, saves, and finishes', () => {
    const { lab, runs, store } = fakeLab();
    lab.start();
    expect(lab.status).toBe('starting');
    expect(runs).toHaveLength(1);
    const { request, hear } = runs[0]!;
    expect(request.settings).toEqual(presets.quickGrok);
    const epochs = labPresets.quickGrok.epochs;
    // The balanced speed: about 50 measurements over the run, every multiple of 10 epochs.
    const every = Math.max(10, Math.round(epochs / 500) * 10);
    expect([request.backend, request.epochs, request.evalEvery]).toEqual(['wasm', epochs, every]);
    expect(store.queries).toEqual([labQuery(lab.lab)]);

    hear({ type: 'ready', backend: 'wasm', threads: 2, trainSize: 1740 });
    expect([lab.status, lab.engine]).toEqual(['running', 'WASM, 2 threads']);
    hear({ type: 'progress', epoch: 10, loss: 4, stepsPerSecond: 20 });
    expect(lab.eta).toBe((epochs - 10) / 20);
    hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) }); // the same epoch again
    expect(lab.rows.map((r) => r.epoch)).toEqual([30]);
    expect(store.run?.rows.map((r) => r.epoch)).toEqual([30]);
    expect(store.state?.state.epoch).toBe(30);
    expect(lab.stateEpoch).toBe(30);

    hear({ type: 'done', epoch: 40, reason: 'stopped', state: stateAt(40) });
    expect([lab.status, lab.epoch, lab.stateEpoch, lab.canCarryOn]).toEqual(['done', 40, 40, true]);
    lab.carryOn();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.request.state?.epoch).toBe(40);
    expect(lab.rows).toHaveLength(1); // carrying on keeps the curves
  });

  it('measures every row again with the new key frequencies, and carries the snapshots on', () => {
    const { lab, runs, store } = fakeLab();
    lab.start();
    const { request, hear } = runs[0]!;
    expect(request.remeasure?.snapshots).toEqual([]);
    hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    hear({ type: 'evaluation', row: rowAt(60), state: stateAt(60) });
    hear({
      type: 'measured',
      keyFreqs: [5, 18],
      rows: [{ epoch: 30, restricted_loss: 0.25, excluded_loss: 7 }],
    });
    expect(lab.measuredWith).toEqual([5, 18]);
    expect(lab.rows.map((r) => [r.epoch, r.restricted_loss, r.excluded_loss, r.key_freqs])).toEqual(
      [
        [30, 0.25, 7, [5, 18]],
        [60, null, null, [5, 18]], // its snapshot was not measured again: no value, not a stale one
      ],
    );
    expect(store.run?.rows[0]!.restricted_loss).toBe(0.25);
    expect(store.snapshots?.snapshots.map((s) => s.epoch)).toEqual([30, 60]);
    hear({ type: 'done', epoch: 60, reason: 'stopped', state: stateAt(60) });
    lab.carryOn();
    expect(runs[1]!.request.remeasure?.snapshots.map((s) => s.epoch)).toEqual([30, 60]);
  });

  it('sweeps one setting in three runs, one after the other, and keeps the last four runs', () => {
    const { lab, runs } = fakeLab();
    lab.sweep('weightDecay');
    for (const [i, wd] of [0.3, 1, 3].entries()) {
      expect(lab.sweeping).toEqual({ title: 'weight decay', run: i + 1, of: 3 });
      expect(runs[i]!.request.settings.weightDecay).toBe(wd);
      runs[i]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
      runs[i]!.hear({ type: 'done', epoch: 30, reason: 'finished', state: stateAt(30) });
    }
    expect(runs).toHaveLength(3);
    expect(lab.sweeping).toBeUndefined();
    expect(lab.kept.map((k) => k.lab.weightDecay)).toEqual([0.3, 1, 3]);
    expect(lab.kept.every((k) => k.rows.length === 1)).toBe(true);
    // Two more runs: only the last four are kept.
    lab.start();
    runs[3]!.hear({ type: 'done', epoch: 30, reason: 'finished', state: stateAt(30) });
    lab.sweep('fraction');
    lab.stop(); // a stopped sweep goes no further
    runs[4]!.hear({ type: 'done', epoch: 10, reason: 'stopped', state: stateAt(10) });
    expect(runs).toHaveLength(5);
    expect(lab.sweeping).toBeUndefined();
    expect(lab.kept.map((k) => [k.lab.weightDecay, k.lab.fraction])).toEqual([
      [1, 0.5],
      [3, 0.5],
      [3, 0.5],
      [3, 0.3],
    ]);
  });

  it('pauses, resumes and stops the worker it started', () => {
    const { lab, runs } = fakeLab();
    lab.start();
    runs[0]!.hear({ type: 'ready', backend: 'wasm', threads: 1, trainSize: 1 });
    lab.pause();
    expect(lab.status).toBe('paused');
    lab.resume();
    lab.stop();
    expect(runs[0]!.calls).toEqual(['pause', 'resume', 'stop']);
  });

  it('moves a run to the other backend from the epoch it stopped at', () => {
    const { lab, runs } = fakeLab();
    lab.start();
    runs[0]!.hear({ type: 'ready', backend: 'wasm', threads: 2, trainSize: 1 });
    runs[0]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    lab.chooseBackend('webgpu');
    expect(runs[0]!.calls).toEqual(['stop']);
    expect(lab.message).toBe('Moving the run…');
    runs[0]!.hear({ type: 'done', epoch: 35, reason: 'stopped', state: stateAt(35) });
    expect(runs).toHaveLength(2);
    expect(runs[1]!.request.backend).toBe('webgpu');
    expect(runs[1]!.request.state?.epoch).toBe(35);
    expect(lab.message).toBe('Carrying on from epoch 35 on WebGPU.');
    expect(lab.status).toBe('starting');
  });

  it('falls back to WASM when WebGPU fails, and stops on a WASM failure', () => {
    const { lab, runs } = fakeLab();
    lab.chooseBackend('webgpu');
    lab.start();
    expect(runs[0]!.request.backend).toBe('webgpu');
    runs[0]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    runs[0]!.hear({ type: 'error', message: 'device lost' });
    expect(runs[1]!.request.backend).toBe('wasm');
    expect(lab.chosen).toBe('wasm');
    expect(lab.message).toBe('WebGPU failed (device lost). Carrying on from epoch 30 on WASM.');
    runs[1]!.hear({ type: 'error', message: 'out of memory' });
    expect(lab.status).toBe('done');
    // The move is over: what is said of it goes; the state it kept can carry on.
    expect(lab.message).toBe(
      'Training stopped with an error: out of memory Carry on resumes it from epoch 30.',
    );
  });

  it('says when no WebGPU adapter was found, and when the loss diverged', () => {
    const { lab, runs } = fakeLab();
    lab.chooseBackend('webgpu');
    lab.start();
    runs[0]!.hear({ type: 'ready', backend: 'wasm', threads: 2, trainSize: 1 });
    expect(lab.message).toBe('No WebGPU adapter here: training on WASM instead.');
    runs[0]!.hear({ type: 'done', epoch: 12, reason: 'diverged' });
    expect(lab.message).toContain('diverged');
    expect(lab.status).toBe('done');
  });

  it("keeps the run's own settings when the form takes a preset: Carry on only under them", () => {
    const { lab, runs, store } = fakeLab();
    lab.start();
    runs[0]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    runs[0]!.hear({ type: 'done', epoch: 40, reason: 'stopped', state: stateAt(40) });
    const own = labSettingsOf(presets.quickGrok, labPresets.quickGrok.epochs);
    lab.choose('paper');
    expect([lab.canCarryOn, lab.settingsDiffer]).toEqual([false, true]);
    expect(lab.message).toMatch(/^Carry on needs the run's own settings: it was trained with p 59/);
    lab.carryOn();
    expect(runs).toHaveLength(1); // nothing started under shapes that are not the state's
    // The kept run, the run file and the model are still the run's own, not the paper's.
    lab.saveCurves();
    expect(store.run?.lab).toEqual(own);
    expect(JSON.parse(lab.runFile()!).settings).toEqual(own);
    const model = loadModel(lab.exportModel()!.bytes);
    expect(model.config.p).toBe(presets.quickGrok.config.p);
    expect([lab.epochs, lab.runLab]).toEqual([own.epochs, own]);
    // Back to the run's settings, with more epochs: it carries on to them.
    lab.choose('quickGrok');
    lab.lab.epochs = own.epochs + 500;
    expect(lab.canCarryOn).toBe(true);
    lab.carryOn();
    expect([runs[1]!.request.epochs, runs[1]!.request.state?.epoch]).toEqual([
      own.epochs + 500,
      40,
    ]);
    expect(runs[1]!.request.settings).toEqual(presets.quickGrok);
  });

  it('says what holds now: no stale move after a stop, no old rate on a new backend, no Carry on at the end', () => {
    const { lab, runs } = fakeLab();
    lab.start();
    runs[0]!.hear({ type: 'ready', backend: 'wasm', threads: 2, trainSize: 1 });
    runs[0]!.hear({ type: 'progress', epoch: 30, loss: 1, stepsPerSecond: 14 });
    runs[0]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    lab.chooseBackend('webgpu');
    runs[0]!.hear({ type: 'done', epoch: 35, reason: 'stopped', state: stateAt(35) });
    expect(lab.message).toBe('Carrying on from epoch 35 on WebGPU.');
    expect([lab.rate, lab.eta, lab.engine]).toEqual([0, undefined, '']); // until WebGPU reports
    lab.stop();
    runs[1]!.hear({ type: 'done', epoch: 35, reason: 'stopped', state: stateAt(35) });
    expect(lab.message).toBe('Carry on resumes it from epoch 35.');
    // A run that has done all its epochs offers no Carry on it cannot give.
    const end = labPresets.quickGrok.epochs;
    lab.start();
    runs[2]!.hear({ type: 'evaluation', row: rowAt(end), state: stateAt(end) });
    runs[2]!.hear({ type: 'done', epoch: end, reason: 'finished', state: stateAt(end) });
    expect(lab.canCarryOn).toBe(false);
    expect(lab.message).not.toContain('Carry on resumes');
    expect(lab.message).toContain('raise epochs to carry it on');
  });

  it('sweeps after a run with the same settings: four kept runs, told apart', () => {
    const { lab, runs } = fakeLab();
    lab.start();
    runs[0]!.hear({ type: 'done', epoch: 30, reason: 'finished', state: stateAt(30) });
    lab.sweep('weightDecay');
    for (const i of [1, 2, 3]) {
      runs[i]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
      runs[i]!.hear({ type: 'done', epoch: 30, reason: 'finished', state: stateAt(30) });
    }
    expect([lab.status, lab.sweeping]).toEqual(['done', undefined]);
    const labels = differences(lab.kept.map((k) => k.lab));
    expect(labels).toEqual([
      'weight decay 1 (run 1)',
      'weight decay 0.3',
      'weight decay 1 (run 3)',
      'weight decay 3',
    ]);
  });

  it("ties the kept state to its run: a file loaded since, or another tab's run, lends it no weights", async () => {
    const first = fakeLab();
    first.lab.start();
    first.runs[0]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    first.runs[0]!.hear({ type: 'done', epoch: 30, reason: 'stopped', state: stateAt(30) });
    // A shared run file that ends at the same epoch, with a split of its own.
    const shared = JSON.parse(first.lab.runFile()!) as { split: number[] };
    shared.split = shared.split.slice(1);
    const file = JSON.stringify(shared);
    const { store } = first;
    const loading = fakeLab({ run: store.run!, state: store.state, snapshots: store.snapshots });
    loading.lab.restore('');
    await expect.poll(() => loading.lab.stateEpoch).toBe(30);
    loading.lab.loadRunFile('shared.json', file);
    expect(loading.lab.stateEpoch).toBeUndefined();
    await expect.poll(() => loading.store.state).toBeUndefined(); // the old run's state is gone
    await expect.poll(() => loading.store.snapshots?.runId).toBe(loading.store.run!.id);
    expect(JSON.parse(loading.lab.runFile()!).split).toEqual(shared.split); // the file's own split
    // Back after a reload: the file's curves and split, and no state to carry on or export.
    const back = fakeLab({
      run: loading.store.run!,
      state: { runId: store.run!.id, state: stateAt(30) }, // another tab's, at the same epoch
      snapshots: loading.store.snapshots,
    });
    back.lab.restore('');
    await expect.poll(() => back.lab.message).toContain("is another run's");
    expect([back.lab.stateEpoch, back.lab.canCarryOn, back.lab.exportModel()]).toEqual([
      undefined,
      false,
      undefined,
    ]);
    expect(JSON.parse(back.lab.runFile()!).split).toEqual(shared.split);
    expect(JSON.parse(back.lab.runFile()!).snapshots).toHaveLength(1);
  });

  it('discards a damaged kept state or snapshots, says so, and exports nothing from them', async () => {
    const good = stateAt(30);
    const run: SavedRun = {
      id: 'r1',
      lab: labSettingsOf(presets.quickGrok, 1500),
      rows: [rowAt(30)],
      epoch: 30,
    };
    const short = { shape: [1], data: new Float32Array(3) };
    for (const [state, snapshots, problem] of [
      [{ ...good, params: { ...good.params, 'embed.W_E': short } }, undefined, 'embed.W_E has 3'],
      [{ ...good, params: undefined }, undefined, 'its parameters are missing'],
      [{ ...good, m: { ...good.m, 'embed.W_E': [1, 2] } }, undefined, 'moments lack embed.W_E'],
      [good, [null], 'a snapshot has no whole epoch'],
      [good, null, 'they are not a run’s snapshots'],
    ] as const) {
      const { lab, store } = fakeLab({
        run,
        state: { runId: 'r1', state },
        snapshots: snapshots === undefined ? undefined : { runId: 'r1', snapshots },
      });
      lab.restore('');
      await expect.poll(() => lab.message).toContain('so it was discarded');
      expect(lab.message).toContain(problem);
      expect([lab.stateEpoch, lab.exportModel(), store.state]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    }
  });

  it('shows the engine downloading before the first epoch, and forgets it once ready', () => {
    const { lab, runs } = fakeLab();
    lab.start();
    const { hear } = runs[0]!;
    hear({ type: 'download', what: 'the model engine', loaded: 2 ** 20, total: 4 * 2 ** 20 });
    expect(lab.download).toEqual({ what: 'the model engine', loaded: 2 ** 20, total: 4 * 2 ** 20 });
    hear({ type: 'ready', backend: 'wasm', threads: 2, trainSize: 1740 });
    expect(lab.download).toBeUndefined();
    // A failed download ends the start with the worker's message, and no bar left behind.
    lab.start();
    runs[1]!.hear({ type: 'download', what: 'the model engine', loaded: 10, total: 0 });
    runs[1]!.hear({ type: 'error', message: 'The model engine could not be downloaded (404).' });
    expect(lab.download).toBeUndefined();
    expect(lab.message).toContain('could not be downloaded (404)');
  });

  it("stops writing over another tab's kept run, says so, and keeps again once it starts afresh", () => {
    const { lab, runs, store } = fakeLab();
    lab.start();
    runs[0]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    const ours = JSON.stringify(store.run);
    lab.heardKept(ours); // our own write, heard back: nothing changes
    expect(lab.keeper).toBe(true);
    // The lab in another tab keeps its own run.
    const theirs = { ...store.run!, id: 'another-tab', epoch: 500 };
    store.run = theirs;
    lab.heardKept(JSON.stringify(theirs));
    expect(lab.keeper).toBe(false);
    expect(lab.message).toContain('another tab');
    runs[0]!.hear({ type: 'evaluation', row: rowAt(60), state: stateAt(60) });
    runs[0]!.hear({ type: 'done', epoch: 60, reason: 'finished', state: stateAt(60) });
    expect(store.run).toBe(theirs); // neither the curves, the state nor the snapshots overwrote it
    expect(store.state?.state.epoch).toBe(30);
    expect(lab.rows.map((r) => r.epoch)).toEqual([30, 60]); // this tab still shows its own run
    // A new run here is the student's choice: this tab keeps again.
    lab.start();
    runs[1]!.hear({ type: 'evaluation', row: rowAt(10), state: stateAt(10) });
    expect(lab.keeper).toBe(true);
    expect(store.run?.rows.map((r) => r.epoch)).toEqual([10]);
    // Another tab clearing the kept run (its own fresh start) counts as taking it over.
    lab.heardKept(null);
    expect(lab.keeper).toBe(false);
  });

  it('says when the curves cannot be kept, and leaves no older run to pass for this one', () => {
    const { lab, runs, store } = fakeLab();
    store.full = true;
    lab.start();
    runs[0]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    expect(lab.message).toContain('storage is full or blocked');
    const items = new Map([['grokking-lab/last-run', '{"older": true}']]);
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: (k: string) => items.delete(k),
    };
    const real = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
    try {
      expect(saveRun(store.run ?? { id: 'x', lab: lab.lab, rows: [rowAt(30)], epoch: 30 })).toBe(
        false,
      );
      expect(items.size).toBe(0);
    } finally {
      if (real) Object.defineProperty(globalThis, 'localStorage', real);
      else delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it('refuses to start with bad settings', () => {
    const { lab, runs } = fakeLab();
    lab.lab = { ...lab.lab, p: 60 };
    lab.start();
    expect(runs).toHaveLength(0);
    expect(lab.checked.ok).toBe(false);
  });

  it('brings back the last run after a reload, and carries on from its kept state', async () => {
    const first = fakeLab();
    first.lab.choose('noWeightDecay');
    first.lab.start();
    first.runs[0]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    first.runs[0]!.hear({ type: 'done', epoch: 30, reason: 'stopped', state: stateAt(30) });
    first.lab.saveCurves();

    const again = fakeLab({ run: first.store.run!, state: first.store.state! });
    again.lab.restore(labQuery(first.lab.lab));
    expect(again.lab.lab).toEqual(first.lab.lab);
    expect(again.lab.rows.map((r) => r.epoch)).toEqual([30]);
    expect(again.lab.status).toBe('done');
    await expect.poll(() => again.lab.stateEpoch).toBe(30);
    expect(again.lab.message).toBe(
      "Your last run's curves, kept from your previous visit (to epoch 30). Carry on resumes it from epoch 30.",
    );
    again.lab.carryOn();
    expect(again.lab.message).toBe(''); // no longer the kept run of the previous visit
    expect(again.runs[0]!.request.state?.epoch).toBe(30);
    // A link that names other settings wins over the kept run.
    const shared = fakeLab({ run: first.store.run! });
    shared.lab.restore('p=97&seed=7');
    expect([shared.lab.lab.p, shared.lab.lab.seed, shared.lab.rows.length]).toEqual([97, 7, 0]);
  });

  it('sets a damaged kept run aside with a message and starts afresh', () => {
    const good: SavedRun = {
      id: 'r1',
      lab: labSettingsOf(presets.quickGrok, 1500),
      rows: [rowAt(30)],
      epoch: 30,
    };
    expect(savedRunProblem(JSON.stringify(good))).toBeUndefined();
    const norms = { ...rowAt(30), embedding_norms: new Array(300_000).fill(1) };
    for (const [damaged, problem] of [
      [{ ...good, rows: [null] }, 'a row is not an object'],
      [{ ...good, rows: [norms] }, 'embedding_norms that are not 29 numbers'],
      [{ ...good, rows: [rowAt(60), rowAt(30)] }, 'not ascending'],
      [{ ...good, lab: { ...good.lab, p: 60 } }, 'settings are not valid'],
      ['{', 'not JSON'],
    ] as const) {
      const text = typeof damaged === 'string' ? damaged : JSON.stringify(damaged);
      expect(savedRunProblem(text)).toContain(problem);
    }
    const broken = fakeLab();
    (broken.store as { run: unknown }).run = { broken: 'a row is not an object' };
    broken.lab.restore('');
    expect(broken.lab.message).toContain('could not be read (a row is not an object)');
    expect([broken.lab.rows.length, broken.lab.status]).toEqual([0, 'idle']);
  });

  it('exports the kept state as a model the course reads back', () => {
    const { lab, runs } = fakeLab();
    expect(lab.exportModel()).toBeUndefined();
    lab.start();
    runs[0]!.hear({ type: 'evaluation', row: rowAt(30), state: stateAt(30) });
    const file = lab.exportModel()!;
    expect(file.name).toBe('grokking-epoch-30.safetensors');
    const model = loadModel(file.bytes);
    expect(model.config).toEqual(config);
    expect(model.metadata['epoch']).toBe('30');
    expect(model.metadata['op']).toBe('add');
  });
});

/** localStorage in memory, and the real grader run where the page runs it in a worker. */
function fakeEditing(exercise = 'add', kept: Record<string, string> = {}) {
  const items = new Map(Object.entries(kept));
  const gradings: string[] = [];
  const services: EditingServices = {
    storage: new KeptStore(() => mapStorage(items)),
    startGrading(request, listener) {
      gradings.push(request.exercise);
      // A worker answers later, never within the call.
      const timer = setTimeout(() => {
        const verdict = grade(request.weights, exerciseById(request.exercise)!, (done, total) =>
          listener({ type: 'progress', done, total }),
        );
        listener({ type: 'verdict', verdict });
      });
      return {
        cancel: () => {
          clearTimeout(timer);
          gradings.push('cancel');
        },
      };
    },
  };
  return { editing: new RnnEditing(exerciseById(exercise)!, 3, services), items, gradings };
}

/** The adder of docs/formats.md: three threshold units. */
const adder = {
  hidden_size: 3,
  activation: 'step',
  output_activation: 'step',
  W_xh: [
    [1, 1],
    [1, 1],
    [1, 1],
  ],
  W_hh: [
    [0, 1, 0],
    [0, 1, 0],
    [0, 1, 0],
  ],
  b_h: [-0.5, -1.5, -2.5],
  W_hy: [[1, -1, 1]],
  b_y: [-0.5],
  h0: [0, 0, 0],
};

describe('the RNN editing session', () => {
  it('keeps every edit once restored, and finds the draft again', () => {
    const { editing, items } = fakeEditing();
    editing.edit('b_y', 0, 0, '0.5');
    editing.save();
    expect(items.size).toBe(0); // nothing is written before the kept draft has been read
    editing.restore();
    editing.edit('b_y', 0, 0, '-0.5');
    editing.save();
    const again = fakeEditing('add', Object.fromEntries(items));
    again.editing.restore();
    expect(again.editing.draft.params.b_y).toEqual([['-0.5']]);
  });

  it('sets a damaged kept draft aside with a message, as the clock editor does', () => {
    const damaged = '{"hidden_size": 3, "params": null}';
    const { editing, items } = fakeEditing('add', { 'grokking:rnn:add:draft:v1': damaged });
    editing.restore();
    expect(editing.notice).toContain('could not be read');
    expect(items.get('grokking:rnn:add:draft:v1.broken.1')).toBe(damaged);
    expect(editing.draft.hidden_size).toBe(3);
    expect(editing.restored).toBe(true);
  });

  it('marks entries that are not numbers and will not export them', () => {
    const { editing } = fakeEditing();
    editing.edit('W_xh', 1, 0, 'abc');
    editing.edit('b_h', 2, 0, ' ');
    expect(editing.invalidCells('W_xh')).toEqual(['1,0']);
    expect(editing.invalidCells('b_h')).toEqual(['2,0']);
    expect(editing.exportText()).toBeUndefined();
    expect(editing.notice).toContain('Fix the highlighted entries');
  });

  it('imports a file, names what is wrong with a bad one, and undoes an import', () => {
    const { editing } = fakeEditing();
    editing.importText('bad.json', '{"hidden_size": 3');
    expect(editing.importErrors[0]).toMatch(/^bad\.json: /);
    editing.importText('adder.json', JSON.stringify(adder));
    expect(editing.importErrors).toEqual([]);
    expect(editing.notice).toBe('Imported adder.json.');
    expect(JSON.parse(editing.exportText()!)).toEqual(adder);
    editing.restoreUndo();
    expect(editing.draft.params.b_h).toEqual([['0'], ['0'], ['0']]);
  });

  it('grades a correct adder as solved and remembers it; a wrong one names its failing case', async () => {
    const { editing, items, gradings } = fakeEditing();
    editing.restore();
    editing.check(); // zeros: a valid network that never adds
    expect(editing.progress).toEqual({ done: 0, total: 1 });
    await expect.poll(() => editing.verdict?.passed).toBe(false);
    expect(editing.verdict?.firstFailure).toBeDefined();
    editing.importText('adder.json', JSON.stringify(adder));
    expect(editing.stale).toBe(true);
    editing.check();
    await expect.poll(() => editing.verdict?.passed).toBe(true);
    expect(gradings).toEqual(['add', 'add']);
    expect(editing.progress).toBeUndefined();
    expect([editing.solved, items.get('grokking:rnn:add:solved')]).toEqual([true, '1']);
    // The network that passed is kept for lesson 2's attributions, and reads back as weights.
    const storage = { getItem: (key: string) => items.get(key) ?? null };
    expect(solvedNetwork(storage)).toEqual(adder);
    editing.save();
    expect(editing.solved).toBe(true); // saving the network that passed keeps the mark
    editing.edit('b_y', 0, 0, '5'); // an edit away from what passed takes the mark away
    editing.save();
    expect([editing.solved, items.get('grokking:rnn:add:solved')]).toEqual([false, '0']);
    expect(solvedNetwork(storage)).toBeUndefined();
    items.set('grokking:rnn:add:solved', '1');
    expect(solvedNetwork(storage)).toEqual(adder);
    items.set('grokking:rnn:add:solved-network', '{"hidden_size": 0}');
    expect(solvedNetwork(storage)).toBeUndefined();
  });

  it('cancels a check under way', () => {
    const { editing, gradings } = fakeEditing();
    editing.check();
    editing.cancel();
    expect(gradings).toEqual(['add', 'cancel']);
    expect([editing.progress, editing.verdict, editing.notice]).toEqual([
      undefined,
      undefined,
      'Check cancelled.',
    ]);
  });

  it('reports invalid weights at once, without the grader', () => {
    const { editing, gradings } = fakeEditing();
    editing.edit('W_hy', 0, 1, 'x');
    editing.check();
    expect(gradings).toEqual([]);
    expect(editing.verdict?.passed).toBe(false);
  });
});
