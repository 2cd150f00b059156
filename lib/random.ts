// Seeded pseudo-random numbers, so that graders, splits and initialisations are reproducible.

/** A generator of uniform numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly random non-negative BigInt of exactly `bits` random bits. */
export function randomBigInt(random: () => number, bits: number): bigint {
  let value = 0n;
  for (let i = 0; i < bits; i += 16) {
    const chunk = Math.min(16, bits - i);
    value = (value << BigInt(chunk)) | BigInt(Math.floor(random() * 2 ** chunk));
  }
  return value;
}
