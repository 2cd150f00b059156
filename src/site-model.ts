// What the lessons show of the shipped model at build time, read from its committed artifacts
// (models/paper), so that no number about it is typed into prose.
import { readFileSync } from 'node:fs';
import { embeddingFrequencyNorms } from '../lib/modarith/measures.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';

const dir = 'models/paper';
const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as {
  metrics: { key_freqs: number[] };
};
const model = loadModel(new Uint8Array(readFileSync(`${dir}/model.safetensors`)));

/** The shipped model's embedding spectrum and key frequencies. */
export const siteModel = {
  p: model.config.p,
  keyFreqs: manifest.metrics.key_freqs,
  /** Norms of W_E's Fourier components, frequencies 1…(p−1)/2 */
  embeddingNorms: Array.from(embeddingFrequencyNorms(model.params, model.config.p)),
};
