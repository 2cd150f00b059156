// The course map's progress line per lesson, from what the browser keeps: visited, questions
// answered right (and answered), exercise solved. The line looks done (green) only when every
// question has been answered right and the exercise, if any, solved. Nothing here is sent anywhere.
// Drawn again when the progress panel imports or resets, and when another tab changes what is kept.
import { lessonProgress, progressWords, questionsKey, readRecords } from '../../lib/questions.ts';
import { keptEvent, pageStorage } from '../../components/kept-storage.ts';
import { readVisited, visitedKey } from '../progress.ts';

function showProgress() {
  const records = readRecords(pageStorage.getItem(questionsKey)).records;
  const seen = new Set(readVisited(pageStorage.getItem(visitedKey)));
  for (const line of document.querySelectorAll<HTMLElement>('.course-progress')) {
    const { lesson = '', questions = '', solvedKey } = line.dataset;
    const ids = questions.split(' ').filter(Boolean);
    const parts: string[] = [];
    let done = true;
    if (seen.has(lesson)) parts.push('visited');
    if (ids.length > 0) {
      const progress = lessonProgress(records, ids);
      parts.push(progressWords(progress, ids.length));
      done &&= progress.right === ids.length;
    }
    if (solvedKey) {
      const solved = pageStorage.getItem(solvedKey) === '1';
      parts.push(solved ? 'exercise solved' : 'exercise to do');
      done &&= solved;
    }
    line.textContent = parts.join(' · ');
    line.hidden = parts.length === 0;
    line.classList.toggle('done', done && parts.length > 0);
  }
}

showProgress();
window.addEventListener(keptEvent, showProgress);
window.addEventListener('storage', showProgress);
