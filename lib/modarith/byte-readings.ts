// A hex editor's data inspector for one float32: the four bytes a weight occupies in the
// safetensors file (little-endian) and what they read as under other types. Only the float32
// reading is the one the model uses; the others are the same bits, read as something else.

/** The readings of four little-endian bytes. */
export interface ByteReadings {
  /** the bytes in file order, as two-digit upper-case hex */
  hex: string[];
  float32: number;
  /** the low two bytes (first in the file) and the high two, each as an IEEE half */
  float16: [number, number];
  int32: number;
  uint32: number;
}

/** IEEE 754 binary16 from its 16 bits. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The bytes of a float32 as safetensors stores it (little-endian). */
export function float32Bytes(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return bytes;
}

/** Every reading of four bytes taken in file order. */
export function readBytes(bytes: ArrayLike<number>): ByteReadings {
  if (bytes.length !== 4) throw new Error(`A float32 is four bytes, not ${bytes.length}.`);
  const view = new DataView(Uint8Array.from(bytes).buffer);
  return {
    hex: Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')),
    float32: view.getFloat32(0, true),
    float16: [halfToNumber(view.getUint16(0, true)), halfToNumber(view.getUint16(2, true))],
    int32: view.getInt32(0, true),
    uint32: view.getUint32(0, true),
  };
}

/** What the first bytes of a file read as: the talk's MZ example, two bytes and one. */
export function readPrefix(bytes: ArrayLike<number>): {
  uint16: number;
  int8: number;
  char: string;
} {
  if (bytes.length < 2) throw new Error('Two bytes are needed for a 16-bit reading.');
  const view = new DataView(Uint8Array.from(bytes).buffer);
  return {
    uint16: view.getUint16(0, true),
    int8: view.getInt8(0),
    char: String.fromCharCode(view.getUint8(0)),
  };
}
