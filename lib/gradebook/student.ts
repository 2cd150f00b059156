// Who a submission is from: the name and ID a student types once and every export carries, read
// back from untrusted files with the same care as the weights beside them.

/** A student as the course keeps them: both fields trimmed, either may be empty. */
export interface Student {
  name: string;
  id: string;
}

/** The kept name of the student's name and ID (one per copy of the course, like every kept name). */
export const studentKeptName = 'grokking:student:v1';

/** The longest name or ID kept: a roster's longest is far shorter, and a gradebook row stays one. */
export const maxStudentField = 120;

/** `value` as one line of at most `maxStudentField` characters, control characters removed. */
function cleanField(value: unknown): string {
  if (typeof value !== 'string') return '';
  return (
    value
      // A name holds no control character, and no invisible one that reorders what it shows
      .replace(
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+/g,
        ' ',
      )
      .trim()
      .slice(0, maxStudentField)
  );
}

/** The student named by an untrusted value (a kept text's JSON or a file's field); never throws. */
export function readStudent(value: unknown): Student {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { name: '', id: '' };
  const fields = value as Record<string, unknown>;
  return { name: cleanField(fields['name']), id: cleanField(fields['id']) };
}

/** True when neither the name nor the ID is given. */
export function isAnonymous(student: Student): boolean {
  return student.name === '' && student.id === '';
}

/** A file name's part for `text`: letters and digits kept (any script), the rest one hyphen. */
function slug(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/**
 * The name a student's export is saved under: the ID and name, then the exercise, so that a
 * folder of a class's files sorts by student and no two students' files share a name
 * (`s1234-ada-lovelace-rnn-add.json`; `rnn-add.json` while no name or ID is given).
 */
export function exportFileName(student: Student, exercise: string): string {
  const who = [slug(student.id), slug(student.name)].filter((part) => part !== '').join('-');
  return `${who === '' ? '' : `${who}-`}${exercise}.json`;
}
