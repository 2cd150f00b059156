// Packages a training run's learning curves for the lessons to plot: the run's history without its
// per-frequency norms, and a manifest with its settings, the command that reproduces it and each
// file's SHA-256. With --with-model, also the final weights and the training split (for a small
// model a lesson works through). With --final-key-freqs, the restricted and excluded losses of
// every row are measured again from the run's checkpoints with its final model's key frequencies,
// as the paper measures them (§5.1).
//   node scripts/package-curves.ts RUN_DIR OUT_DIR --name NAME --reproduce "npm run train -- …"
//     [--with-model] [--final-key-freqs]
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../lib/modarith/analyze.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';
import type { HistoryRow } from '../lib/train/metrics.ts';
import { checkpointPath, measureCheckpoints } from './run-measures.ts';

const [runDir, outDir, ...rest] = process.argv.slice(2);
const option = (name: string) => {
  const at = rest.indexOf(name);
  return at >= 0 ? rest[at + 1] : undefined;
};
const name = option('--name');
const reproduce = option('--reproduce');
if (!runDir || !outDir || !name || !reproduce) {
  console.error(
    'usage: node scripts/package-curves.ts RUN_DIR OUT_DIR --name NAME --reproduce CMD',
  );
  process.exit(2);
}
const run = JSON.parse(readFileSync(join(runDir, 'history.json'), 'utf8')) as {
  settings: unknown;
  history: (HistoryRow & { embedding_norms?: unknown; W_L_norms?: unknown })[];
};
let history = run.history.map((row) => {
  const kept = { ...row };
  delete kept.embedding_norms;
  delete kept.W_L_norms;
  return kept;
});
if (rest.includes('--final-key-freqs')) {
  const final = history.at(-1)!.epoch;
  const train = JSON.parse(readFileSync(join(runDir, 'split.json'), 'utf8')) as number[];
  const model = loadModel(new Uint8Array(readFileSync(checkpointPath(runDir, final))));
  const { key_freqs: keyFreqs, op } = analyze(model, { train });
  const measured = new Map(
    (
      await measureCheckpoints(
        runDir,
        { config: model.config, op, train, keyFreqs },
        history.map((row) => row.epoch),
        final,
      )
    ).map((m) => [m.epoch, m]),
  );
  history = history.map((row) => {
    const m = measured.get(row.epoch);
    if (!m) throw new Error(`No checkpoint at epoch ${row.epoch} to measure it with.`);
    return {
      ...row,
      key_freqs: keyFreqs,
      restricted_loss: m.restricted_loss,
      excluded_loss: m.excluded_loss,
    };
  });
}
const text = JSON.stringify({ settings: run.settings, history }) + '\n';
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'history.json'), text);
const sha = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const hashes: Record<string, string> = { 'history.json': sha(text) };
if (rest.includes('--with-model')) {
  for (const file of ['model.safetensors', 'split.json']) {
    const bytes = readFileSync(join(runDir, file));
    writeFileSync(join(outDir, file), bytes);
    hashes[file] = sha(bytes);
  }
}
const manifest = {
  name,
  settings: run.settings,
  epochs: history.at(-1)?.epoch ?? 0,
  reproduce: [
    reproduce,
    `node scripts/package-curves.ts ${runDir} ${outDir} --name "${name}" --reproduce "${reproduce}"` +
      (rest.includes('--with-model') ? ' --with-model' : '') +
      (rest.includes('--final-key-freqs') ? ' --final-key-freqs' : ''),
  ],
  sha256: hashes,
};
writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`Wrote ${history.length} rows to ${outDir}/history.json and its manifest.`);
