// A batch of files handed to the grading page: which of them are graded, the refusal of one too
// large to read (worded as the command line words it), which files grade alike and so are graded
// once, and the orders of the table and of the gradebook's rows.
import { readStudent, type Student } from './student.ts';
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

/** The group a file is graded in, and who it is from. */
export interface GradingShare {
  key: string;
  student: Student;
}

/**
 * The key two files share when grading one grades the other, and the file's student. Files whose
 * JSON differs only in the fields an export adds beside the network (`student`, `build`,
 * `exported`: SubmissionHeader, which the graders never read) get one verdict, so that students'
 * copies of one solution are graded once. The exercise can come from the file's name
 * (detectExercise), so the key holds what the name says too. Text that is not a JSON object is
 * keyed as it is.
 */
export function gradingShare(file: string, text: string, exercise?: GradedExercise): GradingShare {
  const as = exercise ?? detectExercise(undefined, file) ?? '';
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { key: `${as}\u0000text\u0000${text}`, student: readStudent(null) };
  const network: Record<string, unknown> = { ...value };
  for (const field of ['student', 'build', 'exported']) delete network[field];
  return {
    key: `${as}\u0000json\u0000${JSON.stringify(network)}`,
    student: readStudent((value as Record<string, unknown>)['student']),
  };
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

/** A batch's files grouped for grading: each group graded once, through its first file. */
export interface GradingGroups {
  /** Each group's files, by their place in the batch; the first is the one graded */
  groups: number[][];
  /** Each file's student, as read from it (for the copies graded through another file) */
  students: (Student | undefined)[];
}

/**
 * Groups files that grade alike (gradingShare). A file that was not read (an error in place of
 * its text) is a group of its own, as it is graded by its error.
 */
export function groupCopies(
  files: { path: string; text: string | { error: string } }[],
  exercise?: GradedExercise,
): GradingGroups {
  const groups: number[][] = [];
  const students: (Student | undefined)[] = [];
  const byKey = new Map<string, number[]>();
  files.forEach(({ path, text }, i) => {
    const share = typeof text === 'string' ? gradingShare(path, text, exercise) : undefined;
    students.push(share?.student);
    const group = share && byKey.get(share.key);
    if (group) group.push(i);
    else {
      groups.push([i]);
      if (share) byKey.set(share.key, groups.at(-1)!);
    }
  });
  return { groups, students };
}
