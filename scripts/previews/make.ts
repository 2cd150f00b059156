// The pictures the model views show before the model has run, drawn from the shipped weights with
// the TypeScript reference (float64) and the views' own colour scale and computations.
import { readFileSync } from 'node:fs';
import { gridColours } from '../../components/model/colormap.ts';
import { ablateFrequencies } from '../../lib/modarith/ablation.ts';
import { makeDataset } from '../../lib/modarith/data.ts';
import { fourierBasis, gridSpectrum, spectrumForDisplay } from '../../lib/modarith/fourier.ts';
import { allInputs, forward } from '../../lib/modarith/forward.ts';
import { fitCosines, fittedLogits } from '../../lib/modarith/logit-fit.ts';
import { lossAndAccuracy } from '../../lib/modarith/measures.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import { encodePng } from '../png.ts';

/** Grids side by side, `gap` transparent pixels apart, as one RGBA image. */
function sideBySide(grids: Float64Array[], size: number, gap = 6) {
  const width = grids.length * size + (grids.length - 1) * gap;
  const rgba = new Uint8ClampedArray(width * size * 4);
  grids.forEach((grid, g) => {
    const colours = gridColours(grid, size * size);
    for (let y = 0; y < size; y++) {
      rgba.set(
        colours.subarray(y * size * 4, (y + 1) * size * 4),
        (y * width + g * (size + gap)) * 4,
      );
    }
  });
  return encodePng(rgba, width, size);
}

/** A line (the fit) and dots (the logits) over c, as an SVG like the logit view's chart. */
function logitChart(actual: number[], predicted: number[], answer: number): string {
  const [W, H] = [560, 200];
  const max = Math.max(...actual.map(Math.abs), ...predicted.map(Math.abs));
  const x = (c: number) => ((c / (actual.length - 1)) * W).toFixed(1);
  const y = (v: number) => (H / 2 - (v / max) * (H / 2 - 6)).toFixed(1);
  const line = predicted.map((v, c) => `${x(c)},${y(v)}`).join(' ');
  const dots = actual.map((v, c) => `<circle cx="${x(c)}" cy="${y(v)}" r="2"/>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}">`,
    `<line x1="0" x2="${W}" y1="${H / 2}" y2="${H / 2}" stroke="#999"/>`,
    `<polyline points="${line}" fill="none" stroke="#2f4fc9" stroke-width="2"/>`,
    `<g fill="#555">${dots}</g>`,
    `<circle cx="${x(answer)}" cy="${y(actual[answer]!)}" r="5" fill="none" stroke="#b42318" stroke-width="2"/>`,
    '</svg>\n',
  ].join('');
}

/** Accuracy bars for the ablation view's three cases, as an SVG. */
function ablationChart(rows: { label: string; accuracy: number }[]): string {
  const bar = (r: { label: string; accuracy: number }, i: number) =>
    `<text x="0" y="${i * 34 + 14}" font-size="13" fill="#555">${r.label}: ${(100 * r.accuracy).toFixed(1)}%</text>` +
    `<rect x="0" y="${i * 34 + 19}" width="${(400 * r.accuracy).toFixed(1)}" height="9" fill="#2f4fc9"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 ${rows.length * 34}" font-family="sans-serif">${rows.map(bar).join('')}</svg>\n`;
}

/** Every preview file, by name. */
export function makePreviews(dir = 'models/paper'): Record<string, Buffer | string> {
  const { params, config } = loadModel(new Uint8Array(readFileSync(`${dir}/model.safetensors`)));
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as {
    metrics: { key_freqs: number[] };
  };
  const keyFreqs = manifest.metrics.key_freqs;
  const { p, n_heads: H, d_mlp: M } = config;
  const { logits, hooks } = forward(params, config, allInputs(p), 'float64');
  const attention = Array.from({ length: H }, (_, h) =>
    Float64Array.from({ length: p * p }, (_, i) => hooks.attn_pattern[(i * H + h) * 3]!),
  );
  const neuron = Float64Array.from({ length: p * p }, (_, i) => hooks.mlp_post[i * M]!);
  const spectrum = spectrumForDisplay(gridSpectrum(fourierBasis(p), neuron, p).magnitudes).shown;
  const [a, b] = [25, 100];
  const row = Array.from(logits.subarray((a * p + b) * p, (a * p + b + 1) * p));
  const mean = row.reduce((s, v) => s + v, 0) / p;
  const fit = fitCosines(logits, p);
  const data = makeDataset('add', p);
  const accuracy = (keep: boolean[], keepOthers: boolean) =>
    lossAndAccuracy(
      ablateFrequencies(logits, p, { freqs: keyFreqs, keep, keepOthers }),
      p,
      data.labels,
      data.indices,
    ).accuracy;
  const all = keyFreqs.map(() => true);
  const none = keyFreqs.map(() => false);
  return {
    'attention.png': sideBySide(attention, p),
    'neuron.png': sideBySide([neuron, spectrum], p),
    'logits.svg': logitChart(
      row.map((v) => v - mean),
      Array.from(fittedLogits(fit, keyFreqs, a, b)),
      (a + b) % p,
    ),
    'ablation.svg': ablationChart([
      { label: 'every frequency', accuracy: accuracy(all, true) },
      { label: `only the key frequencies ${keyFreqs.join(', ')}`, accuracy: accuracy(all, false) },
      { label: 'all but the key frequencies', accuracy: accuracy(none, true) },
    ]),
  };
}
