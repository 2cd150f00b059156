// A batch of files handed to the grading page: which of them are graded, the refusal of one too
// large to read (worded as the command line words it), the key under which identical files are
// graded once, and the orders of the table and of the gradebook's rows.
import {
  detectExercise,
  maxSubmissionBytes,
  type GradedExercise,
  type GradedSubmission,
} from './submission.ts';

/**
 * Whether a file is graded: submissions are JSON. Hidden files (a name starting with ".", such as
 * the "._name.json" copies macOS puts in a zip) are not submissions, even when they end in .json.
 */
export function isSubmissionName(path: string): boolean {
  const base = path.split(/[\\/]/).pop() ?? '';
  return /\.json$/i.test(base) && !base.startsWith('.');
}

/** Why a file of `size` bytes is not read, or undefined when it is within the 1 MB cap. */
export function oversizeRefusal(size: number): string | undefined {
  if (size <= maxSubmissionBytes) return undefined;
  return `Cannot read the file: it is ${size} bytes, over the limit of ${maxSubmissionBytes} bytes (1 MB).`;
}

/**
 * The key two files share when grading one grades the other: the same text, graded as the same
 * exercise. The exercise can come from the file's name (detectExercise), so the key holds what the
 * name says along with the text; copies of one solution under students' own names share a key.
 */
export function gradingKey(file: string, text: string, exercise?: GradedExercise): string {
  return `${exercise ?? detectExercise(undefined, file) ?? ''}\u0000${text}`;
}

/** Orders file names by their UTF-16 code units: the same order in every browser and in Node. */
export function byFileName(a: { file: string }, b: { file: string }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

/** The columns the grading table sorts by. */
export const gradeColumns = [
  'file',
  'name',
  'id',
  'exercise',
  'verdict',
  'right',
  'failure',
] as const;
export type GradeColumn = (typeof gradeColumns)[number];

/** A row's verdict in a word: files whose exercise could not be told were not graded at all. */
export function verdictWord(row: GradedSubmission): 'Passed' | 'Failed' | 'Not graded' {
  return row.exercise === undefined ? 'Not graded' : row.passed ? 'Passed' : 'Failed';
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The value a row is sorted by in `column`: text compared as words and numbers, or a number. */
function sortValue(row: GradedSubmission, column: GradeColumn): string | number {
  switch (column) {
    case 'file':
      return row.file;
    case 'name':
      return row.student.name;
    case 'id':
      return row.student.id;
    case 'exercise':
      return row.exercise ?? '';
    case 'verdict':
      return verdictWord(row);
    case 'right':
      return row.total === 0 ? 0 : row.right / row.total;
    case 'failure':
      return row.firstFailure;
  }
}

/**
 * `rows` sorted by `column`, ascending or descending; ties keep the files' name order, so that a
 * sort gives the same table however the rows arrived.
 */
export function sortRows<Row extends GradedSubmission>(
  rows: readonly Row[],
  column: GradeColumn,
  direction: 'ascending' | 'descending',
): Row[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, column);
    const y = sortValue(b, column);
    const order =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : collator.compare(String(x), String(y));
    return order !== 0 ? sign * order : byFileName(a, b);
  });
}
