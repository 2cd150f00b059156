// Number formatting for tables: short, and never "NaN" or "Infinity" on screen.

/** A value rounded for display; overflowed values are named as such. */
export function formatNumber(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'overflow';
  if (x === Infinity) return '+∞';
  if (x === -Infinity) return '−∞';
  const rounded = Number(x.toFixed(digits));
  return (Object.is(rounded, -0) ? 0 : rounded).toString().replace('-', '−');
}
