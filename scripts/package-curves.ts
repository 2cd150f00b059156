// Packages a training run's learning curves for the lessons to plot: the run's history without its
// per-frequency norms, and a manifest with its settings, the command that reproduces it and each
// file's SHA-256. With --with-model, also the final weights and the training split (for a small
// model a lesson works through).
//   node scripts/package-curves.ts RUN_DIR OUT_DIR --name NAME --reproduce "npm run train -- …"
//     [--with-model]
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryRow } from '../lib/train/metrics.ts';

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
const history = run.history.map((row) => {
  const kept = { ...row };
  delete kept.embedding_norms;
  delete kept.W_L_norms;
  return kept;
});
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
      (rest.includes('--with-model') ? ' --with-model' : ''),
  ],
  sha256: hashes,
};
writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`Wrote ${history.length} rows to ${outDir}/history.json and its manifest.`);
