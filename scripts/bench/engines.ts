// `npm run bench:engines`: one onnxruntime-web engine for the whole course, or two? In headless
// Chromium on the built site, paired and repeated: the model views' run of all p² inputs (lesson
// 6's calculator) and the paper's training step (the /check/ page), each on the plain
// SIMD-threaded build and on the WebGPU build's asyncify WASM. The calculator's WebGPU worker
// runs its build on WASM in a browser without an adapter, as this one is launched; the /check/
// page picks the training build itself.
// Every measurement is a fresh browser. Writes the "One engine or two" section of BENCHMARKS.md
// (between its markers), which `npm run bench` keeps.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { median } from '../../lib/median.ts';
import { megabytes } from '../../lib/fetch-progress.ts';
import { findChromium } from '../../tests/e2e/chromium-path.ts';
import { startHost } from '../../tests/e2e/static-host.ts';

const reps = Number(process.env['ENGINE_BENCH_REPS'] ?? 3);
const host = await startHost({ dir: 'dist' });
const launch = () =>
  chromium.launch({
    executablePath: findChromium()!,
    // No --enable-unsafe-webgpu: the WebGPU workers find no adapter and run their build on WASM.
    args: ['--headless', '--no-sandbox', '--disable-background-networking'],
  });

type Build = 'plain' | 'asyncify';
/** The choice that makes the calculator, and the /check/ page, load `build` on WASM. */
const viewsChoice = (build: Build) => (build === 'plain' ? 'wasm' : 'webgpu');
const checkChoice = (build: Build) => (build === 'plain' ? 'wasm-plain' : 'wasm');

/** ms for the model views' one batch of all inputs, as the calculator reports it. */
async function views(build: Build): Promise<number> {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${host.url}lessons/06-fourier-multiplication/`);
    const calc = page.getByTestId('calculator');
    await calc.scrollIntoViewIfNeeded();
    await page.locator('[data-testid="calculator"][data-ready="true"]').waitFor();
    await calc.getByTestId('backend').selectOption(viewsChoice(build));
    const run = calc.getByRole('button', { name: 'Run the model' });
    if (await run.count()) await run.click();
    const used = await calc.getByTestId('backend-used').textContent({ timeout: 600_000 });
    if (!used?.includes('on WASM')) throw new Error(`expected a WASM run, got: ${used}`);
    return Number(/in (\d+) ms/.exec(used)![1]);
  } finally {
    await browser.close();
  }
}

/** ms per full-batch step of the paper's model, as the /check/ page reports it. */
async function step(build: Build): Promise<number> {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${host.url}check/`);
    const check = page.getByTestId('speed-check');
    await page.locator('[data-testid="speed-check"][data-ready="true"]').waitFor();
    await check.getByRole('combobox').selectOption(checkChoice(build));
    await check.getByRole('button', { name: 'Time the paper’s model' }).click();
    const text = await check.getByTestId('paper-ms').textContent({ timeout: 600_000 });
    return Number(/(\d+) ms per/.exec(text!)![1]);
  } finally {
    await browser.close();
  }
}

const builds: Build[] = ['plain', 'asyncify'];
const times = {
  views: { plain: [] as number[], asyncify: [] as number[] },
  step: { plain: [] as number[], asyncify: [] as number[] },
};
for (let rep = 1; rep <= reps; rep++) {
  // Alternate which build goes first, so that a drift in the machine's load falls on both.
  for (const build of rep % 2 ? builds : [...builds].reverse()) {
    times.views[build].push(await views(build));
    times.step[build].push(await step(build));
    console.log(
      `[${rep}] ${build}: views ${times.views[build].at(-1)} ms, step ${times.step[build].at(-1)} ms`,
    );
  }
}
const version = await (async () => {
  const browser = await launch();
  const v = browser.version();
  await browser.close();
  return v;
})();
await host.stop();

const size = (pattern: RegExp) => {
  const name = readdirSync('dist/_astro').find((file) => pattern.test(file))!;
  return megabytes(statSync(join('dist/_astro', name)).size);
};
const cell = (xs: number[]) =>
  `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
const ratios = (what: 'views' | 'step') =>
  times[what].asyncify.map((a, i) => (a / times[what].plain[i]!).toFixed(2)).join(', ');
const section = `<!-- engines: written by npm run bench:engines -->
### One engine or two

Measured by \`npm run bench:engines\` on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Chromium ${version}.
The built site in headless Chromium, cross-origin isolated (2 threads), each measurement in a fresh
browser; median (range) of ${reps} paired repetitions, the builds taking turns to go first.

| onnxruntime-web build on WASM | download | model views: all 12,769 inputs, ms | paper's training step, ms |
| --- | ---: | ---: | ---: |
| plain SIMD-threaded (the model views on WASM) | ${size(/^ort-wasm-simd-threaded-[^.]+\.wasm$/)} | ${cell(times.views.plain)} | ${cell(times.step.plain)} |
| WebGPU build's asyncify WASM (the lab, on both backends) | ${size(/^ort-wasm-simd-threaded\.asyncify-[^.]+\.wasm$/)} | ${cell(times.views.asyncify)} | ${cell(times.step.asyncify)} |

Asyncify against plain, per repetition: views ${ratios('views')}; training step ${ratios('step')}.
Each build is the faster one for its job: one engine for the whole course would cost the model
views their speed (all of it on the WebGPU build) or the lab its training speed and WebGPU (all of
it on the plain build). A training run takes minutes and the download is once, so the course keeps
both, and shows each download's progress in megabytes. In Node the two builds train at the same
speed (the build table above), which is why the comparison is made in Chromium.
<!-- /engines -->`;
const file = readFileSync('BENCHMARKS.md', 'utf8');
const marked = /<!-- engines[^]*?<!-- \/engines -->/;
writeFileSync(
  'BENCHMARKS.md',
  marked.test(file)
    ? file.replace(marked, section)
    : file.replace('<!-- grade-page', `${section}\n\n<!-- grade-page`),
);
console.log('\nwrote the engines section of BENCHMARKS.md');
