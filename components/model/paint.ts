// Paints a grid of values into a canvas, one pixel per cell, for the model views.
import { gridColours } from './colormap.ts';

/** Paints `values` [rows·cols] row-major with the views' colour scale. */
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
  image.data.set(gridColours(values, rows * cols));
  context.putImageData(image, 0, 0);
}
