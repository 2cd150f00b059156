// A neuron's close-up (lesson 6): the frequency block {const, cos k, sin k}² and its share of the
// neuron's components, against shares worked out in closed form, and against the census.
import { describe, expect, it } from 'vitest';
import { textColourOn } from '../../components/model/colormap.ts';
import { fourierBasis, gridSpectrum, strongestBlock } from '../../lib/modarith/fourier.ts';

/** A grid over (a, b) from a function, row-major, a down. */
function grid(p: number, f: (a: number, b: number) => number): Float64Array {
  return Float64Array.from({ length: p * p }, (_, i) => f(Math.floor(i / p), i % p));
}

describe('strongestBlock', () => {
  const p = 13;
  const w = (k: number) => (2 * Math.PI * k) / p;

  it('finds the frequency and its share, the mean left out', () => {
    // Mean 2, a term in a alone at k = 3, a product at k = 3, a term at k = 5: over the p² grid
    // these carry p²/2, p²/16 (0.5² · p²/4) and 0.09 · p²/2 of the squared components.
    const acts = grid(
      p,
      (a, b) =>
        2 +
        Math.cos(w(3) * a) +
        0.5 * Math.cos(w(3) * a) * Math.cos(w(3) * b) +
        0.3 * Math.cos(w(5) * a),
    );
    const { magnitudes } = gridSpectrum(fourierBasis(p), acts, p);
    const block = strongestBlock(magnitudes, p);
    expect(block.k).toBe(3);
    expect(block.basis).toEqual([0, 5, 6]);
    expect(block.share).toBeCloseTo((0.5 + 1 / 16) / (0.5 + 1 / 16 + 0.045), 12);
    // The cells: the mean (2 · p in the orthonormal basis), cos 3 in a alone, the product.
    expect(block.values[0]).toBeCloseTo(2 * p, 10);
    expect(block.values[3]).toBeCloseTo(Math.sqrt((p * p) / 2), 10);
    expect(block.values[4]).toBeCloseTo((0.5 * p) / 2, 10);
    for (const index of [1, 2, 5, 6, 7, 8]) expect(block.values[index]).toBeCloseTo(0, 10);
  });

  it('gives a flat grid no share at all, and noise a small one', () => {
    expect(
      strongestBlock(
        gridSpectrum(
          fourierBasis(p),
          grid(p, () => 4),
          p,
        ).magnitudes,
        p,
      ).share,
    ).toBe(0);
    let seed = 1;
    const noise = grid(p, () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    const share = strongestBlock(gridSpectrum(fourierBasis(p), noise, p).magnitudes, p).share;
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(0.5);
  });
});

describe('textColourOn', () => {
  it('writes white on the dark end of the scale and black on the bright end', () => {
    expect(textColourOn(0)).toBe('#fff');
    expect(textColourOn(1)).toBe('#000');
  });
});
