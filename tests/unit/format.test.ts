// Read-outs of measures written one way at every size (components/format.ts).
import { describe, expect, it } from 'vitest';
import { formatMeasure } from '../../components/format.ts';

describe('formatMeasure', () => {
  it('writes mid-sized values plainly, three significant digits', () => {
    expect(formatMeasure(0.00152)).toBe('0.00152');
    expect(formatMeasure(920.0539)).toBe('920');
    expect(formatMeasure(1333.2)).toBe('1,330');
    expect(formatMeasure(5.9213)).toBe('5.92');
    expect(formatMeasure(0)).toBe('0');
    expect(formatMeasure(-0.25)).toBe('−0.25');
  });

  it('writes tiny and huge values with a power of ten, never as a run of zeros or e-notation', () => {
    expect(formatMeasure(3.28e-5)).toBe('3.28 × 10⁻⁵');
    expect(formatMeasure(9.760191754311238e-8)).toBe('9.76 × 10⁻⁸');
    expect(formatMeasure(0.000999999)).toBe('1.00 × 10⁻³');
    expect(formatMeasure(2.5e7)).toBe('2.50 × 10⁷');
    expect(formatMeasure(-4e-9)).toBe('−4.00 × 10⁻⁹');
    for (const x of [1e-12, 3e-7, 0.0042, 17, 4.2e5])
      expect(formatMeasure(x)).not.toMatch(/e|0\.000/);
  });

  it('names what is not a number', () => {
    expect(formatMeasure(NaN)).toBe('overflow');
    expect(formatMeasure(Infinity)).toBe('+∞');
    expect(formatMeasure(-Infinity)).toBe('−∞');
  });
});
