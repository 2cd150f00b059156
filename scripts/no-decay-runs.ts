// The lab's "No weight decay" preset, run as the lab runs it (Quick grok with λ = 0, for the
// preset's epochs) on seeds 0, 1 and 2 with onnxruntime-node, evaluated every 25 epochs: when it
// memorised, its test accuracy and loss then, the best test accuracy and lowest test loss after,
// and both at the end. Writes models/no-decay-runs.json, which lesson 8 quotes, and prints it.
//   node scripts/no-decay-runs.ts
import { writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { labPresets } from '../lib/train/presets.ts';
import { Trainer } from '../lib/train/trainer.ts';

const every = 25;
const { settings, epochs } = labPresets.noWeightDecay;
const runs = [];
for (const seed of [0, 1, 2]) {
  const trainer = await Trainer.create(ort, { ...settings, seed });
  const rows: {
    epoch: number;
    train_accuracy: number;
    test_accuracy: number;
    test_loss: number;
  }[] = [];
  while (trainer.epoch < epochs) {
    await trainer.stepOnce();
    if (trainer.epoch % every !== 0) continue;
    const { epoch, train_accuracy, test_accuracy, test_loss } = await trainer.evaluate();
    rows.push({ epoch, train_accuracy, test_accuracy, test_loss });
  }
  await trainer.release();
  const memorised = rows.find((r) => r.train_accuracy >= 0.99);
  const after = rows.filter((r) => memorised && r.epoch >= memorised.epoch);
  const last = rows.at(-1)!;
  runs.push({
    seed,
    memorised: memorised?.epoch ?? null,
    atMemorised: memorised
      ? { testAccuracy: memorised.test_accuracy, testLoss: memorised.test_loss }
      : null,
    bestTestAccuracy: Math.max(...after.map((r) => r.test_accuracy)),
    lowestTestLoss: Math.min(...after.map((r) => r.test_loss)),
    final: { epoch: last.epoch, testAccuracy: last.test_accuracy, testLoss: last.test_loss },
  });
  console.error(JSON.stringify(runs.at(-1)));
}
const file = { settings, epochs, every, runs };
writeFileSync('models/no-decay-runs.json', JSON.stringify(file, null, 1) + '\n');
