// A batch of graded files as a gradebook CSV: a row per file with the columns any LMS can map, or
// the import layout of Canvas, Moodle or Brightspace (a row per student, a column per exercise),
// joined to a roster when there is one, with notes on every file or student the CSV leaves out.
import { csvField } from '../printable.ts';
import type { RosterEntry } from './roster.ts';
import {
  exerciseTitles,
  gradedExercises,
  type GradedExercise,
  type GradedSubmission,
} from './submission.ts';

export const gradebookFormats = ['generic', 'canvas', 'moodle', 'brightspace'] as const;
export type GradebookFormat = (typeof gradebookFormats)[number];

export interface Gradebook {
  csv: string;
  /** What an instructor should know: files without an ID, IDs not on the roster, repeats */
  notes: string[];
  /** Roster students with no file at all */
  missing: RosterEntry[];
}

/** The generic layout's header: a row per file, in the order graded. */
export const genericHeader = [
  'file',
  'student_name',
  'student_id',
  'exercise',
  'points',
  'points_possible',
  'passed',
  'first_failure',
];

const line = (fields: (string | number | boolean)[]) => fields.map(csvField).join(',');

/** The better of two files for one student and exercise: more cases right, then passed, then first. */
function better(a: GradedSubmission, b: GradedSubmission): GradedSubmission {
  if (b.right !== a.right) return b.right > a.right ? b : a;
  return !a.passed && b.passed ? b : a;
}

interface StudentRow {
  id: string;
  name: string;
  entry: RosterEntry | undefined;
  best: Map<GradedExercise, GradedSubmission>;
}

/** An ID as students and rosters are matched by: case does not count (S1815 is s1815). */
const match = (id: string) => id.trim().toLowerCase();

/** The batch's students by ID (roster order, then first appearance), each exercise's best file. */
function byStudent(
  rows: GradedSubmission[],
  roster: RosterEntry[] | undefined,
  notes: string[],
  leftOut: boolean,
): StudentRow[] {
  const students = new Map<string, StudentRow>();
  for (const entry of roster ?? []) {
    const held = students.get(match(entry.id));
    if (held)
      notes.push(
        `The roster lists ID ${entry.id} twice (${held.name || 'no name'}, ${entry.name || 'no name'}); the first counts.`,
      );
    else students.set(match(entry.id), { id: entry.id, name: entry.name, entry, best: new Map() });
  }
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (!row.exercise) continue; // already said: the file could not be told
    const id = row.student.id;
    if (id === '') {
      notes.push(`${row.file}: no student ID in the file, so it is in no student's row.`);
      continue;
    }
    let student = students.get(match(id));
    if (!student) {
      if (roster) {
        // A spreadsheet drops an ID's leading zeros: say which roster ID it may be.
        const unpadded = (x: string) => match(x).replace(/^0+(?=.)/, '');
        const near = roster.find((s) => unpadded(s.id) === unpadded(id));
        notes.push(
          `${row.file}: student ID ${id} is not on the roster` +
            (near ? ` (did you mean ${near.id}?)` : '') +
            (leftOut ? ', so it is left out.' : '.'),
        );
        if (leftOut) continue;
      }
      student = { id, name: row.student.name, entry: undefined, best: new Map() };
      students.set(match(id), student);
    }
    const held = student.best.get(row.exercise);
    student.best.set(row.exercise, held ? better(held, row) : row);
    const count = `${student.id}\u0000${row.exercise}`;
    counts.set(count, (counts.get(count) ?? 0) + 1);
  }
  for (const [count, n] of counts)
    if (n > 1) {
      const [id, exercise] = count.split('\u0000') as [string, GradedExercise];
      notes.push(
        `Student ${id} sent ${n} files for ${exerciseTitles[exercise]}; the one with most cases right counts.`,
      );
    }
  return [...students.values()];
}

/**
 * The gradebook for `rows` in `format`. With a roster, every student on it has a row (an empty
 * grade when they sent nothing, which an LMS leaves as it was) and files from IDs not on it are
 * left out with a note.
 */
export function gradebook(
  rows: GradedSubmission[],
  format: GradebookFormat,
  roster?: RosterEntry[],
): Gradebook {
  const notes: string[] = rows
    .filter((row) => !row.exercise)
    .map((row) => `${row.file}: not graded: ${row.firstFailure}`);
  const students = byStudent(rows, roster, notes, format !== 'generic');
  const missing = students.filter((s) => s.entry && s.best.size === 0).map((s) => s.entry!);
  const exercises = gradedExercises.filter((e) => rows.some((row) => row.exercise === e));
  const total = (e: GradedExercise) => rows.find((row) => row.exercise === e)!.total;
  const points = (s: StudentRow, e: GradedExercise) => s.best.get(e)?.right ?? '';
  const name = (s: StudentRow) => s.entry?.name || s.name;
  const lines: string[] = [];
  if (format === 'generic') {
    lines.push(line(genericHeader));
    for (const row of rows) {
      const entry = roster?.find((s) => match(s.id) === match(row.student.id));
      lines.push(
        line([
          row.file,
          entry?.name || row.student.name,
          row.student.id,
          row.exercise ?? '',
          row.right,
          row.total,
          row.passed,
          row.firstFailure,
        ]),
      );
    }
    for (const s of missing) lines.push(line(['', s.name, s.id, '', '', '', false, 'no file']));
  } else if (format === 'canvas') {
    // Canvas: the five student columns, then one per assignment, and a Points Possible row.
    lines.push(
      line([
        'Student',
        'ID',
        'SIS User ID',
        'SIS Login ID',
        'Section',
        ...exercises.map((e) => exerciseTitles[e]),
      ]),
    );
    lines.push(line(['Points Possible', '', '', '', '', ...exercises.map(total)]));
    for (const s of students)
      lines.push(
        line([
          name(s),
          s.entry?.canvasId ?? '',
          s.id,
          s.entry?.login ?? '',
          s.entry?.section ?? '',
          ...exercises.map((e) => points(s, e)),
        ]),
      );
  } else if (format === 'moodle') {
    // Moodle maps a row by a column the instructor picks (ID number or email) and each grade
    // and feedback column to an item.
    lines.push(
      line([
        'ID number',
        'Email address',
        'Full name',
        ...exercises.flatMap((e) => [exerciseTitles[e], `${exerciseTitles[e]} (Feedback)`]),
      ]),
    );
    for (const s of students)
      lines.push(
        line([
          s.id,
          s.entry?.email ?? '',
          name(s),
          ...exercises.flatMap((e) => {
            const best = s.best.get(e);
            return [points(s, e), best ? feedback(best) : ''];
          }),
        ]),
      );
  } else {
    // Brightspace: OrgDefinedId, "<item> Points Grade" per item, and the end-of-line marker. Its
    // own exports put a # before each ID (so a spreadsheet keeps leading zeros) and as the marker.
    lines.push(
      line([
        'OrgDefinedId',
        ...exercises.map((e) => `${exerciseTitles[e]} Points Grade`),
        'End-of-Line Indicator',
      ]),
    );
    for (const s of students)
      lines.push(line([`#${s.id}`, ...exercises.map((e) => points(s, e)), '#']));
  }
  return { csv: lines.join('\r\n') + '\r\n', notes, missing };
}

/** A file's verdict as a student reads it in the LMS's feedback. */
function feedback(row: GradedSubmission): string {
  const verdict = `${row.right} of ${row.total} cases right`;
  return row.passed ? `Passed: ${verdict}.` : `${verdict}. First failure: ${row.firstFailure}`;
}
