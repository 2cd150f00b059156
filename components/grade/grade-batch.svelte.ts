// The grading page's session: a batch of chosen files read (each checked against the 1 MB cap
// before a byte is read), identical files graded once, the rest graded in the worker pool with
// progress and cancel, and the rows kept for the table and the gradebook. The pool comes in as a
// service, so that Node tests can drive a session.
import { errorMessage } from '../../lib/errors.ts';
import {
  byFileName,
  groupCopies,
  oversizeRefusal,
  sortRows,
  type GradeColumn,
} from '../../lib/gradebook/batch.ts';
import { gradebook, type Gradebook, type GradebookFormat } from '../../lib/gradebook/gradebook.ts';
import type { RosterEntry } from '../../lib/gradebook/roster.ts';
import type { GradedExercise, GradedSubmission } from '../../lib/gradebook/submission.ts';
import type { BatchFile, ChosenBatch } from './dropped-files.ts';
import type { GradebookJob, GradingListener } from './gradebook-client.ts';

export interface GradingServices {
  startGradebook(jobs: GradebookJob[], listener: GradingListener): { cancel(): void };
  /** Milliseconds, for the time a batch took */
  now(): number;
}

/** A graded file in the table: its row, and its place in the batch, which names it uniquely. */
export type BatchRow = GradedSubmission & { n: number };

export type BatchStatus = 'idle' | 'reading' | 'grading' | 'done' | 'cancelled' | 'failed';

const seconds = (ms: number) =>
  `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;
const files = (n: number) => `${n.toLocaleString('en')} file${n === 1 ? '' : 's'}`;

/** Files read at once, and the most time between the table's updates while grading */
const readsAtOnce = 16;
const flushEvery = 150;

/** A file's text, or why it is not read: the size first, from the file's metadata, since reading
 * a huge file would stall the page. */
async function readSubmission(file: BatchFile): Promise<string | { error: string }> {
  const refusal = oversizeRefusal(file.size);
  if (refusal) return { error: refusal };
  try {
    return await file.text();
  } catch (error) {
    return { error: `Cannot read the file: ${errorMessage(error)}` };
  }
}

export class GradeBatch {
  /** The graded rows, in the order they were finished */
  rows: BatchRow[] = $state.raw([]);
  /** Files not graded: not JSON, hidden, or not openable */
  skipped: string[] = $state.raw([]);
  status: BatchStatus = $state('idle');
  done = $state(0);
  total = $state(0);
  /** Distinct files among `total`: copies of one file are graded once */
  distinct = $state(0);
  /** How long the last batch took, reading included, in ms */
  elapsed = $state(0);
  message = $state('');
  /** Grade every file as this exercise; undefined: as each file says */
  exercise: GradedExercise | undefined = $state();
  /** The ids of the questions the course asks, which a questions file is counted against */
  asked: string[] | undefined;
  sortColumn: GradeColumn = $state('file');
  sortDirection: 'ascending' | 'descending' = $state('ascending');

  sorted = $derived(sortRows(this.rows, this.sortColumn, this.sortDirection));
  running = $derived(this.status === 'reading' || this.status === 'grading');

  #services: GradingServices;
  #run: { cancel(): void } | undefined;
  /** Bumped by every start and cancel, so that a superseded batch's late answers are dropped */
  #generation = 0;
  #last: ChosenBatch | undefined;
  /** Rows graded and not yet in the table */
  #pending: BatchRow[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(services: GradingServices) {
    this.#services = services;
  }

  /** Grades `batch`, replacing the table; a batch under way is cancelled first. */
  async start(batch: ChosenBatch): Promise<void> {
    this.#run?.cancel();
    const generation = ++this.#generation;
    this.#pending = [];
    const began = this.#services.now();
    this.#last = batch;
    this.rows = [];
    this.skipped = batch.skipped;
    this.done = 0;
    this.total = batch.graded.length;
    this.status = 'reading';
    this.message = `Reading ${files(this.total)}…`;
    const texts: (string | { error: string })[] = [];
    // A few files read at once (each at most 1 MB), which is much faster than one by one.
    for (let at = 0; at < batch.graded.length; at += readsAtOnce) {
      const some = batch.graded.slice(at, at + readsAtOnce);
      texts.push(...(await Promise.all(some.map(({ file }) => readSubmission(file)))));
      if (generation !== this.#generation) return;
      this.done = texts.length;
    }
    this.done = 0;
    const paths = batch.graded.map((f) => f.path);
    const { groups, students } = groupCopies(
      texts.map((text, i) => ({ path: paths[i]!, text })),
      this.exercise,
    );
    const jobs: GradebookJob[] = groups.map((group, key) => ({
      key,
      file: paths[group[0]!]!,
      text: texts[group[0]!]!,
      ...(this.exercise ? { exercise: this.exercise } : {}),
      ...(this.asked ? { asked: this.asked } : {}),
    }));
    this.distinct = jobs.length;
    this.status = 'grading';
    this.message = '';
    this.#run = this.#services.startGradebook(jobs, {
      graded: (key, row) => {
        if (generation !== this.#generation) return;
        const mine = groups[key] ?? [];
        for (const i of mine)
          this.#pending.push({
            ...row,
            file: paths[i]!,
            student: students[i] ?? row.student,
            n: i,
          });
        this.#flushSoon();
      },
      done: () => {
        if (generation !== this.#generation) return;
        this.#flush();
        this.#run = undefined;
        this.elapsed = this.#services.now() - began;
        this.status = 'done';
        const same = this.total - this.distinct;
        this.message =
          `Graded ${files(this.total)} in ${seconds(this.elapsed)}` +
          (same > 0 ? ` (${files(same)} identical to another, graded once).` : '.');
      },
      failed: (message) => {
        if (generation !== this.#generation) return;
        this.#flush();
        this.#run = undefined;
        this.status = 'failed';
        this.message = `${message} ${files(this.done)} of ${this.total.toLocaleString('en')} were graded.`;
      },
    });
  }

  /**
   * Rows arrive faster than a table of hundreds can be sorted and drawn for each, so they are
   * added to it at most every `flushEvery` ms, and at the end of the batch.
   */
  #flushSoon(): void {
    this.#timer ??= setTimeout(() => this.#flush(), flushEvery);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    this.rows = [...this.rows, ...this.#pending];
    this.done = this.rows.length;
    this.#pending = [];
  }

  /** Stops the batch: the rows graded so far stay, and the gradebook holds only them. */
  cancel(): void {
    if (!this.running) return;
    this.#run?.cancel();
    this.#run = undefined;
    this.#generation++;
    this.#flush();
    this.status = 'cancelled';
    this.message =
      `Cancelled: ${files(this.done)} of ${this.total.toLocaleString('en')} graded. ` +
      'The table and the gradebook hold only these; choose the files again to grade them all.';
  }

  /** Grades the last batch again, as `exercise` (undefined: as each file says). */
  regradeAs(exercise: GradedExercise | undefined): void {
    this.exercise = exercise;
    if (this.#last) void this.start(this.#last);
  }

  /** Sorts by `column`; the same column again turns the order round. */
  sortBy(column: GradeColumn): void {
    if (this.sortColumn === column)
      this.sortDirection = this.sortDirection === 'ascending' ? 'descending' : 'ascending';
    else {
      this.sortColumn = column;
      this.sortDirection = 'ascending';
    }
  }

  /** The gradebook of the rows graded, in the files' name order, so that it is the same every time. */
  gradebook(format: GradebookFormat, roster?: RosterEntry[]): Gradebook {
    return gradebook([...this.rows].sort(byFileName), format, roster);
  }
}
