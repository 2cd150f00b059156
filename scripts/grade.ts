// Command-line grader for instructors:
//   npm run grade -- [--exercise add|xor|clock] [--json | --csv] FILE.json...
// One line per file (or the full verdicts as JSON, or one CSV row per file for a gradebook);
// exits 1 when any file fails, 2 on a usage error.
import { readFileSync } from 'node:fs';
import { clockVerdictLine, failureReason, gradeClock, parseClockJson } from '../lib/clock/grade.ts';
import { errorMessage } from '../lib/errors.ts';
import { exerciseById } from '../lib/rnn/exercises.ts';
import { grade, totalCases } from '../lib/rnn/grade.ts';
import { verdictLine } from '../lib/rnn/report.ts';
import { parseWeightsJson } from '../lib/rnn/validate.ts';

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

function read(path: string): string | { error: string } {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return { error: `Cannot read the file: ${errorMessage(error)}` };
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

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
const csvField = (value: string | number | boolean) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

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

const results = files.map((file) => {
  const text = read(file);
  return {
    file,
    ...(exercise === 'clock' ? gradeClockFile(text) : gradeRnn(text, exercise as 'add' | 'xor')),
  };
});
if (format === 'json') {
  console.log(
    JSON.stringify(
      results.map(({ file, verdict }) => ({ file, verdict })),
      null,
      2,
    ),
  );
} else if (format === 'csv') {
  console.log('file,exercise,passed,right,total,first_failure');
  for (const r of results) {
    console.log(
      [r.file, exercise, r.passed, r.right, r.total, r.firstFailure].map(csvField).join(','),
    );
  }
} else {
  for (const { file, line } of results) console.log(`${file}: ${line}`);
}
// Not process.exit: it would cut off output still waiting to go through a pipe.
process.exitCode = results.every((r) => r.passed) ? 0 : 1;
