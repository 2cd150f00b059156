import { describe, expect, it } from 'vitest';
import {
  float32Bytes,
  halfToNumber,
  readBytes,
  readPrefix,
} from '../../lib/modarith/byte-readings.ts';

describe('byte readings', () => {
  it('reads 00 00 80 3F as 1.0f and as the integer 1065353216', () => {
    const r = readBytes([0x00, 0x00, 0x80, 0x3f]);
    expect(r.hex).toEqual(['00', '00', '80', '3F']);
    expect(r.float32).toBe(1);
    expect(r.int32).toBe(1065353216);
    expect(r.uint32).toBe(0x3f800000);
    // low half 0x0000 is +0, high half 0x3F80 is 1.875 as a binary16
    expect(r.float16).toEqual([0, 1.875]);
  });

  it('writes a float32 little-endian and reads it back exactly', () => {
    for (const x of [0.1, -2.5, 1e-7, 12345.678]) {
      const bytes = float32Bytes(x);
      expect(readBytes(bytes).float32).toBe(Math.fround(x));
    }
    expect(Array.from(float32Bytes(-2))).toEqual([0x00, 0x00, 0x00, 0xc0]);
  });

  it('decodes halves against known binary16 values', () => {
    expect(halfToNumber(0x3c00)).toBe(1);
    expect(halfToNumber(0xc000)).toBe(-2);
    expect(halfToNumber(0x7bff)).toBe(65504);
    expect(halfToNumber(0x0001)).toBe(2 ** -24);
    expect(halfToNumber(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(halfToNumber(0x7e00))).toBe(true);
  });

  it('reads the MZ of a PE file as ImHex does', () => {
    const r = readPrefix([0x4d, 0x5a]);
    expect(r).toEqual({ uint16: 23117, int8: 77, char: 'M' });
    expect(r.uint16).toBe(0x5a4d);
  });

  it('refuses the wrong number of bytes with a message', () => {
    expect(() => readBytes([1, 2, 3])).toThrow(/four bytes/);
    expect(() => readPrefix([1])).toThrow(/Two bytes/);
  });
});
