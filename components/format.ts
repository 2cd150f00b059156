// Number formatting for tables: short, and never "NaN" or "Infinity" on screen.

/** A value rounded for display; overflowed values are named as such. */
export function formatNumber(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'overflow';
  if (x === Infinity) return '+∞';
  if (x === -Infinity) return '−∞';
  const rounded = Number(x.toFixed(digits));
  return (Object.is(rounded, -0) ? 0 : rounded).toString().replace('-', '−');
}

/** A duration in words people plan by: "40 s", "12 min", "3 h 20 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * A measure that may span many decades (a loss, a weight norm), to `digits` significant digits:
 * plain between 0.001 and 100,000 ("0.0152", "920", "1,330"), else as "3.28 × 10⁻⁵", so that two
 * read-outs side by side are written the same way whatever their size.
 */
export function formatMeasure(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'overflow';
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '−∞';
  const size = Math.abs(x);
  if (x === 0 || (size >= 1e-3 && size < 1e5))
    return Number(x.toPrecision(digits))
      .toLocaleString('en', { maximumSignificantDigits: digits })
      .replace('-', '−');
  const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
  return `${mantissa!.replace('-', '−')} × ${powerOfTen(Number(exponent))}`;
}

/** 10 to the integer `exponent`, written as it is printed: "10⁻⁴", "10⁰", "10³". */
export function powerOfTen(exponent: number): string {
  const superscript = [...String(exponent)]
    .map((d) => (d === '-' ? '⁻' : '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]))
    .join('');
  return `10${superscript}`;
}
