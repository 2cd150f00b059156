// Records that this lesson page was visited, for the course map (src/scripts/course-progress.ts).
import { readVisited, visitedKey } from '../progress.ts';

const lesson = document.querySelector<HTMLElement>('main[data-lesson]')?.dataset['lesson'];
if (lesson) {
  // A damaged list starts again.
  const ids = readVisited(localStorage.getItem(visitedKey));
  if (!ids.includes(lesson)) localStorage.setItem(visitedKey, JSON.stringify([...ids, lesson]));
}
