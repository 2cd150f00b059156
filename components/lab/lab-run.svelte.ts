// The grokking lab's run: its settings, its status, the rows measured so far and the latest
// training state, and every transition between them (start, pause, resume, stop, carry on, move
// to another backend, fall back to WASM when WebGPU fails, restore after a reload). The component
// only draws it. The worker, the storage and the URL come in as `LabServices`, so that Node tests
// can drive a run message by message.
import { errorMessage } from '../../lib/errors.ts';
import type { Downloaded } from '../../lib/fetch-progress.ts';
import { makeDataset, splitDataset } from '../../lib/modarith/data.ts';
import { zeroMoments } from '../../lib/modarith/params.ts';
import { saveModel } from '../../lib/modarith/safetensors.ts';
import type { Backend } from '../../lib/train/browser-ort.ts';
import { engineName } from '../../lib/train/engine.ts';
import {
  checkLabSettings,
  differences,
  labFromQuery,
  labQuery,
  labSettingsOf,
  sweepSettings,
  sweeps,
  type LabSettings,
  type SweepKind,
} from '../../lib/train/lab-settings.ts';
import type { HistoryRow } from '../../lib/train/metrics.ts';
import { detectPhases, phaseBoundaries } from '../../lib/train/phases.ts';
import { labPresets, type LabPreset } from '../../lib/train/presets.ts';
import { runFromJson, runToJson } from '../../lib/train/run-file.ts';
import { keepSnapshot, type Remeasured, type Snapshot } from '../../lib/train/snapshots.ts';
import type { TrainState } from '../../lib/train/trainer.ts';
import type { TrainMessage, TrainRequest } from '../../workers/train-serve.ts';
import { phaseSummary } from './history.ts';
import type { RecordedCheckpoint } from './recorded-checkpoints.ts';
import {
  keptRunId,
  newRunId,
  readKeptSnapshots,
  readKeptState,
  type KeptRead,
  type SavedRun,
} from './saved-run.ts';

export type LabStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done';

/** A finished run the page keeps, to compare with others. */
export interface KeptRun {
  lab: LabSettings;
  rows: HistoryRow[];
}

/** How many finished runs the page keeps to compare. */
export const keptRunLimit = 4;

/** What a run in progress answers to (trainer-client.ts's startTraining). */
export interface TrainingControl {
  pause(): void;
  resume(): void;
  stop(): void;
}

/** The lab's outside world: the training worker, the browser's storage, the page's URL. */
export interface LabServices {
  startTraining(
    request: Extract<TrainRequest, { type: 'start' }>,
    listener: (message: TrainMessage) => void,
  ): TrainingControl;
  /** False when the run could not be kept (storage full or blocked) */
  saveRun(run: SavedRun): boolean;
  loadRun(): SavedRun | { broken: string } | undefined;
  clearRun(): void;
  /** The training state, and the snapshots, are kept under the id of the run they belong to */
  saveState(runId: string, state: TrainState): Promise<void>;
  /** What is kept, unread: saved-run.ts's readKeptState checks it */
  loadState(): Promise<unknown>;
  clearState(): Promise<void>;
  saveSnapshots(runId: string, snapshots: Snapshot[]): Promise<void>;
  loadSnapshots(): Promise<unknown>;
  /** Shows the run's settings in the address bar, for sharing */
  showQuery(query: string): void;
  /** The recorded run's weights at one of its shipped checkpoints, and its history to there */
  loadCheckpoint(epoch: number): Promise<RecordedCheckpoint>;
}

const backendName = (b: Backend) => (b === 'webgpu' ? 'WebGPU' : 'WASM');

/** The settings without their epochs, as text: a run carries on under any number of epochs. */
const withoutEpochs = (lab: LabSettings) => labQuery({ ...lab, epochs: 0 });

export class LabRun {
  /** The settings the form shows and edits; a preset or an edit changes these only. */
  lab: LabSettings = $state(
    labSettingsOf(labPresets.quickGrok.settings, labPresets.quickGrok.epochs),
  );
  /** The preset whose settings the lab holds; none once a setting is changed by hand */
  preset: LabPreset | undefined = $derived(
    (Object.keys(labPresets) as LabPreset[]).find(
      (key) =>
        labQuery(labSettingsOf(labPresets[key].settings, labPresets[key].epochs)) ===
        labQuery(this.lab),
    ),
  );
  /**
   * The settings the run on show was trained with: its rows, its state and its snapshots are theirs,
   * whatever the form holds now. Undefined while no run is on show.
   */
  runLab: LabSettings | undefined = $state();
  /** The id of the run on show: its kept state and snapshots carry it (saved-run.ts) */
  runId = '';
  /** False once the browser could not keep the run's curves (storage full or blocked) */
  curvesKept = $state(true);
  /**
   * Whether this tab's run is the one the browser keeps: false once the lab in another tab has kept
   * its own run (or cleared it), after which this tab stops writing over it until it starts or
   * loads a run.
   */
  keeper = $state(true);
  /** The backend the student chose; a run in progress keeps its own (`running`). */
  chosen: Backend = $state('wasm');
  /** Evaluations per run: each measures every pair, so fewer of them train faster. */
  evaluations = $state(50);
  status: LabStatus = $state('idle');
  rows: HistoryRow[] = $state([]);
  epoch = $state(0);
  /** Epochs per second, as the worker last reported */
  rate = $state(0);
  /** What the last transition has to say (an error, a file loaded, a fallback); a new run clears it */
  note = $state('');
  /** What the worker runs on: "WebGPU" or "WASM, 2 threads" */
  engine = $state('');
  /** While the worker downloads the engine, before its first step: how far it has got */
  download: ({ what: string } & Downloaded) | undefined = $state();
  /** The epoch of the kept training state; undefined when there is none */
  stateEpoch: number | undefined = $state();
  /** The key frequencies every row's restricted and excluded losses are measured with */
  measuredWith: number[] | undefined = $state();
  /** The last finished runs, oldest first, at most keptRunLimit */
  kept: KeptRun[] = $state([]);
  /** While a sweep runs: what it varies, and how far it has got */
  sweeping: { title: string; run: number; of: number } | undefined = $state();

  /** While a run moves to another backend: where to, and once it is under way, the epoch it left */
  moving: { to: Backend; from?: number } | undefined = $state();

  checked = $derived(checkLabSettings(this.lab));
  /** The epochs of the run on show, or of the form's settings when none is */
  epochs = $derived(this.runLab?.epochs ?? this.lab.epochs);
  /** The form's settings differ from the run's in more than its epochs: it cannot carry on under them */
  settingsDiffer = $derived(
    this.runLab !== undefined && withoutEpochs(this.lab) !== withoutEpochs(this.runLab),
  );
  busy = $derived(
    this.status === 'starting' || this.status === 'running' || this.status === 'paused',
  );
  /** Seconds left at the current rate */
  eta = $derived(this.rate > 0 ? (this.epochs - this.epoch) / this.rate : undefined);
  phases = $derived(phaseSummary(this.rows));
  marks = $derived(phaseBoundaries(detectPhases(this.rows)));
  latest = $derived(this.rows.at(-1));
  /** A kept state short of the run's epochs: the run can carry on from it */
  canCarryOn = $derived(
    this.status === 'done' &&
      this.stateEpoch !== undefined &&
      !this.settingsDiffer &&
      this.checked.ok &&
      this.stateEpoch < this.lab.epochs,
  );
  /**
   * What the lab says: the last transition's note, then what holds now (a move under way, whether
   * the run on show can carry on), worked out from the state so that it cannot go stale.
   */
  message = $derived([this.note, this.#now()].filter(Boolean).join(' '));

  #services: LabServices;
  #control: TrainingControl | undefined;
  /** The backend of the run in progress */
  #running: Backend = 'wasm';
  /** The latest state the worker sent: big, so not reactive */
  #state: TrainState | undefined;
  /** The weights at the evaluations, thinned: the worker measures them again (not reactive) */
  #snapshots: Snapshot[] = [];
  /** A loaded run file's training split, kept for its export; undefined for a run trained here */
  #split: number[] | undefined;
  /** The settings a sweep has still to run */
  #queue: LabSettings[] = [];

  constructor(services: LabServices) {
    this.#services = services;
  }

  /**
   * After a reload: brings back the last run, unless the page's query names other settings, in
   * which case the lab takes those.
   */
  restore(query: string): void {
    const kept = this.#services.loadRun();
    if (kept && 'broken' in kept) {
      this.note = `The run kept from your last visit could not be read (${kept.broken}), so it was set aside; the lab starts afresh.`;
    }
    const saved = kept && !('broken' in kept) ? kept : undefined;
    if (saved && saved.rows.length && (!query || query === labQuery(saved.lab))) {
      [this.lab, this.rows, this.epoch, this.status] = [saved.lab, saved.rows, saved.epoch, 'done'];
      this.runLab = saved.lab;
      [this.runId, this.#split] = [saved.id, saved.split];
      this.measuredWith = saved.rows.at(-1)?.key_freqs;
      this.note = `Your last run's curves, kept from your previous visit (to epoch ${saved.epoch}).`;
      void this.#restoreState(saved);
    } else if (query) this.lab = labFromQuery(`?${query}`, this.lab);
  }

  /** Brings back the training state and snapshots kept with `saved`, if they are its own and whole. */
  async #restoreState(saved: SavedRun): Promise<void> {
    const checked = checkLabSettings(saved.lab);
    if (!checked.ok) return;
    const { config } = checked.settings;
    const [state, snapshots] = [
      readKeptState(await this.#services.loadState(), saved.id, config),
      readKeptSnapshots(await this.#services.loadSnapshots(), saved.id, config),
    ];
    if (this.status !== 'done' || this.runId !== saved.id) return; // another run since
    const damaged = [
      'damaged' in state && `its training state (${state.damaged})`,
      'damaged' in snapshots && `its weight snapshots (${snapshots.damaged})`,
    ].filter(Boolean);
    if (damaged.length) {
      this.note += ` What was kept of ${damaged.join(' and ')} could not be read, so it was discarded.`;
      void this.#services.clearState();
    } else if ('other' in state || 'other' in snapshots) {
      this.note += ` The training state kept in this browser is another run's (a run file loaded since, or the lab in another tab), so this one cannot carry on.`;
    }
    const kept = <T>(read: KeptRead<T>) => ('kept' in read ? read.kept : undefined);
    const own = damaged.length ? undefined : kept(state);
    if (own && own.epoch === this.rows.at(-1)?.epoch) this.#keepState(own);
    if (!damaged.length) {
      this.#snapshots = (kept(snapshots) ?? []).filter((s) => s.epoch <= this.epoch);
    }
  }

  /** Another tab changed the kept run to `text` (null: removed it); a write of our own is ignored. */
  heardKept(text: string | null): void {
    if (this.rows.length === 0 || keptRunId(text) === this.runId) return;
    this.keeper = false;
  }

  /** Saves the curves (when the tab is hidden or closed, and at every evaluation). */
  saveCurves(): void {
    if (this.rows.length === 0 || !this.runLab || !this.keeper) return;
    this.curvesKept = this.#services.saveRun({
      id: this.runId,
      lab: $state.snapshot(this.runLab),
      rows: $state.snapshot(this.rows),
      epoch: this.epoch,
      ...(this.#split && { split: this.#split }),
    });
  }

  /** Takes a preset's settings into the form; the run on show keeps its own. */
  choose(preset: LabPreset): void {
    this.lab = labSettingsOf(labPresets[preset].settings, labPresets[preset].epochs);
  }

  /** A new run from the initialisation, forgetting the last one. */
  start(): void {
    if (!this.checked.ok) return;
    [this.rows, this.epoch, this.rate, this.note] = [[], 0, 0, ''];
    this.runLab = $state.snapshot(this.lab);
    [this.runId, this.#split, this.keeper] = [newRunId(), undefined, true];
    [this.#snapshots, this.measuredWith] = [[], undefined];
    this.#keepState(undefined);
    this.#services.clearRun();
    void this.#services.clearState();
    this.#launch(this.chosen);
  }

  /**
   * The paper's configuration carried on from the recorded run's checkpoint at `epoch`, instead of
   * hours from the start. The checkpoint holds the weights only: AdamW's moments start from zero.
   */
  async continueRecorded(epoch: number): Promise<void> {
    if (this.busy) return;
    this.choose('paper');
    this.status = 'starting';
    let recorded: RecordedCheckpoint;
    try {
      recorded = await this.#services.loadCheckpoint(epoch);
    } catch (error) {
      this.status = 'idle';
      this.note = `The recorded run's checkpoint at epoch ${epoch} could not be loaded: ${errorMessage(error)}`;
      return;
    }
    const { params, rows } = recorded;
    const { config } = labPresets.paper.settings;
    // The recorded curves up to the checkpoint, measured with the recorded run's final key
    // frequencies; the run's own evaluations follow them.
    [this.rows, this.epoch, this.rate] = [rows, epoch, 0];
    this.runLab = $state.snapshot(this.lab);
    [this.runId, this.#split] = [newRunId(), undefined];
    [this.#snapshots, this.measuredWith] = [[], rows.at(-1)?.key_freqs];
    this.#services.clearRun();
    void this.#services.clearState();
    const state: TrainState = { epoch, params, m: zeroMoments(config), v: zeroMoments(config) };
    this.#keepState(state);
    this.note = `Carrying the recorded run on from its checkpoint at epoch ${epoch.toLocaleString('en')}: the curves to there are the recorded run's. The checkpoint holds the weights only, so AdamW's moments start again from zero.`;
    this.#launch(this.chosen, state);
  }

  /**
   * Carries on from the kept state, keeping the rows so far, to the form's epochs: only under the
   * run's own settings, since the state's shapes and the rows belong to them.
   */
  carryOn(): void {
    if (!this.#state || !this.canCarryOn || !this.runLab) return;
    this.runLab = { ...this.runLab, epochs: this.lab.epochs };
    this.note = ''; // "kept from your previous visit" no longer describes the run
    this.#launch(this.chosen, this.#state);
  }

  pause(): void {
    this.#control?.pause();
    this.status = 'paused';
  }

  resume(): void {
    this.#control?.resume();
    this.status = 'running';
  }

  stop(): void {
    this.#queue = []; // a stopped sweep stops
    this.sweeping = undefined;
    this.moving = undefined; // and a run on its way to another backend stops there
    this.#control?.stop();
  }

  /** Runs the current settings with one of them at three values, one run after the other. */
  sweep(kind: SweepKind): void {
    if (this.busy || !this.checked.ok) return;
    const [first, ...rest] = sweepSettings(this.lab, kind);
    this.#queue = rest;
    this.sweeping = { title: sweeps[kind].title, run: 1, of: rest.length + 1 };
    this.lab = first!;
    this.start();
  }

  /** Forgets the kept runs. */
  clearKept(): void {
    this.kept = [];
  }

  /** Forgets the worker (the component is going away). */
  dispose(): void {
    this.#control?.stop();
    this.#control = undefined;
  }

  /** The student picked `backend`: before a run it is the choice; during one the run moves there. */
  chooseBackend(backend: Backend): void {
    this.chosen = backend;
    if (!this.busy || !this.#control || backend === this.#running) return;
    this.moving = { to: backend };
    if (this.status === 'paused') this.#control.resume();
    this.#control.stop();
  }

  /** The run as one file (run-file.ts): settings, history, split and weight snapshots. */
  runFile(): string | undefined {
    const checked = checkLabSettings(this.runLab);
    if (!checked.ok || this.rows.length === 0) return undefined;
    const { op, config, fraction, seed } = checked.settings;
    // A loaded run keeps its file's split: the settings' own might not be the one it trained on.
    return runToJson({
      lab: checked.lab,
      history: $state.snapshot(this.rows),
      keyFreqs: this.measuredWith ?? [],
      split: this.#split ?? splitDataset(makeDataset(op, config.p), fraction, seed).train,
      snapshots: this.#snapshots,
    });
  }

  /** Shows a run from its file (a class's shared run, or one's own from another day). */
  loadRunFile(name: string, text: string): void {
    if (this.busy) return;
    try {
      const run = runFromJson(text);
      [this.lab, this.rows, this.measuredWith] = [run.lab, run.history, run.keyFreqs];
      this.runLab = run.lab;
      [this.runId, this.#split, this.keeper] = [newRunId(), run.split, true];
      this.#snapshots = run.snapshots;
      this.#keepState(undefined);
      // The training state kept before is another run's: it goes; the file's snapshots replace it.
      const id = this.runId;
      void this.#services.clearState().then(() => this.#services.saveSnapshots(id, run.snapshots));
      this.epoch = run.history.at(-1)?.epoch ?? 0;
      this.status = 'done';
      this.note = `Loaded ${name}: ${run.history.length} evaluations to epoch ${this.epoch}.`;
      this.saveCurves();
    } catch (error) {
      this.note = `${name} could not be loaded: ${errorMessage(error)}`;
    }
  }

  /** The kept state as a safetensors file, with what it is; undefined when there is none. */
  exportModel(): { name: string; bytes: Uint8Array } | undefined {
    const checked = checkLabSettings(this.runLab);
    if (!this.#state || !checked.ok) return undefined;
    const bytes = saveModel(this.#state.params, {
      op: checked.lab.op,
      epoch: String(this.#state.epoch),
      settings: JSON.stringify(checked.settings),
    });
    return { name: `grokking-epoch-${this.#state.epoch}.safetensors`, bytes };
  }

  #keepState(state: TrainState | undefined): void {
    this.#state = state;
    this.stateEpoch = state?.epoch;
  }

  /** Starts the worker on `backend`, from `state` when given. */
  #launch(backend: Backend, state?: TrainState): void {
    const checked = checkLabSettings(this.runLab);
    if (!checked.ok) return;
    this.#services.showQuery(labQuery(checked.lab));
    this.status = 'starting';
    this.#running = backend;
    // The last backend's rate and engine say nothing of this one until it reports.
    [this.rate, this.engine, this.download] = [0, '', undefined];
    const { epochs } = checked.lab;
    const evalEvery = Math.max(10, Math.round(epochs / this.evaluations / 10) * 10);
    this.#control = this.#services.startTraining(
      {
        type: 'start',
        settings: checked.settings,
        backend,
        epochs,
        evalEvery,
        ...(state && { state }),
        remeasure: { snapshots: this.#snapshots },
      },
      (message) => this.#hear(backend, message),
    );
  }

  /** One message from the worker of the run on `backend`. */
  #hear(backend: Backend, m: TrainMessage): void {
    if (m.type !== 'download') this.download = undefined;
    switch (m.type) {
      case 'download':
        this.download = { what: m.what, loaded: m.loaded, total: m.total };
        return;
      case 'ready':
        this.engine = engineName(m.backend, m.threads);
        if (backend === 'webgpu' && m.backend !== 'webgpu')
          this.note = 'No WebGPU adapter here: training on WASM instead.';
        this.status = 'running';
        return;
      case 'progress':
        [this.epoch, this.rate] = [m.epoch, m.stepsPerSecond];
        return;
      case 'evaluation':
        if (this.rows.at(-1)?.epoch !== m.row.epoch) this.rows.push(m.row);
        this.#snapshots = keepSnapshot(this.#snapshots, {
          epoch: m.row.epoch,
          params: m.state.params,
        });
        this.#keepState(m.state);
        this.saveCurves();
        if (this.keeper) void this.#services.saveState(this.runId, m.state);
        return;
      case 'state':
        this.#keepState(m.state);
        return;
      case 'measured':
        this.#measured(m.keyFreqs, m.rows);
        return;
      case 'error':
        this.#failed(backend, m.message);
        return;
      case 'done':
        this.#finished(m);
        return;
    }
  }

  /** Every row measured again with `keyFreqs`; rows whose snapshot was thinned away have none. */
  #measured(keyFreqs: number[], measured: Remeasured[]): void {
    this.rows = this.rows.map((row) => {
      const again = measured.find((r) => r.epoch === row.epoch);
      // A row already measured with these key frequencies (a recorded run's) keeps its measures.
      if (!again && row.key_freqs.join() === keyFreqs.join()) return row;
      const next: HistoryRow = {
        ...row,
        key_freqs: keyFreqs,
        restricted_loss: again?.restricted_loss ?? null,
        excluded_loss: again?.excluded_loss ?? null,
      };
      // The live per-frequency losses belong to the old key frequencies.
      delete next.excluded_loss_per_freq;
      if (again?.excluded_loss_per_freq) next.excluded_loss_per_freq = again.excluded_loss_per_freq;
      return next;
    });
    this.measuredWith = keyFreqs;
    this.saveCurves();
    if (this.keeper) void this.#services.saveSnapshots(this.runId, this.#snapshots);
  }

  #finished(m: Extract<TrainMessage, { type: 'done' }>): void {
    if (m.state) this.#keepState(m.state);
    this.epoch = m.epoch;
    this.saveCurves();
    const moveTo = this.moving?.to;
    if (moveTo && this.#state) {
      this.moving = { to: moveTo, from: m.epoch };
      this.#launch(moveTo, this.#state);
      return;
    }
    this.moving = undefined;
    if (this.keeper) void this.#services.saveSnapshots(this.runId, this.#snapshots);
    this.status = 'done';
    this.kept = [
      ...this.kept,
      { lab: $state.snapshot(this.runLab!), rows: $state.snapshot(this.rows) },
    ].slice(-keptRunLimit);
    if (m.reason === 'diverged')
      this.note = `The loss became infinite or NaN at epoch ${m.epoch}: the run diverged. Lower the learning rate and start again.`;
    const next = this.#queue.shift();
    if (next && this.sweeping) {
      this.sweeping = { ...this.sweeping, run: this.sweeping.run + 1 };
      this.lab = next;
      this.start();
    } else this.sweeping = undefined;
  }

  /** A failed run: on WebGPU (a lost device, say), carry on on WASM from the last state. */
  #failed(backend: Backend, reason: string): void {
    if (backend === 'webgpu' && this.#state) {
      this.chosen = 'wasm';
      this.note = `WebGPU failed (${reason}).`;
      this.moving = { to: 'wasm', from: this.#state.epoch };
      this.#launch('wasm', this.#state);
    } else {
      [this.status, this.note, this.moving] = [
        'done',
        `Training stopped with an error: ${reason}`,
        undefined,
      ];
    }
  }

  /** What holds now: a move under way, or whether the run on show can carry on and why not. */
  #now(): string {
    const unkept = !this.keeper
      ? 'The lab in another tab has since kept its own run in this browser, so this tab no longer saves these curves over it: export this run to keep it, or start or load a run here to make it the kept one.'
      : this.curvesKept
        ? ''
        : "This browser's storage is full or blocked, so these curves are not kept after the tab closes: export the run to keep it.";
    return [unkept, this.#carryOnNow()].filter(Boolean).join(' ');
  }

  /** A move under way, or whether the run on show can carry on and why not. */
  #carryOnNow(): string {
    if (this.busy) {
      if (!this.moving) return '';
      const { to, from } = this.moving;
      return from === undefined
        ? 'Moving the run…'
        : `Carrying on from epoch ${from} on ${backendName(to)}.`;
    }
    if (this.status !== 'done' || this.stateEpoch === undefined || !this.runLab) return '';
    if (this.settingsDiffer) {
      const [was, now] = differences([
        { ...this.runLab, epochs: 0 },
        { ...this.lab, epochs: 0 },
      ]);
      return `Carry on needs the run's own settings: it was trained with ${was}, the form now has ${now}. Start a new run with these, or put the run's back to carry it on.`;
    }
    if (this.canCarryOn) return `Carry on resumes it from epoch ${this.stateEpoch}.`;
    if (this.checked.ok && this.stateEpoch >= this.lab.epochs) {
      return `It has run all its ${this.stateEpoch.toLocaleString('en')} epochs: raise epochs to carry it on.`;
    }
    return '';
  }
}
