// Division through the discrete logarithm (lib/modarith/discrete-log.ts): the generator and the
// reordering re-derived by brute force, the spectrum against a naive complex DFT in float64, and
// the shipped division model sparse by exponent but not by token.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modInverse } from '../../lib/modarith/data.ts';
import {
  cyclicBasis,
  exponentKeyFrequencies,
  exponentOrder,
  orderedFrequencyNorms,
  primitiveRoot,
  tokenOrder,
} from '../../lib/modarith/discrete-log.ts';
import { divisionSpectrum, type DivisionSpectrum } from '../../lib/modarith/division-spectrum.ts';
import { loadModel } from '../../lib/modarith/safetensors.ts';
import { relativeError } from './allclose.ts';

const p = 97;
const model = loadModel(new Uint8Array(readFileSync('models/division/model.safetensors')));
const committed = JSON.parse(
  readFileSync('models/division/spectrum.json', 'utf8'),
) as DivisionSpectrum;

/** The multiplicative order of g mod p, by repeated multiplication. */
function order(g: number): number {
  let x = g;
  let n = 1;
  while (x !== 1) [x, n] = [(x * g) % p, n + 1];
  return n;
}

/** Norms per frequency by a naive complex DFT: |Σₓ X[x] e^{−2πikx/n}|², scaled to the basis. */
function naiveNorms(X: number[][], n: number): number[] {
  return Array.from({ length: Math.floor(n / 2) }, (_, i) => {
    const k = i + 1;
    let energy = 0;
    for (let d = 0; d < X[0]!.length; d++) {
      let re = 0;
      let im = 0;
      for (let x = 0; x < n; x++) {
        re += X[x]![d]! * Math.cos((2 * Math.PI * k * x) / n);
        im -= X[x]![d]! * Math.sin((2 * Math.PI * k * x) / n);
      }
      energy += re * re + im * im;
    }
    // An orthonormal cos/sin pair holds 2/n of |DFT_k|²; the lone row at k = n/2 holds 1/n.
    return Math.sqrt(((2 * k === n ? 1 : 2) / n) * energy);
  });
}

describe('the discrete logarithm mod p', () => {
  it('finds the smallest generator, the first g of order p − 1', () => {
    const smallest = Array.from({ length: p - 2 }, (_, i) => i + 2).find((g) => order(g) === p - 1);
    expect(primitiveRoot(p)).toBe(smallest);
    expect(primitiveRoot(p)).toBe(5);
    expect(primitiveRoot(7)).toBe(3);
    expect(() => primitiveRoot(91)).toThrow(/prime/);
    expect(() => exponentOrder(p, 4)).toThrow(/does not generate/);
  });

  it('turns division into subtraction of exponents mod p − 1', () => {
    const tokens = exponentOrder(p, 5);
    const log = new Map([...tokens].map((t, i) => [t, i]));
    expect(log.size).toBe(p - 1);
    for (let a = 1; a < p; a++) {
      for (let b = 1; b < p; b++) {
        const quotient = (a * modInverse(b, p)) % p;
        expect(log.get(quotient)).toBe((log.get(a)! - log.get(b)! + p - 1) % (p - 1));
      }
    }
  });

  it('builds an orthonormal basis over Z/n for even and odd n', () => {
    for (const n of [96, 7]) {
      const F = cyclicBasis(n);
      for (let r = 0; r < n; r++) {
        for (let s = 0; s < n; s++) {
          let dot = 0;
          for (let x = 0; x < n; x++) dot += F[r * n + x]! * F[s * n + x]!;
          expect(Math.abs(dot - (r === s ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    }
  });
});

describe('the division model in the basis of exponents', () => {
  const D = model.config.d_model;
  const WE = model.params['embed.W_E'].data;
  const rows = (tokens: Int32Array) =>
    [...tokens].map((t) => Array.from(WE.subarray(t * D, (t + 1) * D), Number));

  it('matches a naive float64 DFT, by exponent and by token', () => {
    for (const tokens of [exponentOrder(p, 5), tokenOrder(p)]) {
      const norms = orderedFrequencyNorms(WE, D, tokens);
      expect(relativeError(norms, naiveNorms(rows(tokens), p - 1))).toBeLessThan(1e-12);
    }
  });

  it('is sparse by exponent and not by token', () => {
    const share = (norms: number[], top: number) => {
      const energy = norms.map((x) => x * x).sort((x, y) => y - x);
      return energy.slice(0, top).reduce((s, e) => s + e) / energy.reduce((s, e) => s + e);
    };
    const n = committed.keyFreqs.length;
    expect(share(committed.exponentNorms, n)).toBeGreaterThan(0.8);
    expect(share(committed.tokenNorms, n)).toBeLessThan(0.3);
    expect(committed.giniExponent).toBeGreaterThan(0.5);
    expect(committed.giniToken).toBeLessThan(0.2);
    // The key frequencies, found from the neurons, are the embedding's largest norms by exponent.
    const largest = committed.exponentNorms
      .map((x, i) => [x, i + 1] as const)
      .sort((x, y) => y[0] - x[0])
      .slice(0, n)
      .map(([, k]) => k);
    expect(largest.sort((x, y) => x - y)).toEqual(committed.keyFreqs);
  });

  it('is what models/division/spectrum.json holds', () => {
    const fresh = divisionSpectrum(model.params, model.config);
    expect(fresh.generator).toBe(committed.generator);
    expect(fresh.keyFreqs).toEqual(committed.keyFreqs);
    expect(relativeError(fresh.exponentNorms, committed.exponentNorms)).toBeLessThan(1e-12);
    expect(relativeError(fresh.tokenNorms, committed.tokenNorms)).toBeLessThan(1e-12);
  });
});

describe('key frequencies over the exponents', () => {
  it('finds the frequencies of neurons that are functions of i − j', () => {
    const n = p - 1;
    const dMlp = 40;
    const tokens = exponentOrder(p, 5);
    // Neurons 0–11 at k = 7, 12–23 at k = 30, 24–39 at a new k each (below the threshold of 3).
    const freqOf = (m: number) => (m < 12 ? 7 : m < 24 ? 30 : m - 20);
    const mlpPost = new Float64Array(p * p * dMlp).map((_, r) => ((r * 7919) % 13) / 13);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        for (let m = 0; m < dMlp; m++) {
          const angle = (2 * Math.PI * freqOf(m) * (i - j)) / n + m;
          mlpPost[(tokens[i]! * p + tokens[j]!) * dMlp + m] = 1 + Math.cos(angle);
        }
      }
    }
    const { keyFreqs, neuronFreq } = exponentKeyFrequencies(mlpPost, p, dMlp, 5);
    expect(keyFreqs).toEqual([7, 30]);
    expect([...neuronFreq]).toEqual(Array.from({ length: dMlp }, (_, m) => freqOf(m)));
  });
});
