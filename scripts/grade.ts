// Command-line grader for instructors:
//   npm run grade -- [--exercise add|xor|clock] [--json | --csv] FILE.json...
// One line per file (or the full verdicts as JSON, or one CSV row per file for a gradebook);
// exits 1 when any file fails, 2 on a usage error.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { clockVerdictLine, failureReason, gradeClock, parseClockJson } from '../lib/clock/grade.ts';
import { errorMessage } from '../lib/errors.ts';
import { exerciseById } from '../lib/rnn/exercises.ts';
import { grade, totalCases } from '../lib/rnn/grade.ts';
import { verdictLine } from '../lib/rnn/report.ts';
import { parseWeightsJson } from '../lib/rnn/validate.ts';
import { csvField, printable } from '../lib/printable.ts';

const usage = 'usage: npm run grade -- [--exercise add|xor|clock] [--json | --csv] FILE.json...';

/** What every exercise's grading gives the report. */
interface Graded {
  verdict: unknown;
  passed: boolean;
  line: string;
  right: number;
  total: number;
  /** The first failing case in words; empty when none */
  firstFailure: string;
}

/** The largest submission read: real ones are under 10 KB, so 1 MB leaves a wide margin. */
const maxBytes = 2 ** 20;

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
    if (stat.size > maxBytes)
      return {
        error: `Cannot read the file: it is ${stat.size} bytes, over the limit of ${maxBytes} bytes (1 MB).`,
      };
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

function gradeRnn(text: string | { error: string }, id: 'add' | 'xor'): Graded {
  const exercise = exerciseById(id)!;
  const parsed = typeof text === 'string' ? parseWeightsJson(text) : undefined;
  const verdict =
    parsed?.ok === true
      ? grade(parsed.weights, exercise)
      : {
          ...grade(null, exercise),
          errors: typeof text === 'string' ? (parsed as { errors: string[] }).errors : [text.error],
        };
  const f = verdict.firstFailure;
  return {
    verdict,
    passed: verdict.passed,
    line: verdictLine(verdict),
    right: verdict.errors.length > 0 ? 0 : verdict.total - verdict.failed,
    total: totalCases,
    firstFailure:
      verdict.errors.length > 0
        ? verdict.errors.join(' ')
        : f
          ? `${f.aDecimal} ${exercise.symbol} ${f.bDecimal}`
          : '',
  };
}

function gradeClockFile(text: string | { error: string }): Graded {
  const parsed =
    typeof text === 'string' ? parseClockJson(text) : { ok: false as const, errors: [text.error] };
  const verdict = parsed.ok
    ? gradeClock(parsed.network)
    : { ...gradeClock(null), errors: parsed.errors };
  const f = verdict.firstFailure;
  return {
    verdict,
    passed: verdict.passed,
    line: clockVerdictLine(verdict),
    right: verdict.right,
    total: verdict.total,
    firstFailure:
      verdict.errors.length > 0
        ? verdict.errors.join(' ')
        : f
          ? `(${f.a} + ${f.b}) mod 7: ${failureReason(f)}`
          : '',
  };
}

const args = process.argv.slice(2);
const files: string[] = [];
let format: 'lines' | 'json' | 'csv' = 'lines';
let exercise = 'add';
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--json' || arg === '--csv') {
    if (format !== 'lines') {
      console.error(`--json and --csv are one or the other\n${usage}`);
      process.exit(2);
    }
    format = arg === '--json' ? 'json' : 'csv';
  } else if (arg === '--exercise') exercise = args[++i] ?? '';
  else if (arg.startsWith('--')) {
    console.error(`unknown option ${arg}\n${usage}`);
    process.exit(2);
  } else files.push(arg);
}
if (!['add', 'xor', 'clock'].includes(exercise)) {
  console.error(`--exercise must be add, xor or clock\n${usage}`);
  process.exit(2);
}
if (files.length === 0) {
  console.error(usage);
  process.exit(2);
}

// Each verdict is printed as soon as it is made, so a crash later in the batch never loses the
// verdicts already given; every line goes through printable, so no name or value can forge one.
if (format === 'csv') console.log('file,exercise,passed,right,total,first_failure');
if (format === 'json') console.log('[');
let allPassed = true;
files.forEach((file, i) => {
  const text = read(file);
  const r = exercise === 'clock' ? gradeClockFile(text) : gradeRnn(text, exercise as 'add' | 'xor');
  allPassed &&= r.passed;
  if (format === 'json') {
    const entry = JSON.stringify({ file, verdict: r.verdict }, null, 2).replace(/^/gm, '  ');
    console.log(entry + (i < files.length - 1 ? ',' : ''));
  } else if (format === 'csv') {
    console.log(
      [file, exercise, r.passed, r.right, r.total, r.firstFailure].map(csvField).join(','),
    );
  } else console.log(printable(`${file}: ${r.line}`));
});
if (format === 'json') console.log(']');
// Not process.exit: it would cut off output still waiting to go through a pipe.
process.exitCode = allPassed ? 0 : 1;
