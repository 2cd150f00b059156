// The lessons' questions as a file a student hands in: every answer the browser kept, with who it
// is from, graded by counting the course's questions ever answered right. The browser keeps the
// answers, so the file is a record of practice that a student could edit, not a proctored test.
import { everRight, readRecords, type QuestionRecord } from '../questions.ts';
import { excerpt } from '../printable.ts';

/** The most questions a file may list: the course asks 30; a file listing thousands is refused. */
const maxQuestions = 1000;

/** The part of a questions file after the submission header: what was asked and what was answered. */
export interface QuestionsBody {
  /** The ids of every question the course build asked, in the lessons' order */
  asked: string[];
  /** The kept records, by id, as `grokking:questions:v1` holds them */
  answers: Record<string, QuestionRecord>;
}

/** The verdict on a questions file. */
export interface QuestionsVerdict {
  exercise: 'questions';
  passed: boolean;
  errors: string[];
  total: number;
  right: number;
  /** The first question not answered right, in words; empty when none */
  firstFailure: string;
}

/** The ids in an untrusted `asked` field, or undefined when it is not a list of short strings. */
function readAsked(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > maxQuestions) return undefined;
  return value.every((id) => typeof id === 'string' && id.length <= 100) ? value : undefined;
}

/**
 * Grades a questions file: right is the number of `asked` questions (the course's own list when
 * given, the file's otherwise) ever answered right; it passes when all of them were.
 */
export function gradeQuestions(value: unknown, courseAsked?: string[]): QuestionsVerdict {
  const fields =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const asked = courseAsked ?? readAsked(fields['asked']);
  const { records, broken } = readRecords(JSON.stringify(fields['answers'] ?? null));
  const errors = [
    ...(asked ? [] : ['"asked" must be a list of question ids.']),
    ...(broken || typeof fields['answers'] !== 'object'
      ? ['"answers" must be an object of { answer, correct } records by question id.']
      : []),
  ];
  if (!asked || errors.length > 0)
    return {
      exercise: 'questions',
      passed: false,
      errors,
      total: asked?.length ?? 0,
      right: 0,
      firstFailure: '',
    };
  const right = asked.filter((id) => Object.hasOwn(records, id) && everRight(records[id]!));
  const first = asked.find((id) => !right.includes(id));
  const record = first === undefined ? undefined : records[first];
  return {
    exercise: 'questions',
    passed: first === undefined,
    errors: [],
    total: asked.length,
    right: right.length,
    firstFailure:
      first === undefined
        ? ''
        : record
          ? `${first}: answered "${excerpt(record.answer)}", not right yet`
          : `${first}: not answered`,
  };
}

/** The verdict in one line, as `npm run grade` prints it beside the other exercises' lines. */
export function questionsVerdictLine(verdict: QuestionsVerdict): string {
  if (verdict.errors.length > 0) return `invalid: ${verdict.errors.join(' ')}`;
  if (verdict.passed) return `passed: all ${verdict.total} questions answered right`;
  return (
    `failed: ${verdict.total - verdict.right} of ${verdict.total} questions not answered right; ` +
    `first: ${verdict.firstFailure}`
  );
}
