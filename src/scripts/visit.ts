// Records that this lesson page was visited, for the course map (src/scripts/course-progress.ts).
import { pageStorage } from '../../components/kept-storage.ts';
import { readVisited, visitedKey } from '../progress.ts';

const lesson = document.querySelector<HTMLElement>('main[data-lesson]')?.dataset['lesson'];
if (lesson) {
  // A damaged list starts again.
  const ids = readVisited(pageStorage.getItem(visitedKey));
  if (!ids.includes(lesson)) pageStorage.setItem(visitedKey, JSON.stringify([...ids, lesson]));
}
