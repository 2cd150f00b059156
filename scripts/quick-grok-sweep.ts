// The sweep behind the Quick grok preset: for each learning rate, training fraction and seed, how
// many epochs the small model needs to reach 99% test accuracy (checked every 25 epochs), with
// onnxruntime-node. `npm run bench` puts its table into BENCHMARKS.md; run alone, it prints it.
//   node scripts/quick-grok-sweep.ts
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import { presets } from '../lib/train/presets.ts';
import { Trainer } from '../lib/train/trainer.ts';

const limit = 2000;

/** The sweep as a Markdown table: memorised / generalised epoch per seed. */
export async function quickGrokSweep(): Promise<string> {
  const rows: string[] = [];
  for (const fraction of [0.5, 0.6]) {
    for (const lr of [3e-3, 5e-3, 1e-2]) {
      const results: string[] = [];
      for (const seed of [0, 1, 2]) {
        const trainer = await Trainer.create(ort, { ...presets.quickGrok, fraction, lr, seed });
        let memorised: number | undefined;
        let generalised: number | undefined;
        while (trainer.epoch < limit) {
          await trainer.stepOnce();
          if (trainer.epoch % 25 !== 0) continue;
          const e = await trainer.evaluate();
          if (memorised === undefined && e.train_accuracy >= 0.99) memorised = trainer.epoch;
          if (e.test_accuracy >= 0.99) {
            generalised = trainer.epoch;
            break;
          }
        }
        await trainer.release();
        results.push(`${memorised ?? '–'} / ${generalised ?? `> ${limit}`}`);
      }
      rows.push(`| ${fraction} | ${lr} | ${results.join(' | ')} |`);
      console.error(rows.at(-1));
    }
  }
  return [
    '| fraction | lr | seed 0 | seed 1 | seed 2 |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) console.log(await quickGrokSweep());
