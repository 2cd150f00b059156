// The RNN exercise's editing session: the student's draft (saved on every edit), undo of the last
// replacement, import and export, and grading in a worker with progress and cancel. The editor
// component only draws it. Storage and the grader come in as `EditingServices`, so that Node tests
// can drive a session.
import type { Exercise } from '../../lib/rnn/exercises.ts';
import { grade, type Verdict } from '../../lib/rnn/grade.ts';
import {
  draftFromWeights,
  draftToJson,
  emptyDraft,
  resizeDraft,
  restoreDraft,
  rnnCellErrors,
  type Draft,
  type ParamName,
} from '../../lib/rnn/draft.ts';
import { parseWeights, parseWeightsJson, type Parsed } from '../../lib/rnn/validate.ts';
import type { GradeMessage, GradeRequest } from '../../workers/rnn-grade.worker.ts';

/** Where drafts are kept (localStorage in the page) and who grades (grader-client.ts). */
export interface EditingServices {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  startGrading(request: GradeRequest, listener: (m: GradeMessage) => void): { cancel(): void };
}

export class RnnEditing {
  draft: Draft = $state(emptyDraft(3));
  /** The kept draft has been read: from now on every edit is saved */
  restored = $state(false);
  solved = $state(false);
  /** The draft before the last import or reset */
  undo: Draft | undefined = $state();
  notice = $state('');
  importErrors: string[] = $state([]);
  progress: { done: number; total: number } | undefined = $state();
  verdict: Verdict | undefined = $state();
  /** The weights the verdict is about, as JSON */
  #checkedJson = $state('');

  json = $derived(draftToJson(this.draft));
  /** Cells that are neither numbers nor formulas, each with its message */
  cellErrors = $derived(rnnCellErrors(this.draft));
  /** The weights, or what is wrong: a bad cell's own message before the validator's */
  parsed: Parsed = $derived(
    this.cellErrors.length > 0
      ? { ok: false, errors: this.cellErrors.map((e) => e.message) }
      : parseWeights(this.json),
  );
  weights = $derived(this.parsed.ok ? this.parsed.weights : undefined);
  /** The draft changed since the last check */
  stale = $derived(this.verdict !== undefined && this.#checkedJson !== JSON.stringify(this.json));

  readonly exercise: Exercise;
  #services: EditingServices;
  #grading: { cancel(): void } | undefined;
  #draftKey: string;
  #solvedKey: string;

  constructor(exercise: Exercise, hiddenSize: number, services: EditingServices) {
    this.exercise = exercise;
    this.#services = services;
    this.#draftKey = `grokking:rnn:${exercise.id}:draft:v1`;
    this.#solvedKey = `grokking:rnn:${exercise.id}:solved`;
    this.draft = emptyDraft(hiddenSize);
  }

  /** Reads the kept draft and whether the exercise was solved. */
  restore(): void {
    const saved = restoreDraft(this.#services.storage.getItem(this.#draftKey));
    if (saved) this.draft = saved;
    this.solved = this.#services.storage.getItem(this.#solvedKey) === '1';
    this.restored = true;
  }

  /** Keeps the draft (the component calls this whenever the draft changes). */
  save(): void {
    if (this.restored) this.#services.storage.setItem(this.#draftKey, JSON.stringify(this.draft));
  }

  /** Cells "r,c" of a parameter whose text is neither a number nor a formula. */
  invalidCells(name: ParamName): string[] {
    return this.cellErrors.filter((e) => e.name === name).map((e) => `${e.r},${e.c}`);
  }

  /** Copies cell (r, c)'s text into every cell below it in its column. */
  fillDown(name: ParamName, r: number, c: number): void {
    const grid = this.draft.params[name];
    const text = grid[r]?.[c];
    if (text === undefined) return;
    for (let below = r + 1; below < grid.length; below++) grid[below]![c] = text;
  }

  edit(name: ParamName, r: number, c: number, text: string): void {
    const row = this.draft.params[name][r];
    if (row) row[c] = text;
  }

  resize(hiddenSize: number): void {
    this.draft = resizeDraft(this.draft, hiddenSize);
  }

  reset(): void {
    this.#replace(emptyDraft(this.draft.hidden_size), 'Reset to zeros.');
  }

  /** Back to the draft before the last import or reset. */
  restoreUndo(): void {
    if (!this.undo) return;
    this.draft = this.undo;
    this.undo = undefined;
    this.notice = 'Restored.';
  }

  /** Takes a file's text as the new draft, or lists what is wrong with it. */
  importText(fileName: string, text: string): void {
    const result = parseWeightsJson(text);
    this.importErrors = result.ok ? [] : result.errors.map((e) => `${fileName}: ${e}`);
    if (result.ok) this.#replace(draftFromWeights(result.weights), `Imported ${fileName}.`);
  }

  /** The weights as a JSON file's text; undefined (and a notice) while entries are invalid. */
  exportText(): string | undefined {
    if (this.weights) return JSON.stringify(this.weights, null, 2) + '\n';
    this.notice =
      'Fix the highlighted entries before exporting: ' +
      (this.parsed.ok ? '' : this.parsed.errors.join(' '));
    return undefined;
  }

  /** Grades the draft: invalid weights at once, valid ones in the grader worker. */
  check(): void {
    this.#grading?.cancel();
    this.#checkedJson = JSON.stringify(this.json);
    if (!this.parsed.ok) {
      // Not run: the verdict names what is wrong, a bad cell's own message first.
      this.verdict = { ...grade(this.json, this.exercise), errors: this.parsed.errors };
      return;
    }
    this.verdict = undefined;
    this.progress = { done: 0, total: 1 };
    this.#grading = this.#services.startGrading(
      { weights: $state.snapshot(this.parsed.weights), exercise: this.exercise.id },
      (m) => this.#hear(m),
    );
  }

  cancel(): void {
    this.#grading?.cancel();
    this.#grading = undefined;
    this.progress = undefined;
    this.notice = 'Check cancelled.';
  }

  /** Stops any grading (the component is going away). */
  dispose(): void {
    this.#grading?.cancel();
  }

  #hear(m: GradeMessage): void {
    switch (m.type) {
      case 'progress':
        this.progress = { done: m.done, total: m.total };
        return;
      case 'error':
        [this.progress, this.#grading] = [undefined, undefined];
        this.notice = `The grader stopped: ${m.message}`;
        return;
      case 'verdict':
        [this.progress, this.#grading] = [undefined, undefined];
        this.verdict = m.verdict;
        if (m.verdict.passed) {
          this.solved = true;
          this.#services.storage.setItem(this.#solvedKey, '1');
          // The network that passed, for the islands that look at the student's own (lesson 2).
          this.#services.storage.setItem(`${this.#solvedKey}-network`, this.#checkedJson);
        }
        return;
    }
  }

  #replace(next: Draft, message: string): void {
    this.undo = $state.snapshot(this.draft);
    this.draft = next;
    this.notice = message;
  }
}
