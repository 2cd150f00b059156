// A minimal dense tensor: a flat array with a shape, row-major. Enough for weights and activations.

export type FloatArray = Float32Array | Float64Array;

export interface Tensor {
  shape: number[];
  data: FloatArray;
}

/** The number of entries of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** A zero tensor. */
export function zeros(shape: number[], precision: 'float32' | 'float64' = 'float32'): Tensor {
  const n = sizeOf(shape);
  return { shape, data: precision === 'float32' ? new Float32Array(n) : new Float64Array(n) };
}

/** Shapes as people write them: [113, 128]. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
