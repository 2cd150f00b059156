// Measures the shipped division model in the basis of discrete-log exponents (lesson 8, issue 23)
// and writes models/division/spectrum.json, which the lesson draws.
//   node scripts/division-spectrum.ts [MODEL_DIR]   (default models/division)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { divisionSpectrum } from '../lib/modarith/division-spectrum.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';

const dir = process.argv[2] ?? 'models/division';
const model = loadModel(new Uint8Array(readFileSync(join(dir, 'model.safetensors'))));
const spectrum = divisionSpectrum(model.params, model.config);
writeFileSync(join(dir, 'spectrum.json'), `${JSON.stringify(spectrum, null, 2)}\n`);
console.log(
  `g = ${spectrum.generator}; key frequencies ${spectrum.keyFreqs.join(', ')}; Gini ${spectrum.giniExponent.toFixed(3)} by exponent, ${spectrum.giniToken.toFixed(3)} by token.`,
);
