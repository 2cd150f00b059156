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
