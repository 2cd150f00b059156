// What a chart shows, in words and in a table: the text alternative a screen reader reads for a
// picture (a curve's start, end and extreme, a grid's largest cells, a spectrum's largest bars) and
// the rows of the "data" table beside it. Pure: the components only print what comes back.

/** How a number is written in these texts: short, signed with a minus sign, never NaN. */
export function spoken(x: number): string {
  if (Number.isNaN(x)) return 'not a number';
  if (!Number.isFinite(x)) return x > 0 ? 'infinity' : 'minus infinity';
  const size = Math.abs(x);
  const text =
    x === 0 || (size >= 1e-3 && size < 1e5)
      ? Number(x.toPrecision(3)).toLocaleString('en', { maximumSignificantDigits: 3 })
      : x.toExponential(2).replace('e', ' × 10^').replace('^+', '^');
  return text.replace('-', '−');
}

/** One measure against the epoch, said in a sentence: where it starts, ends and peaks or dips. */
export function describeSeries(
  label: string,
  xs: readonly number[],
  values: readonly (number | null)[],
): string {
  const points = values.flatMap((v, i) =>
    v !== null && Number.isFinite(v) && xs[i] !== undefined ? [{ x: xs[i], v }] : [],
  );
  if (points.length === 0) return `${label}: no values yet`;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (points.length === 1)
    return `${label}: ${spoken(first.v)} at epoch ${first.x.toLocaleString('en')}`;
  const low = points.reduce((a, b) => (b.v < a.v ? b : a));
  const high = points.reduce((a, b) => (b.v > a.v ? b : a));
  const extremes = [low, high]
    .filter((p) => p !== first && p !== last)
    .map(
      (p) =>
        `${p === low ? 'lowest' : 'highest'} ${spoken(p.v)} at epoch ${p.x.toLocaleString('en')}`,
    );
  return (
    `${label}: ${spoken(first.v)} at epoch ${first.x.toLocaleString('en')}, ` +
    `${spoken(last.v)} at epoch ${last.x.toLocaleString('en')}` +
    (extremes.length ? ` (${extremes.join(', ')})` : '')
  );
}

/**
 * At most `most` row indices spread evenly over `count` rows, the first and the last always among
 * them: a long run's table stays readable and still shows where it starts and ends.
 */
export function evenlySpread(count: number, most: number): number[] {
  if (count <= most) return Array.from({ length: count }, (_, i) => i);
  if (most <= 1) return count > 0 ? [count - 1] : [];
  const picked = Array.from({ length: most }, (_, i) => Math.round((i * (count - 1)) / (most - 1)));
  return [...new Set(picked)];
}

export interface Cell {
  r: number;
  c: number;
  value: number;
}

/** The `n` cells of a row-major rows×cols grid with the largest magnitude, largest first. */
export function largestCells(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  n: number,
): Cell[] {
  const cells: Cell[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const value = values[r * cols + c]!;
      if (Number.isFinite(value)) cells.push({ r, c, value });
    }
  }
  cells.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.r - b.r || a.c - b.c);
  return cells.slice(0, n);
}

/** The `n` largest bars of a spectrum indexed from 1 (frequency k at index k − 1), largest first. */
export function largestBars(values: readonly number[], n: number): { k: number; value: number }[] {
  return values
    .map((value, i) => ({ k: i + 1, value }))
    .filter((b) => Number.isFinite(b.value))
    .sort((a, b) => b.value - a.value || a.k - b.k)
    .slice(0, n);
}
