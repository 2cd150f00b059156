// Links to a view: every widget's parameters read back what they wrote, and a hostile URL (text,
// NaN, out of range, thousands of digits, repeats) gives a view inside its ranges.
import { describe, expect, it } from 'vitest';
import {
  ablationParams,
  attentionParams,
  epochParams,
  inputParams,
  isNamed,
  neuronParams,
  oneOf,
  paramsOf,
  sliceParams,
  viewIn,
  wholeIn,
  wholesIn,
  withParams,
  type SliceView,
} from '../../lib/view-links.ts';

const q = (text: string) => new URLSearchParams(text);
const hostile = [
  '',
  ' ',
  'abc',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '0x10',
  '12abc',
  '1,2',
  '١٢',
];

describe('wholeIn', () => {
  it('reads plain numbers, rounding and clamping', () => {
    expect(wholeIn('17', 0, 511)).toBe(17);
    expect(wholeIn(' 17 ', 0, 511)).toBe(17);
    expect(wholeIn('+3', 0, 511)).toBe(3);
    expect(wholeIn('2.6', 0, 511)).toBe(3);
    expect(wholeIn('-4', 0, 511)).toBe(0);
    expect(wholeIn('-0', 0, 511)).toBe(0);
    expect(Object.is(wholeIn('-0', 0, 511), 0)).toBe(true);
    expect(wholeIn('600', 0, 511)).toBe(511);
    expect(wholeIn('9'.repeat(5000), 0, 511)).toBe(511);
  });
  it.each(hostile)('ignores %j', (text) => {
    expect(wholeIn(text, 0, 511)).toBeUndefined();
  });
  it('ignores a missing value', () => expect(wholeIn(null, 0, 9)).toBeUndefined());
});

describe('oneOf and wholesIn', () => {
  it('accepts only the choices, exactly', () => {
    expect(oneOf('b', ['a', 'b'])).toBe('b');
    expect(oneOf('B', ['a', 'b'])).toBeUndefined();
    expect(oneOf(null, ['a', 'b'])).toBeUndefined();
  });
  it('reads a list, clamping, dropping repeats, refusing junk and too many', () => {
    expect(wholesIn('38,7,7,99', 1, 56, 56)).toEqual([38, 7, 56]);
    expect(wholesIn('', 1, 56, 56)).toEqual([]);
    expect(wholesIn('7,,38', 1, 56, 56)).toBeUndefined();
    expect(wholesIn('7,x', 1, 56, 56)).toBeUndefined();
    expect(wholesIn(Array(57).fill('1').join(','), 1, 56, 56)).toBeUndefined();
    expect(wholesIn(Array(100_000).fill('1').join(','), 1, 56, 56)).toBeUndefined();
  });
});

describe('withParams', () => {
  it("sets and removes one widget's keys and keeps the others in order", () => {
    expect(withParams('?p=113&neuron=3', { neuron: '17', 'calc-a': '5' })).toBe(
      '?p=113&neuron=17&calc-a=5',
    );
    expect(withParams('?p=113&neuron=3', { neuron: undefined })).toBe('?p=113');
    expect(withParams('', { neuron: undefined })).toBe('');
    expect(withParams('attention-to=eq', {})).toBe('?attention-to=eq');
  });
});

describe('each view reads back what it writes', () => {
  it('inputs (a, b), per widget, clamped to p', () => {
    const calc = inputParams('calc', { a: 25, b: 100 });
    const written = paramsOf(calc, { a: 3, b: 111 }, { a: 25, b: 100 });
    expect(written).toEqual({ 'calc-a': '3', 'calc-b': '111' });
    const params = q(withParams('', written).slice(1));
    expect(calc.read(params, 113)).toEqual({ a: 3, b: 111 });
    // The logit view's a and b are its own: the calculator's do not move it.
    expect(inputParams('logit', { a: 25, b: 100 }).read(params, 113)).toEqual({ a: 25, b: 100 });
    expect(calc.read(params, 97)).toEqual({ a: 3, b: 96 });
    expect(calc.read(q('calc-a=NaN&calc-b=1e9'), 113)).toEqual({ a: 25, b: 100 });
    expect(calc.read(q('calc-a=-7&calc-b=' + '9'.repeat(400)), 113)).toEqual({ a: 0, b: 112 });
    // The default view leaves the URL alone.
    expect(paramsOf(calc, { a: 25, b: 100 }, { a: 25, b: 100 })).toEqual({
      'calc-a': undefined,
      'calc-b': undefined,
    });
  });

  it('attention target', () => {
    for (const target of [0, 1, 2]) {
      const text = withParams('', paramsOf(attentionParams, target, 0));
      expect(attentionParams.read(q(text), undefined)).toBe(target);
    }
    expect(attentionParams.write(2)).toEqual(['eq']);
    for (const text of ['=', 'c', "'='", 'EQ', '2']) {
      expect(attentionParams.read(q(`attention-to=${encodeURIComponent(text)}`), undefined)).toBe(
        0,
      );
    }
  });

  it('neuron', () => {
    expect(neuronParams.read(q('neuron=17'), 512)).toBe(17);
    expect(neuronParams.read(q('neuron=512'), 512)).toBe(511);
    expect(neuronParams.read(q('neuron=-1'), 512)).toBe(0);
    for (const text of hostile) {
      expect(neuronParams.read(q(`neuron=${encodeURIComponent(text)}`), 512)).toBe(0);
    }
  });

  it('ablation switches', () => {
    const view = { off: [38, 7], keepOthers: false };
    const text = withParams('', paramsOf(ablationParams, view, { off: [], keepOthers: true }));
    expect(text).toBe('?ablate-off=7%2C38&ablate-others=off');
    expect(ablationParams.read(q(text), 113)).toEqual({ off: [7, 38], keepOthers: false });
    expect(ablationParams.read(q('ablate-off=0,99,7,7&ablate-others=maybe'), 113)).toEqual({
      off: [1, 7, 56],
      keepOthers: true,
    });
    expect(ablationParams.read(q('ablate-off=junk'), 113)).toEqual({ off: [], keepOthers: true });
  });

  describe('weight inspector slice', () => {
    type Name = 'embed.W_E' | 'blocks.0.attn.W_Q' | 'unembed.b_U';
    const shapes: Record<Name, number[]> = {
      'embed.W_E': [114, 128],
      'blocks.0.attn.W_Q': [4, 128, 32],
      'unembed.b_U': [113],
    };
    const start: SliceView<Name> = { name: 'embed.W_E', along: 1, at: [5, 0], cursor: 0 };
    const limits = {
      names: Object.keys(shapes) as Name[],
      sizes: (n: Name) => shapes[n],
      fallback: start,
    };
    const spec = sliceParams<Name>();

    it('round-trips a slice, writing only the fixed axes', () => {
      const view = { name: 'blocks.0.attn.W_Q' as const, along: 1, at: [3, 0, 17], cursor: 40 };
      const text = withParams('', paramsOf(spec, view, start));
      expect(q(text).get('inspect-at')).toBe('3,17');
      expect(spec.read(q(text), limits)).toEqual(view);
    });

    it('keeps every index inside its axis and ignores an unknown parameter', () => {
      const text =
        'inspect-param=blocks.0.attn.W_Q&inspect-along=7&inspect-at=9,x&inspect-value=1e9';
      expect(spec.read(q(text), limits)).toEqual({
        name: 'blocks.0.attn.W_Q',
        along: 2,
        at: [3, 0, 0],
        cursor: 0,
      });
      expect(spec.read(q('inspect-param=constructor&inspect-value=999'), limits)).toEqual({
        ...start,
        cursor: 127,
      });
      expect(spec.read(q('inspect-param=unembed.b_U&inspect-along=1'), limits)).toEqual({
        name: 'unembed.b_U',
        along: 0,
        at: [5],
        cursor: 0,
      });
    });
  });

  it('scrubber epoch: the nearest evaluation, or the fallback', () => {
    const limits = { epochs: [0, 100, 200, 300], fallback: 200 };
    expect(epochParams.read(q('scrub-epoch=100'), limits)).toBe(100);
    expect(epochParams.read(q('scrub-epoch=149'), limits)).toBe(100);
    expect(epochParams.read(q('scrub-epoch=151'), limits)).toBe(200);
    expect(epochParams.read(q('scrub-epoch=-5'), limits)).toBe(0);
    expect(epochParams.read(q('scrub-epoch=99999999'), limits)).toBe(300);
    expect(epochParams.read(q('scrub-epoch=NaN'), limits)).toBe(200);
    expect(epochParams.read(q('scrub-epoch=5'), { epochs: [], fallback: 0 })).toBe(0);
  });
});

describe('parameter names', () => {
  it('no two widgets share one, nor any with the lab', async () => {
    const { labKeys } = await import('../../lib/train/lab-settings.ts');
    const all = [
      ...inputParams('calc', { a: 0, b: 0 }).keys,
      ...inputParams('logit', { a: 0, b: 0 }).keys,
      ...attentionParams.keys,
      ...neuronParams.keys,
      ...ablationParams.keys,
      ...sliceParams().keys,
      ...epochParams.keys,
      ...labKeys,
    ];
    expect(new Set(all).size).toBe(all.length);
    expect(isNamed(neuronParams, '?p=113&neuron=4')).toBe(true);
    expect(isNamed(neuronParams, '?p=113')).toBe(false);
    expect(viewIn(neuronParams, '?neuron=9', 512)).toBe(9);
  });
});
