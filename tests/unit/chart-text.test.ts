// The words and tables behind the charts: they must say what the picture shows.
import { describe, expect, it } from 'vitest';
import {
  describeSeries,
  evenlySpread,
  largestBars,
  largestCells,
  spoken,
} from '../../lib/chart-text.ts';

describe('spoken numbers', () => {
  it('writes small, large and odd values without NaN or an e', () => {
    expect(spoken(0.0152)).toBe('0.0152');
    expect(spoken(-4.5)).toBe('−4.5');
    expect(spoken(3.28e-5)).toBe('3.28 × 10^−5');
    expect(spoken(1.5e7)).toBe('1.50 × 10^7');
    expect(spoken(Number.NaN)).toBe('not a number');
    expect(spoken(-Infinity)).toBe('minus infinity');
  });
});

describe('a curve in words', () => {
  it('names the start, the end and an extreme in between, skipping gaps', () => {
    const text = describeSeries('test loss', [0, 100, 200, 300], [null, 4.7, 9.1, 1e-6]);
    expect(text).toBe(
      'test loss: 4.7 at epoch 100, 1.00 × 10^−6 at epoch 300 (highest 9.1 at epoch 200)',
    );
  });
  it('says when there is nothing to say', () => {
    expect(describeSeries('loss', [0, 1], [null, Number.NaN])).toBe('loss: no values yet');
    expect(describeSeries('loss', [5], [2])).toBe('loss: 2 at epoch 5');
  });
});

describe('rows of a long table', () => {
  it('keeps the first and the last, at most the number asked, in order', () => {
    for (const [count, most] of [
      [1500, 60],
      [61, 60],
      [7, 6],
      [3, 6],
    ] as const) {
      const rows = evenlySpread(count, most);
      expect(rows[0]).toBe(0);
      expect(rows.at(-1)).toBe(count - 1);
      expect(rows.length).toBe(Math.min(count, most));
      expect(rows.every((r, i) => i === 0 || r > rows[i - 1]!)).toBe(true);
    }
    expect(evenlySpread(0, 6)).toEqual([]);
  });
});

describe('the cells and bars that stand out', () => {
  it('finds the largest magnitudes of a grid, as a brute-force scan does', () => {
    const rows = 9;
    const cols = 7;
    const values = Array.from(
      { length: rows * cols },
      (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1,
    );
    values[10] = Number.NaN;
    const found = largestCells(values, rows, cols, 5);
    const brute = values
      .map((value, i) => ({ r: Math.floor(i / cols), c: i % cols, value }))
      .filter((cell) => !Number.isNaN(cell.value))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
      .slice(0, 5);
    expect(found).toEqual(brute);
    expect(found.every((cell) => values[cell.r * cols + cell.c] === cell.value)).toBe(true);
  });
  it('ranks a spectrum from frequency 1, largest first', () => {
    expect(largestBars([0.1, 5, Number.NaN, 2, 5], 3)).toEqual([
      { k: 2, value: 5 },
      { k: 5, value: 5 },
      { k: 4, value: 2 },
    ]);
  });
});
