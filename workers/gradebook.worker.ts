// Grades a batch's files off the main thread, with the command line's grader: takes a few files at
// a time as {key, file, text | {error}}, posts each one's graded row as soon as it is made, then
// `idle` to ask for more.
import { errorMessage } from '../lib/errors.ts';
import {
  gradeSubmission,
  type GradedExercise,
  type GradedSubmission,
} from '../lib/gradebook/submission.ts';

export interface GradebookJob {
  /** The caller's name for this job, posted back with its row */
  key: number;
  file: string;
  /** The file's text, or why it was not read (too large, unreadable) */
  text: string | { error: string };
  /** Grade as this exercise rather than the one the file says */
  exercise?: GradedExercise;
  /** The ids of the questions the course asks (a questions file is counted against these) */
  asked?: string[];
}

export type GradebookMessage =
  | { type: 'graded'; key: number; row: GradedSubmission }
  | { type: 'idle' }
  | { type: 'error'; message: string };

const post = (message: GradebookMessage) => postMessage(message);

addEventListener('message', (event: MessageEvent<GradebookJob[]>) => {
  try {
    for (const job of event.data)
      post({
        type: 'graded',
        key: job.key,
        row: gradeSubmission(job.file, job.text, job.exercise, job.asked),
      });
    post({ type: 'idle' });
  } catch (error) {
    // gradeSubmission never throws on a file; this is the grader itself failing.
    post({ type: 'error', message: `The grader failed: ${errorMessage(error)}` });
  }
});
