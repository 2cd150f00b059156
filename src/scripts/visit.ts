// Records that this lesson page was visited, for the course map (src/scripts/course-progress.ts).
import { visitedKey } from '../progress.ts';

const lesson = document.querySelector<HTMLElement>('main[data-lesson]')?.dataset['lesson'];
if (lesson) {
  let list: unknown = [];
  try {
    list = JSON.parse(localStorage.getItem(visitedKey) ?? '[]');
  } catch {
    // A damaged list starts again.
  }
  const ids = Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  if (!ids.includes(lesson)) localStorage.setItem(visitedKey, JSON.stringify([...ids, lesson]));
}
