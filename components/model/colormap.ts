// The colour scale of the model views' grids, shared by the page and the build-time previews:
// dark blue at the minimum (or 0) to yellow at the maximum.

/** RGBA bytes [rows·cols·4] for `values` [rows·cols] row-major. */
export function gridColours(values: ArrayLike<number>, count: number): Uint8ClampedArray {
  let [min, max] = [0, 0];
  for (let i = 0; i < count; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  const span = max - min || 1;
  const rgba = new Uint8ClampedArray(4 * count);
  for (let i = 0; i < count; i++) {
    const t = (values[i]! - min) / span;
    rgba.set(
      [Math.round(255 * t), Math.round(90 + 120 * t), Math.round(200 - 150 * t), 255],
      4 * i,
    );
  }
  return rgba;
}
