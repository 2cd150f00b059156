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
  rnnCellValues,
  type Draft,
  type ParamName,
} from '../../lib/rnn/draft.ts';
import { parseWeights, parseWeightsJson, type Parsed } from '../../lib/rnn/validate.ts';
import type { GradeMessage, GradeRequest } from '../../workers/rnn-grade.worker.ts';
import { DraftEditing, type DraftStorage } from '../draft-editing.svelte.ts';

/** Where drafts are kept (the page store, kept-storage.ts) and who grades (grader-client.ts). */
export interface EditingServices {
  storage: DraftStorage;
  startGrading(request: GradeRequest, listener: (m: GradeMessage) => void): { cancel(): void };
}

export class RnnEditing extends DraftEditing<ParamName, Draft> {
  progress: { done: number; total: number } | undefined = $state();
  verdict: Verdict | undefined = $state();
  /** The weights the verdict is about, as JSON */
  #checkedJson = $state('');

  json = $derived(draftToJson(this.draft));
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

  constructor(exercise: Exercise, hiddenSize: number, services: EditingServices) {
    super(
      services.storage,
      {
        draft: `grokking:rnn:${exercise.id}:draft:v1`,
        solved: `grokking:rnn:${exercise.id}:solved`,
      },
      emptyDraft(hiddenSize),
      restoreDraft,
      rnnCellErrors,
      rnnCellValues,
    );
    this.exercise = exercise;
    this.#services = services;
  }

  /** Grading runs in a worker, so the mark holds while the weights are the ones that passed. */
  protected override passesNow(): boolean {
    return this.storage.getItem(`${this.keys.solved}-network`) === JSON.stringify(this.json);
  }

  resize(hiddenSize: number): void {
    this.draft = resizeDraft(this.draft, hiddenSize);
  }

  reset(): void {
    this.replace(emptyDraft(this.draft.hidden_size), 'Reset to zeros.');
  }

  /** Takes a file's text as the new draft, or lists what is wrong with it. */
  importText(fileName: string, text: string): void {
    const result = parseWeightsJson(text);
    this.importErrors = result.ok ? [] : result.errors.map((e) => `${fileName}: ${e}`);
    if (result.ok) this.replace(draftFromWeights(result.weights), `Imported ${fileName}.`);
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
          this.markSolved();
          // The network that passed, for the islands that look at the student's own (lesson 2).
          this.storage.setItem(`${this.keys.solved}-network`, this.#checkedJson);
          this.keeping = this.storage.state;
        }
        return;
    }
  }
}
