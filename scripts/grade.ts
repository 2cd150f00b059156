// Command-line grader for instructors:
//   npm run grade -- [--exercise add|xor|clock|questions] [--json | --csv] [--format F] [--roster R] FILE...
// One line per file, the full verdicts as JSON, or a gradebook CSV (a row per file, or an LMS's
// import layout, joined to a roster); exits 1 when any file fails, 2 on a usage error.
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../lib/errors.ts';
import { oversizeRefusal } from '../lib/gradebook/batch.ts';
import { gradebook, gradebookFormats, type GradebookFormat } from '../lib/gradebook/gradebook.ts';
import { parseRoster, type RosterEntry } from '../lib/gradebook/roster.ts';
import {
  gradedExercises,
  gradeSubmission,
  maxSubmissionBytes as maxBytes,
  type GradedExercise,
  type GradedSubmission,
} from '../lib/gradebook/submission.ts';
import { printable } from '../lib/printable.ts';
import { questionIdsIn } from '../lib/questions.ts';

const usage =
  'usage: npm run grade -- [--exercise add|xor|clock|questions] [--json | --csv]\n' +
  '         [--format generic|canvas|moodle|brightspace] [--roster roster.csv] FILE.json...';

/**
 * A submission's text: only a regular file, not followed through a link (O_NOFOLLOW), opened
 * without waiting on a FIFO (O_NONBLOCK), and at most `maxBytes`, so that no device, pipe or huge
 * file can hang or exhaust the batch.
 */
function read(path: string): string | { error: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ELOOP')
      return { error: 'Cannot read the file: it is a symbolic link, not a regular file.' };
    return { error: `Cannot read the file: ${errorMessage(error)}` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { error: 'Cannot read the file: it is not a regular file.' };
    const refusal = oversizeRefusal(stat.size);
    if (refusal) return { error: refusal };
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (
      let n;
      length <= maxBytes && (n = readSync(fd, buffer, length, maxBytes + 1 - length, null)) > 0;
    )
      length += n;
    if (length > maxBytes)
      return { error: `Cannot read the file: it is over the limit of ${maxBytes} bytes (1 MB).` };
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    return { error: `Cannot read the file: ${errorMessage(error)}` };
  } finally {
    closeSync(fd);
  }
}

const args = process.argv.slice(2);
const files: string[] = [];
let output: 'lines' | 'json' | 'csv' = 'lines';
let format: GradebookFormat = 'generic';
let exercise: GradedExercise | undefined;
let rosterPath: string | undefined;
const fail = (message: string): never => {
  console.error(`${message}\n${usage}`);
  process.exit(2);
};
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--') {
    // Everything after -- is a file, even a name that starts with --
    files.push(...args.slice(i + 1));
    break;
  } else if (arg === '--json' || arg === '--csv') {
    if (output !== 'lines') fail('--json and --csv are one or the other');
    output = arg === '--json' ? 'json' : 'csv';
  } else if (arg === '--exercise') {
    const name = args[++i] ?? '';
    exercise =
      gradedExercises.find((e) => e === name) ??
      fail('--exercise must be add, xor, clock or questions');
  } else if (arg === '--format') {
    const name = args[++i] ?? '';
    format =
      gradebookFormats.find((f) => f === name) ??
      fail('--format must be generic, canvas, moodle or brightspace');
  } else if (arg === '--roster') rosterPath = args[++i] ?? fail('--roster needs a CSV file');
  else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
  else files.push(arg);
}
if (format !== 'generic' || rosterPath) {
  if (output === 'json') fail('--format and --roster write a CSV gradebook, not --json');
  output = 'csv';
}
if (files.length === 0) fail('no files to grade');

let roster: RosterEntry[] | undefined;
if (rosterPath) {
  const text = read(rosterPath);
  const parsed =
    typeof text === 'string' ? parseRoster(text) : { ok: false as const, error: text.error };
  if (!parsed.ok) {
    console.error(printable(`${rosterPath}: ${parsed.error}`));
    process.exit(2);
  }
  roster = parsed.students;
}

/**
 * The ids of the questions the lessons in content/ ask, which a questions file is graded against;
 * undefined (the file's own list counts) where this checkout has no lessons.
 */
function courseQuestions(): string[] | undefined {
  try {
    const dir = fileURLToPath(new URL('../content/lessons/', import.meta.url));
    const lessons = readdirSync(dir)
      .filter((f) => f.endsWith('.mdx'))
      .sort();
    return lessons.flatMap((f) => questionIdsIn(readFileSync(join(dir, f), 'utf8')));
  } catch {
    return undefined;
  }
}
const asked = courseQuestions();

// The plain lines and the JSON are printed verdict by verdict, so a crash later in the batch never
// loses the verdicts already given; every line goes through printable (csvField in the CSV), so no
// name or value can forge one.
if (output === 'json') console.log('[');
let allPassed = true;
const graded: GradedSubmission[] = [];
files.forEach((file, i) => {
  const r = gradeSubmission(file, read(file), exercise, asked);
  allPassed &&= r.passed;
  if (output === 'json') {
    const entry = JSON.stringify(
      {
        file,
        exercise: r.exercise ?? null,
        student: r.student,
        passed: r.passed,
        verdict: r.verdict ?? null,
        ...(r.verdict ? {} : { error: r.firstFailure }),
      },
      null,
      2,
    ).replace(/^/gm, '  ');
    console.log(entry + (i < files.length - 1 ? ',' : ''));
  } else if (output === 'csv') graded.push(r);
  else console.log(printable(`${file}: ${r.line}`));
});
if (output === 'json') console.log(']');
if (output === 'csv') {
  const book = gradebook(graded, format, roster);
  process.stdout.write(book.csv);
  // The notes go to standard error, so that the CSV on standard output imports as it is.
  for (const note of book.notes) console.error(printable(note));
  for (const s of book.missing)
    console.error(printable(`No file from ${s.name || 'the student'} (ID ${s.id}).`));
}
// Not process.exit: it would cut off output still waiting to go through a pipe.
process.exitCode = allPassed ? 0 : 1;
