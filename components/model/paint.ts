// Paints a grid of values into a canvas, one pixel per cell, for the model views.

/** Paints `values` [rows·cols] row-major: dark blue at the minimum (or 0) to yellow at the maximum. */
export function paintGrid(
  canvas: HTMLCanvasElement | undefined,
  values: ArrayLike<number> | undefined,
  rows: number,
  cols: number,
): void {
  if (!canvas || !values) return;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(cols, rows);
  let [min, max] = [0, 0];
  for (let i = 0; i < rows * cols; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  const span = max - min || 1;
  for (let i = 0; i < rows * cols; i++) {
    const t = (values[i]! - min) / span;
    image.data.set(
      [Math.round(255 * t), Math.round(90 + 120 * t), Math.round(200 - 150 * t), 255],
      4 * i,
    );
  }
  context.putImageData(image, 0, 0);
}
