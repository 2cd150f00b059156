// Colours for signed values: white at zero, red for positive, blue for negative, with a text
// colour that keeps WCAG AA contrast on every shade.

const positive = [150, 20, 35];
const negative = [25, 75, 150];

/** sRGB relative luminance of an [r, g, b] colour in 0…255. */
function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** Background and text colour for `value` on a scale where |value| = `max` is the full colour. */
export function heatColor(value: number, max: number): { background: string; color: string } {
  const t = max > 0 && Number.isFinite(value) ? Math.min(1, Math.abs(value) / max) : 0;
  const end = value >= 0 ? positive : negative;
  const rgb = end.map((v) => Math.round(255 + t * (v - 255)));
  // Black text needs L ≥ 0.175 for 4.5:1 and white needs L ≤ 0.183: split at 0.18.
  return {
    background: `rgb(${rgb.join(' ')})`,
    color: luminance(rgb) >= 0.18 ? '#000' : '#fff',
  };
}

/** The largest |value| in some arrays; 0 when there are none. */
export function maxAbs(...arrays: ArrayLike<number>[]): number {
  let max = 0;
  for (const array of arrays) {
    for (let i = 0; i < array.length; i++) max = Math.max(max, Math.abs(array[i]!));
  }
  return max;
}
