// One submitted file, graded: which exercise it is (said by the file, by its name, or by the
// instructor), who it is from, and the verdict in the few fields a gradebook row needs. The command
// line (scripts/grade.ts) and the grading page's worker both grade through `gradeSubmission`.
import { clockVerdictLine, failureReason, gradeClock, type ClockVerdict } from '../clock/grade.ts';
import { clockModulus } from '../clock/network.ts';
import { errorMessage } from '../errors.ts';
import { excerpt } from '../printable.ts';
import { exerciseById } from '../rnn/exercises.ts';
import { grade, totalCases, type Verdict } from '../rnn/grade.ts';
import { verdictLine } from '../rnn/report.ts';
import { gradeQuestions, questionsVerdictLine, type QuestionsVerdict } from './questions.ts';
import { readStudent, type Student } from './student.ts';

/** The exercises a file can be graded as. */
export const gradedExercises = ['add', 'xor', 'clock', 'questions'] as const;
export type GradedExercise = (typeof gradedExercises)[number];

/** Each exercise's name in a gradebook's column and an export's file name. */
export const exerciseTitles: Record<GradedExercise, string> = {
  add: 'RNN binary addition',
  xor: 'RNN bitwise XOR',
  clock: 'Clock network mod 7',
  questions: 'Lesson questions',
};

/** The largest submission graded: real ones are under 10 KB, so 1 MB leaves a wide margin. */
export const maxSubmissionBytes = 2 ** 20;

/** The fields an export adds beside the weights, which the weights' own readers ignore. */
export interface SubmissionHeader {
  exercise: GradedExercise;
  student: Student;
  /** The course build the file was exported from */
  build: string;
  /** When it was exported, ISO 8601 */
  exported: string;
}

/** An exercise's export: the header's fields first, then the weights or network, as one object. */
export function submissionText(header: SubmissionHeader, network: object): string {
  return JSON.stringify({ ...header, ...network }, null, 2) + '\n';
}

/** A graded file, as a gradebook row shows it. */
export interface GradedSubmission {
  file: string;
  /** The exercise graded as; undefined when it could not be told */
  exercise: GradedExercise | undefined;
  student: Student;
  passed: boolean;
  right: number;
  total: number;
  /** The first failing case (or why the file could not be graded) in words; empty when none */
  firstFailure: string;
  /** The verdict in one line, as `npm run grade` prints it */
  line: string;
  /** The whole verdict with the failing case's trace; undefined when the file was not run */
  verdict: Verdict | ClockVerdict | QuestionsVerdict | undefined;
}

/**
 * The exercise a file is for: the one its `exercise` field names; failing that, its shape (a
 * network with `p` and `W_E` is the clock; weights with `hidden_size` are addition or, when the
 * file's name says `rnn-xor` as the editors once named exports, XOR); failing that, its name.
 * Undefined when none of these says.
 */
export function detectExercise(value: unknown, file: string): GradedExercise | undefined {
  const fields =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const said = gradedExercises.find((e) => e === fields['exercise']);
  if (said) return said;
  const base = file.split(/[\\/]/).pop() ?? '';
  const named = (pattern: RegExp) => pattern.test(base);
  if ('p' in fields && 'W_E' in fields) return 'clock';
  if ('hidden_size' in fields) return named(/(^|[^a-z])rnn-xor([^a-z]|$)/i) ? 'xor' : 'add';
  if (named(/(^|[^a-z])rnn-add([^a-z]|$)/i)) return 'add';
  if (named(/(^|[^a-z])rnn-xor([^a-z]|$)/i)) return 'xor';
  if (named(/(^|[^a-z])clock([^a-z]|$)/i)) return 'clock';
  return undefined;
}

/** A file that could not be run: no case right, the reason as the first failure and the verdict's error. */
function unreadable(
  file: string,
  exercise: GradedExercise | undefined,
  student: Student,
  reason: string,
  asked?: string[],
): GradedSubmission {
  const verdict =
    exercise === 'clock'
      ? { ...gradeClock(null), errors: [reason] }
      : exercise === 'add' || exercise === 'xor'
        ? { ...grade(null, exerciseById(exercise)!), errors: [reason] }
        : undefined;
  const total =
    exercise === 'clock'
      ? clockModulus ** 2
      : exercise === 'questions'
        ? (asked?.length ?? 0)
        : totalCases;
  // Each verdict line of a file that could not be run says `invalid:` and why.
  return {
    file,
    exercise,
    student,
    passed: false,
    right: 0,
    total,
    firstFailure: reason,
    line: `invalid: ${reason}`,
    verdict,
  };
}

/**
 * Grades one file's text (or the reason it could not be read) as `exercise`, or as the exercise
 * the file says when `exercise` is undefined; never throws, whatever the file holds.
 */
export function gradeSubmission(
  file: string,
  text: string | { error: string },
  exercise?: GradedExercise,
  /** The ids of the questions the course asks, which a questions file is graded against */
  asked?: string[],
): GradedSubmission {
  if (typeof text !== 'string')
    return unreadable(file, exercise, readStudent(null), text.error, asked);
  let value: unknown;
  try {
    // A byte-order mark, as some editors write, is not part of the JSON.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return unreadable(
      file,
      exercise ?? detectExercise(undefined, file),
      readStudent(null),
      `This is not valid JSON: ${excerpt(errorMessage(error))}`,
      asked,
    );
  }
  const fields =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const student = readStudent(fields['student']);
  const as = exercise ?? detectExercise(value, file);
  if (!as)
    return unreadable(
      file,
      undefined,
      student,
      'Cannot tell which exercise this file is for: it has no "exercise" field, its name does ' +
        'not say, and it holds neither RNN weights (hidden_size) nor a clock network (p, W_E). ' +
        'Grade it with --exercise add, xor, clock or questions.',
    );
  const graded = gradeAs(as, value, asked);
  const { verdict } = graded;
  return {
    file,
    exercise: as,
    student,
    passed: verdict.passed,
    right: graded.right,
    total: graded.total,
    // Why the file could not be run, or the first failing case in words
    firstFailure: verdict.errors.length > 0 ? verdict.errors.join(' ') : graded.failure,
    line: graded.line,
    verdict,
  };
}

/** One exercise's grader run on a file's value, with what a gradebook row takes from it. */
function gradeAs(
  exercise: GradedExercise,
  value: unknown,
  asked: string[] | undefined,
): {
  verdict: Verdict | ClockVerdict | QuestionsVerdict;
  right: number;
  total: number;
  /** The first failure in words, '' when none (the errors are said instead when there are any) */
  failure: string;
  line: string;
} {
  if (exercise === 'questions') {
    const verdict = gradeQuestions(value, asked);
    const { right, total, firstFailure: failure } = verdict;
    return { verdict, right, total, failure, line: questionsVerdictLine(verdict) };
  }
  if (exercise === 'clock') {
    const verdict = gradeClock(value);
    const f = verdict.firstFailure;
    return {
      verdict,
      right: verdict.right,
      total: verdict.total,
      failure: f ? `(${f.a} + ${f.b}) mod 7: ${failureReason(f)}` : '',
      line: clockVerdictLine(verdict),
    };
  }
  const rnn = exerciseById(exercise)!;
  const verdict = grade(value, rnn);
  const f = verdict.firstFailure;
  return {
    verdict,
    right: verdict.errors.length > 0 ? 0 : verdict.total - verdict.failed,
    total: totalCases,
    failure: f ? `${f.aDecimal} ${rnn.symbol} ${f.bDecimal}` : '',
    line: verdictLine(verdict),
  };
}
