// The colour scale of the model views' grids, shared by the page and the build-time previews:
// dark blue at the minimum (or 0) to yellow at the maximum.

/** The range the colours span: [min(0, values), max(0, values)]. */
export function gridRange(values: ArrayLike<number>, count: number): { min: number; max: number } {
  let [min, max] = [0, 0];
  for (let i = 0; i < count; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  return { min, max };
}

/** The colour at t ∈ [0, 1] of the range, as RGB bytes. */
function rgbAt(t: number): [number, number, number] {
  return [Math.round(255 * t), Math.round(90 + 120 * t), Math.round(200 - 150 * t)];
}

/** The colour at t ∈ [0, 1] of the range, for CSS (the colour bar). */
export function colourAt(t: number): string {
  return `rgb(${rgbAt(t).join(' ')})`;
}

/** RGBA bytes [rows·cols·4] for `values` [rows·cols] row-major. */
export function gridColours(values: ArrayLike<number>, count: number): Uint8ClampedArray {
  const { min, max } = gridRange(values, count);
  const span = max - min || 1;
  const rgba = new Uint8ClampedArray(4 * count);
  for (let i = 0; i < count; i++) rgba.set([...rgbAt((values[i]! - min) / span), 255], 4 * i);
  return rgba;
}

/** Black or white, whichever reads better on the colour at t (by WCAG relative luminance). */
export function textColourOn(t: number): string {
  const linear = rgbAt(t).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? '#000' : '#fff';
}
