// The grader's test cases, in the order they are checked: exhaustive short operands, carry chains
// up to 128 bits, then seeded random long operands.
import { mulberry32, randomBigInt } from '../random.ts';

export interface Case {
  group: CaseGroup['name'];
  a: bigint;
  b: bigint;
  /** Operand width: the network reads n+1 steps (one final 0) and writes n+1 bits. */
  bits: number;
}

export interface CaseGroup {
  name: 'exhaustive' | 'carry' | 'random64' | 'random128';
  description: string;
  count: number;
  cases: () => Generator<Case>;
}

/** Seed of the random groups: fixed so every student and instructor sees the same cases. */
export const graderSeed = 20230127;
const exhaustiveBits = 8;
const longestCarry = 128;
const randomCount = 250;

function* exhaustive(): Generator<Case> {
  for (let n = 1; n <= exhaustiveBits; n++) {
    const size = 2n ** BigInt(n);
    for (let a = 0n; a < size; a++) {
      for (let b = 0n; b < size; b++) yield { group: 'exhaustive', a, b, bits: n };
    }
  }
}

/** Operand pairs of width n whose carries travel far: all ones plus one, and relatives. */
function carryPairs(n: number): [bigint, bigint][] {
  const ones = 2n ** BigInt(n) - 1n;
  const top = 2n ** BigInt(n - 1);
  const alternating = ones / 3n; // 0101…01
  return [
    [ones, 1n],
    [1n, ones],
    [ones, ones],
    [top, top],
    [ones, 0n],
    [alternating, ones ^ alternating],
  ];
}

function* carries(): Generator<Case> {
  for (let n = 1; n <= longestCarry; n++) {
    for (const [a, b] of carryPairs(n)) yield { group: 'carry', a, b, bits: n };
  }
}

function* randomPairs(bits: number, seed: number, group: Case['group']): Generator<Case> {
  const random = mulberry32(seed);
  for (let i = 0; i < randomCount; i++) {
    yield { group, a: randomBigInt(random, bits), b: randomBigInt(random, bits), bits };
  }
}

let exhaustiveCount = 0;
for (let n = 1; n <= exhaustiveBits; n++) exhaustiveCount += 4 ** n;

/** The case groups in grading order. */
export const caseGroups: CaseGroup[] = [
  {
    name: 'exhaustive',
    description: `every pair of operands of 1 to ${exhaustiveBits} bits`,
    count: exhaustiveCount,
    cases: exhaustive,
  },
  {
    name: 'carry',
    description: `carries that ripple the whole way, operands of 1 to ${longestCarry} bits`,
    count: longestCarry * 6,
    cases: carries,
  },
  {
    name: 'random64',
    description: `${randomCount} random pairs of 64-bit operands (seed ${graderSeed})`,
    count: randomCount,
    cases: () => randomPairs(64, graderSeed, 'random64'),
  },
  {
    name: 'random128',
    description: `${randomCount} random pairs of 128-bit operands (seed ${graderSeed + 1})`,
    count: randomCount,
    cases: () => randomPairs(128, graderSeed + 1, 'random128'),
  },
];
