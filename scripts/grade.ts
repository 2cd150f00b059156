// Command-line grader for instructors: `npm run grade -- [--exercise add|xor] [--json] FILE.json...`
// One line per file; exits 1 when any file fails, 2 on a usage error.
import { errorMessage } from '../lib/errors.ts';
import { readFileSync } from 'node:fs';
import { exerciseById, type Exercise } from '../lib/rnn/exercises.ts';
import { grade, type Verdict } from '../lib/rnn/grade.ts';
import { verdictLine } from '../lib/rnn/report.ts';
import { parseWeightsJson } from '../lib/rnn/validate.ts';

const usage = 'usage: npm run grade -- [--exercise add|xor] [--json] FILE.json...';

function gradeFile(path: string, exercise: Exercise): Verdict {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = errorMessage(error);
    return { ...grade(null, exercise), errors: [`Cannot read the file: ${reason}`] };
  }
  const parsed = parseWeightsJson(text);
  if (!parsed.ok) return { ...grade(null, exercise), errors: parsed.errors };
  return grade(parsed.weights, exercise);
}

const args = process.argv.slice(2);
const files: string[] = [];
let json = false;
let exercise = exerciseById('add');
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--json') json = true;
  else if (arg === '--exercise') exercise = exerciseById(args[++i] ?? '');
  else if (arg.startsWith('--')) {
    console.error(`unknown option ${arg}\n${usage}`);
    process.exit(2);
  } else files.push(arg);
}
if (!exercise || files.length === 0) {
  console.error(exercise ? usage : `--exercise must be add or xor\n${usage}`);
  process.exit(2);
}

const results = files.map((file) => ({ file, verdict: gradeFile(file, exercise) }));
if (json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  for (const { file, verdict } of results) console.log(`${file}: ${verdictLine(verdict)}`);
}
// Not process.exit: it would cut off output still waiting to go through a pipe.
process.exitCode = results.every((r) => r.verdict.passed) ? 0 : 1;
