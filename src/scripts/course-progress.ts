// The course map's progress line per lesson, from what the browser keeps: visited, questions
// answered right, exercise solved. Nothing here is sent anywhere.
import { answeredRight, questionsKey, readRecords } from '../../lib/questions.ts';
import { visitedKey } from '../progress.ts';

function visited(): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(visitedKey) ?? '[]');
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const records = readRecords(localStorage.getItem(questionsKey)).records;
const seen = new Set(visited());
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
