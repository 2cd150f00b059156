// One onnxruntime-web build timing (or profiling) the training step in Node, for `npm run bench`
// (scripts/bench/profile.ts): a process loads one build only.
//   node scripts/bench/web-step.ts paper|quickGrok plain|asyncify THREADS STEPS [--profile]
// Prints `RESULT {"ms": …}` (`timeSteps`: the median ms per step after 3 warm-up steps); with --profile,
// onnxruntime-web prints its profile of those steps to standard output first.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';
import { presets } from '../../lib/train/presets.ts';
import { Trainer, type OrtModule } from '../../lib/train/trainer.ts';
import { timeSteps } from './time-steps.ts';

const [preset, build, threads, steps] = process.argv.slice(2);
const profile = process.argv.includes('--profile');
if ((preset !== 'paper' && preset !== 'quickGrok') || (build !== 'plain' && build !== 'asyncify')) {
  console.error(
    'usage: node scripts/bench/web-step.ts paper|quickGrok plain|asyncify THREADS STEPS',
  );
  process.exit(2);
}
const dist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
const file = `ort-wasm-simd-threaded${build === 'asyncify' ? '.asyncify' : ''}`;
ort.env.wasm.wasmPaths = {
  wasm: pathToFileURL(join(dist, `${file}.wasm`)).href,
  mjs: pathToFileURL(join(dist, `${file}.mjs`)).href,
};
ort.env.wasm.numThreads = Number(threads);

const trainer = await Trainer.create(ort as unknown as OrtModule, presets[preset], {
  executionProviders: ['wasm'],
  ...(profile ? { profile: { filePrefix: 'step' } } : {}),
});
const ms = await timeSteps(trainer, Number(steps));
if (profile) trainer.endProfiling();
console.log(`RESULT ${JSON.stringify({ ms })}`);
process.exit(0);
