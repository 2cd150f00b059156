// The weight editor's draft: text kept as typed, resized without losing work, converted exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  draftFromWeights,
  draftToJson,
  emptyDraft,
  resizeDraft,
  restoreDraft,
  rnnCell,
} from '../../lib/rnn/draft.ts';
import { parseWeights } from '../../lib/rnn/validate.ts';

const solution = parseWeights(
  JSON.parse(readFileSync('tests/fixtures/rnn/step-solution.json', 'utf8')),
);
if (!solution.ok) throw new Error('fixture step-solution.json is invalid');

describe('draft', () => {
  it('round-trips weights through the editor unchanged', () => {
    const json = draftToJson(draftFromWeights(solution.weights));
    expect(parseWeights(json)).toEqual(solution);
  });

  it('keeps entries that are not numbers as text, so the validator can name them', () => {
    const draft = draftFromWeights(solution.weights);
    draft.params.W_hh[2]![1] = '-0.';
    draft.params.b_h[0]![0] = '';
    draft.params.b_y[0]![0] = 'abc';
    const json = draftToJson(draft);
    expect((json['W_hh'] as unknown[][])[2]![1]).toBe(-0);
    const parsed = parseWeights(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toEqual([
        'b_h[0] must be a finite number, got the text "".',
        'b_y[0] must be a finite number, got the text "abc".',
      ]);
    }
  });

  it('resizes: keeps what fits, fills new entries with 0, drops the rest', () => {
    const big = resizeDraft(draftFromWeights(solution.weights), 4);
    expect(big.params.W_hh).toEqual([
      ['0', '1', '0', '0'],
      ['0', '1', '0', '0'],
      ['0', '1', '0', '0'],
      ['0', '0', '0', '0'],
    ]);
    expect(big.params.W_hy).toEqual([['1', '-1', '1', '0']]);
    const small = resizeDraft(big, 2);
    expect(small.params.b_h).toEqual([['-0.5'], ['-1.5']]);
    expect(parseWeights(draftToJson(small)).ok).toBe(true);
  });

  it('restores a saved draft and refuses anything else', () => {
    const draft = emptyDraft(2);
    draft.params.W_xh[1]![0] = '1e';
    expect(restoreDraft(JSON.stringify(draft))).toEqual(draft);
    expect(restoreDraft(null)).toBeUndefined();
    expect(restoreDraft('{not json')).toBeUndefined();
    expect(restoreDraft(JSON.stringify({ ...draft, hidden_size: 3 }))).toBeUndefined();
    expect(restoreDraft(JSON.stringify({ ...draft, activation: 'gelu' }))).toBeUndefined();
  });
});

describe('a weight cell', () => {
  it('takes decimal numbers and formulas in i and k, and "0x10" is neither', () => {
    for (const [text, value] of [
      ['3', 3],
      [' -0.5 ', -0.5],
      ['.25', 0.25],
      ['1e-3', 0.001],
      ['+2.', 2],
      ['2*i + k', 2 * 1 + 2],
      ['-2^2', -4],
    ] as const) {
      expect(rnnCell('W_hh', 1, 2, text), text).toEqual({ ok: true, value });
    }
    for (const text of ['0x10', '0b11', 'Infinity', '1_000', '', ' ', '1,5', 'NaN']) {
      expect(rnnCell('W_hh', 1, 2, text).ok, text).toBe(false);
    }
    expect(rnnCell('W_hh', 1, 2, '0x10')).toEqual({
      ok: false,
      message:
        'W_hh[1][2]: "0x10" is not a number, and as a formula an operator (+ - * / ^) is missing before "x10" (at character 2).',
    });
    const draft = emptyDraft(2);
    draft.params.b_y[0]![0] = '0x10';
    const parsed = parseWeights(draftToJson(draft));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.errors.join(' ')).toContain(
        'b_y[0] must be a finite number, got the text "0x10"',
      );
  });
});
