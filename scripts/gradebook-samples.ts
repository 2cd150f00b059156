// Writes docs/samples/: a class's submissions as the editors export them, a roster, and the
// gradebook `npm run grade` makes from them in each layout, so docs/grading.md shows real files
// (tests/unit/gradebook.test.ts checks that the committed gradebooks are what the grader writes
// from the committed submissions).
//   node scripts/gradebook-samples.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { submissionText, type GradedExercise } from '../lib/gradebook/submission.ts';

const out = 'docs/samples';
const submissions: [string, GradedExercise, string, string, string][] = [
  // file, exercise, name, ID, the network (a test fixture)
  ['20067930-frank-catcher-rnn-add.json', 'add', 'Frank Catcher', '20067930', 'rnn/step-solution'],
  ['s1815-ada-lovelace-rnn-add.json', 'add', 'Ada Lovelace', 's1815', 'rnn/leaky-carry'],
  ['s1815-ada-lovelace-clock.json', 'clock', 'Ada Lovelace', 's1815', 'clock/never-answers-zero'],
  [
    '20067930-frank-catcher-clock.json',
    'clock',
    'Frank Catcher',
    '20067930',
    'clock/square-one-frequency',
  ],
];

mkdirSync(`${out}/submissions`, { recursive: true });
for (const [file, exercise, name, id, network] of submissions) {
  const value = JSON.parse(readFileSync(`tests/fixtures/${network}.json`, 'utf8')) as object;
  const header = {
    exercise,
    student: { name, id },
    build: '0.1.0+sample',
    exported: '2026-12-04T09:00:00.000Z',
  };
  writeFileSync(`${out}/submissions/${file}`, submissionText(header, value));
}
writeFileSync(
  `${out}/roster.csv`,
  'ID,Name,Email,Section\r\n20067930,Frank Catcher,frank@example.edu,A\r\n' +
    's1815,Ada Lovelace,ada@example.edu,B\r\nu42,Grace Hopper,grace@example.edu,A\r\n',
);

// The gradebooks, as `npm run grade` prints them; its notes (who sent nothing) go to the README.
for (const format of ['generic', 'canvas', 'moodle', 'brightspace']) {
  const files = submissions.map(([file]) => `${out}/submissions/${file}`);
  const result = spawnSync(
    process.execPath,
    ['scripts/grade.ts', '--format', format, '--roster', `${out}/roster.csv`, ...files],
    { encoding: 'utf8' },
  );
  writeFileSync(`${out}/gradebook-${format}.csv`, result.stdout);
  if (format === 'generic') writeFileSync(`${out}/notes.txt`, result.stderr);
}
