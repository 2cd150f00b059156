// `npm run bench:grade`: how long the grading page (/grade/) takes for a class of 500 files, in
// headless Chromium on the built site (dist/), for three classes: 500 different clock networks,
// 500 RNN addition files from 8 networks (students' copies of a few solutions, graded once each),
// and 500 different RNN addition networks (88,648 cases apiece). Each class is graded `reps`
// times in a fresh page; the time is the page's own, from the files handed over to the last row.
// Writes the "Grading in the page" section of BENCHMARKS.md (between its markers), which
// `npm run bench` keeps.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { median } from '../../lib/median.ts';
import { submissionText, type GradedExercise } from '../../lib/gradebook/submission.ts';
import { findChromium } from '../../tests/e2e/chromium-path.ts';
import { startHost } from '../../tests/e2e/static-host.ts';

const reps = Number(process.env['GRADE_BENCH_REPS'] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'grade-bench-'));
const fixture = (name: string) =>
  JSON.parse(readFileSync(`tests/fixtures/${name}`, 'utf8')) as Record<string, unknown>;
const header = (exercise: GradedExercise, i: number) => ({
  exercise,
  student: { name: `Student ${i}`, id: `s${i}` },
  build: 'bench',
  exported: '2026-12-04T00:00:00Z',
});

/** Writes a class of 500 files; `network(i)` is student i's. */
function writeClass(name: string, exercise: GradedExercise, network: (i: number) => object) {
  return Array.from({ length: 500 }, (_, i) => {
    const path = join(dir, `${name}-s${String(i).padStart(3, '0')}.json`);
    writeFileSync(path, submissionText(header(exercise, i), network(i)));
    return path;
  });
}
const clocks = ['square-one-frequency', 'never-answers-zero', 'relu-eight-phases', 'only-cos-term'];
const adders = [
  'step-solution',
  'leaky-carry',
  'ignores-final-carry',
  'relu-solution',
  'sigmoid-solution',
  'permuted-step-solution',
  'invalid-shapes',
  'step-solution',
];
const classes = [
  {
    what: '500 clock networks, all different',
    paths: writeClass('clock', 'clock', (i) => {
      const network = fixture(`clock/${clocks[i % clocks.length]}.json`);
      (network['W_E'] as number[][])[0]![0]! += i * 1e-12;
      return network;
    }),
  },
  {
    what: '500 RNN addition files, copies of 7 networks (graded once each)',
    paths: writeClass('copies', 'add', (i) => fixture(`rnn/${adders[i % 7]}.json`)),
  },
  {
    what: '500 RNN addition networks, all different',
    paths: writeClass('adders', 'add', (i) => {
      const network = fixture(`rnn/${adders[i % adders.length]}.json`);
      network['b_y'] = [(network['b_y'] as number[])[0]! + i * 1e-9];
      return network;
    }),
  },
];

const host = await startHost({ dir: 'dist' });
const browser = await chromium.launch({
  executablePath: findChromium()!,
  args: ['--headless', '--no-sandbox', '--disable-background-networking'],
});
const results: { what: string; seconds: number[]; workers: number }[] = [];
for (const c of classes) {
  const seconds: number[] = [];
  let workers = 0;
  for (let rep = 0; rep < reps; rep++) {
    const page = await browser.newPage();
    await page.goto(host.url + 'grade/');
    await page.locator('[data-testid="grade-batch"][data-ready="true"]').waitFor();
    workers = await page.evaluate(() => Math.max(1, Math.min(8, navigator.hardwareConcurrency)));
    await page.getByTestId('grade-files').setInputFiles(c.paths);
    const done = page.locator('[data-testid="grade-batch"][data-status="done"]');
    await done.waitFor({ timeout: 600_000 });
    seconds.push(Number(await done.getAttribute('data-elapsed')) / 1000);
    console.log(`[${rep + 1}] ${c.what}: ${seconds.at(-1)!.toFixed(2)} s`);
    await page.close();
  }
  results.push({ what: c.what, seconds, workers });
}
const version = browser.version();
await browser.close();
await host.stop();
rmSync(dir, { recursive: true, force: true });

const date = new Date().toISOString().slice(0, 10);
const s = (x: number) => x.toFixed(1);
const section = `<!-- grade-page: written by npm run bench:grade -->
### Grading in the page

Measured by \`npm run bench:grade\` on ${date}: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Chromium ${version}.
The built site's \`/grade/\` page with ${results[0]?.workers ?? '?'} grader workers (one per core); the time is the
page's own, from the files handed to it to the last row, reading included; median (range) of ${reps}
runs, each in a fresh page.

| class of 500 files | s |
| --- | ---: |
${results.map((r) => `| ${r.what} | ${s(median(r.seconds))} (${s(Math.min(...r.seconds))}–${s(Math.max(...r.seconds))}) |`).join('\n')}

A clock file is 49 pairs and grades in well under a millisecond; an RNN addition file is 88,648
cases, about 0.35–0.4 s in Node here, so a class of different RNNs takes minutes on two cores, not
seconds. On more cores the pool is larger (a worker per core, up to 8), which this machine cannot
measure. Copies of one network, apart from who
sent it, are graded once (\`groupCopies\`).
<!-- /grade-page -->`;
const file = readFileSync('BENCHMARKS.md', 'utf8');
const marked = /<!-- grade-page[^]*?<!-- \/grade-page -->/;
writeFileSync(
  'BENCHMARKS.md',
  marked.test(file)
    ? file.replace(marked, section)
    : file.replace('### Notes', `${section}\n\n### Notes`),
);
console.log('\nwrote the grading section of BENCHMARKS.md');
