// An exercise's export as a submission: the network with who it is from, which exercise and which
// build, saved under a name that says the student and the exercise.
import { exportFileName } from '../lib/gradebook/student.ts';
import { submissionText, type GradedExercise } from '../lib/gradebook/submission.ts';
import { courseBuild } from './course-build.ts';
import { downloadText } from './download.ts';
import { student } from './student.svelte.ts';

/** Each exercise's part of an export's file name. */
const fileParts: Record<GradedExercise, string> = {
  add: 'rnn-add',
  xor: 'rnn-xor',
  clock: 'clock',
  questions: 'questions',
};

/**
 * Downloads `body` (an editor's export as JSON text, or the questions' records) as `exercise`'s
 * submission from this student.
 */
export function downloadSubmission(exercise: GradedExercise, body: string | object): void {
  const who = student.value;
  const header = { exercise, student: who, build: courseBuild, exported: new Date().toISOString() };
  const text = submissionText(
    header,
    typeof body === 'string' ? (JSON.parse(body) as object) : body,
  );
  downloadText(exportFileName(who, fileParts[exercise]), text, 'application/json');
}
