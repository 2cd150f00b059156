// Binary numbers as the network sees them: bit lists, least significant bit first.

/** The lowest `length` bits of `value`, least significant first. */
export function toBitsLsbFirst(value: bigint, length: number): number[] {
  return Array.from({ length }, (_, i) => Number((value >> BigInt(i)) & 1n));
}

/** The number whose bits, least significant first, are `bits`. */
export function fromBitsLsbFirst(bits: readonly number[]): bigint {
  return bits.reduceRight((value, bit) => (value << 1n) | BigInt(bit), 0n);
}

/** Binary digits as people write them (most significant first), at least `width` long. */
export function toBinaryString(value: bigint, width = 1): string {
  return value.toString(2).padStart(width, '0');
}

/** Parses a string of 0s and 1s written most significant first; undefined when it is not one. */
export function parseBinary(text: string): bigint | undefined {
  const trimmed = text.trim();
  return /^[01]+$/.test(trimmed) ? BigInt('0b' + trimmed) : undefined;
}
