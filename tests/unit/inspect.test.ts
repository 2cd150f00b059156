// The weight inspector's readings against independent float64 re-derivations on the shipped model.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fourierReading, normShare, sliceValues } from '../../lib/modarith/inspect.ts';
import { fourier1d, fourierBasis, frequencyNorms } from '../../lib/modarith/fourier.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';

const { params, config } = loadModel(
  new Uint8Array(readFileSync('models/paper/model.safetensors')),
);
const { p, d_model: d, d_mlp: M } = config;
const F = fourierBasis(p);
const WE = params['embed.W_E'].data;

describe('the weight inspector', () => {
  it('slices along any axis, every other fixed', () => {
    const column = sliceValues(params, config, { name: 'blocks.0.mlp.W_in', along: 0, at: [0, 7] });
    expect([...column]).toEqual(
      Array.from({ length: d }, (_, i) => params['blocks.0.mlp.W_in'].data[i * M + 7]),
    );
    const q = sliceValues(params, config, { name: 'blocks.0.attn.W_Q', along: 1, at: [2, 0, 5] });
    const E = config.d_head;
    expect([...q]).toEqual(
      Array.from({ length: d }, (_, i) => params['blocks.0.attn.W_Q'].data[(2 * d + i) * E + 5]),
    );
    expect(() =>
      sliceValues(params, config, { name: 'embed.W_E', along: 1, at: [p + 1, 0] }),
    ).toThrow(`The token index must be a whole number from 0 to ${p}.`);
    const all = sliceValues(params, config, { name: 'blocks.0.mlp.b_in', along: 0, at: [0] });
    expect(normShare(params, all, 'blocks.0.mlp.b_in')).toBeCloseTo(1, 12);
  });

  it('reads a column of W_E over tokens as lib/modarith’s Fourier transform does', () => {
    const column = Float64Array.from({ length: p }, (_, x) => WE[x * d + 3]!);
    const expected = frequencyNorms(fourier1d(F, column, p, 1), p, 1);
    const reading = fourierReading(params, config, { name: 'embed.W_E', along: 0, at: [0, 3] })!;
    reading.norms.forEach((n, k) => expect(n).toBeCloseTo(expected[k]!, 10));
    expect(reading.cosSin![6]![0]).toBeCloseTo(fourier1d(F, column, p, 1)[13]!, 10);
  });

  it('splits a row of W_E into parts by frequency that add back up to the row', () => {
    const a = 5;
    const C = fourier1d(F, Float64Array.from(WE.subarray(0, p * d)), p, d); // F W_E, [p, d]
    const reading = fourierReading(params, config, { name: 'embed.W_E', along: 1, at: [a, 0] })!;
    const row = Array.from({ length: d }, (_, i) => WE[a * d + i]!);
    // Σ over basis rows of F[r, a] C[r] is the row itself, F being orthonormal.
    const rebuilt = row.map((_, i) => {
      let s = 0;
      for (let r = 0; r < p; r++) s += F[r * p + a]! * C[r * d + i]!;
      return s;
    });
    rebuilt.forEach((x, i) => expect(x).toBeCloseTo(row[i]!, 5));
    for (const k of [1, 7, 30]) {
      const part = row.map(
        (_, i) =>
          F[(2 * k - 1) * p + a]! * C[(2 * k - 1) * d + i]! + F[2 * k * p + a]! * C[2 * k * d + i]!,
      );
      expect(reading.norms[k - 1]).toBeCloseTo(Math.hypot(...part), 10);
    }
  });

  it('reads a neuron’s input weights through the embedding, and nothing over neurons', () => {
    const v = Array.from({ length: d }, (_, i) => params['blocks.0.mlp.W_in'].data[i * M + 7]!);
    const reading = fourierReading(params, config, {
      name: 'blocks.0.mlp.W_in',
      along: 0,
      at: [0, 7],
    })!;
    const perToken = Float64Array.from({ length: p }, (_, x) =>
      v.reduce((s, w, i) => s + w * WE[x * d + i]!, 0),
    );
    const expected = frequencyNorms(fourier1d(F, perToken, p, 1), p, 1);
    reading.norms.forEach((n, k) => expect(n).toBeCloseTo(expected[k]!, 8));
    expect(
      fourierReading(params, config, { name: 'blocks.0.mlp.b_in', along: 0, at: [0] }),
    ).toBeUndefined();
    expect(
      fourierReading(params, config, { name: 'embed.W_E', along: 1, at: [p, 0] }),
    ).toBeUndefined();
  });
});
