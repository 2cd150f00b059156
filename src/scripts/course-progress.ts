// The course map's progress line per lesson, from what the browser keeps: visited, questions
// answered right, exercise solved. Nothing here is sent anywhere.
import { answeredRight, questionsKey, readRecords } from '../../lib/questions.ts';
import { readVisited, visitedKey } from '../progress.ts';

const records = readRecords(localStorage.getItem(questionsKey)).records;
const seen = new Set(readVisited(localStorage.getItem(visitedKey)));
for (const line of document.querySelectorAll<HTMLElement>('.course-progress')) {
  const { lesson = '', order = '', questions = '0', solvedKey } = line.dataset;
  const parts: string[] = [];
  if (seen.has(lesson)) parts.push('visited');
  const total = Number(questions);
  if (total > 0) parts.push(`${answeredRight(records, order)} of ${total} questions answered`);
  if (solvedKey) {
    parts.push(localStorage.getItem(solvedKey) === '1' ? 'exercise solved' : 'exercise to do');
  }
  line.textContent = parts.join(' · ');
  line.hidden = parts.length === 0;
}
