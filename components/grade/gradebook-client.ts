// The grading page's handle on its grader workers: a pool of them, each handed a few files at a
// time as it asks for more, so that a slow file (an RNN's 88,648 cases) holds up only its worker.
// Cancel terminates every worker at once; so does the end of the batch or an error.
import type { GradebookJob, GradebookMessage } from '../../workers/gradebook.worker.ts';
import type { GradedSubmission } from '../../lib/gradebook/submission.ts';

export type { GradebookJob };

export interface GradingListener {
  /** One job's row, in the order they are finished */
  graded(key: number, row: GradedSubmission): void;
  /** Every job is graded */
  done(): void;
  /** The batch stopped: a worker could not start, or the grader failed */
  failed(message: string): void;
}

/** Files handed to a worker at once: few, so that the pool stays balanced to the end. */
const perMessage = 4;

/** How many workers to grade with: one per core the browser reports, at most 8, at least 1. */
export function poolSize(cores: number | undefined): number {
  return Math.max(1, Math.min(8, cores ?? 2));
}

/** Grades `jobs` in `workers` workers; `listener` hears each row, then done or failed. */
export function startGradebook(
  jobs: GradebookJob[],
  workers: number,
  listener: GradingListener,
): { cancel(): void } {
  let next = 0;
  let left = jobs.length;
  const pool: Worker[] = [];
  const stop = () => {
    for (const worker of pool) worker.terminate();
    pool.length = 0;
  };
  const feed = (worker: Worker) => {
    if (next >= jobs.length) return;
    worker.postMessage(jobs.slice(next, next + perMessage));
    next += perMessage;
  };
  if (jobs.length === 0) {
    queueMicrotask(() => listener.done());
    return { cancel: stop };
  }
  const count = Math.min(workers, Math.ceil(jobs.length / perMessage));
  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('../../workers/gradebook.worker.ts', import.meta.url), {
      type: 'module',
    });
    worker.onmessage = (event: MessageEvent<GradebookMessage>) => {
      const message = event.data;
      if (message.type === 'graded') {
        listener.graded(message.key, message.row);
        if (--left === 0) {
          stop();
          listener.done();
        }
      } else if (message.type === 'idle') feed(worker);
      else {
        stop();
        listener.failed(message.message);
      }
    };
    worker.onerror = () => {
      stop();
      listener.failed('The grader could not start in this browser. Reload the page and try again.');
    };
    pool.push(worker);
    feed(worker);
  }
  return { cancel: stop };
}
