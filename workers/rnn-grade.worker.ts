// Runs the RNN grader off the main thread: takes {weights, exercise}, posts progress and a verdict.
import { errorMessage } from '../lib/errors.ts';
import { exerciseById } from '../lib/rnn/exercises.ts';
import { grade, type Verdict } from '../lib/rnn/grade.ts';

export interface GradeRequest {
  weights: unknown;
  exercise: string;
}

export type GradeMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'error'; message: string };

const post = (message: GradeMessage) => postMessage(message);

addEventListener('message', (event: MessageEvent<GradeRequest>) => {
  const exercise = exerciseById(event.data.exercise);
  if (!exercise) {
    post({ type: 'error', message: `Unknown exercise "${event.data.exercise}".` });
    return;
  }
  try {
    const verdict = grade(event.data.weights, exercise, (done, total) =>
      post({ type: 'progress', done, total }),
    );
    post({ type: 'verdict', verdict });
  } catch (error) {
    post({ type: 'error', message: errorMessage(error) });
  }
});
