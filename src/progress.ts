// What the course map shows of a reader's progress, worked out at build time from the lessons: which
// questions each lesson asks, and where its exercise keeps "solved". The page fills in the
// reader's own progress from the browser (src/scripts/course-progress.ts).
import { questionIdsIn } from '../lib/questions.ts';
import type { Lesson } from './course';

/** The name (kept-store.ts scopes it by base) that says an exercise was solved, by the lesson's `exercise`. */
export const solvedKeys = {
  'binary-addition': 'grokking:rnn:add:solved',
  clock: 'grokking:clock:solved',
} as const;

export { readVisited, visitedKey } from '../lib/visited.ts';

/** The ids of the questions a lesson asks; throws if one does not start with the lesson's number. */
export function questionIds(lesson: Lesson): string[] {
  const ids = questionIdsIn(lesson.body ?? '');
  const prefix = `${String(lesson.data.order).padStart(2, '0')}/`;
  const wrong = ids.filter((id) => !id.startsWith(prefix));
  if (wrong.length > 0) {
    throw new Error(
      `Lesson ${lesson.id}: question ids must start with "${prefix}": ${wrong.join(', ')}`,
    );
  }
  if (new Set(ids).size !== ids.length)
    throw new Error(`Lesson ${lesson.id}: two questions share an id.`);
  return ids;
}
