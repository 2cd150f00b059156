// The auto-grader: runs a student's network on every case and explains the first one it gets wrong.
import { toBinaryString, toBitsLsbFirst } from './bits.ts';
import { caseGroups, type Case } from './cases.ts';
import type { Exercise } from './exercises.ts';
import { compileRunner, trace, type TraceStep } from './simulate.ts';
import { parseWeights } from './validate.ts';

export interface FailingCase {
  group: Case['group'];
  groupDescription: string;
  /** Operands as people write them, most significant bit first, `bits` wide. */
  a: string;
  b: string;
  aDecimal: string;
  bDecimal: string;
  bits: number;
  /** The sequences fed to the network, least significant bit first, with the final 0. */
  inputA: number[];
  inputB: number[];
  expected: number[];
  actual: number[];
  /** Time steps whose output bit is wrong. */
  wrongSteps: number[];
  trace: TraceStep[];
}

export interface GroupResult {
  name: Case['group'];
  description: string;
  total: number;
  failed: number;
}

export interface Verdict {
  exercise: Exercise['id'];
  passed: boolean;
  /** Why the weights could not be run at all; empty when they could. */
  errors: string[];
  total: number;
  failed: number;
  groups: GroupResult[];
  firstFailure: FailingCase | undefined;
}

/** Called now and then with the number of cases checked so far and the number in all. */
export type Progress = (done: number, total: number) => void;

/** How many cases a full grading checks. */
export const totalCases = caseGroups.reduce((sum, g) => sum + g.count, 0);

function describeFailure(
  c: Case,
  description: string,
  weights: Parameters<typeof trace>[0],
  exercise: Exercise,
): FailingCase {
  const steps = c.bits + 1;
  const inputA = toBitsLsbFirst(c.a, steps);
  const inputB = toBitsLsbFirst(c.b, steps);
  const expected = toBitsLsbFirst(exercise.target(c.a, c.b), steps);
  const recorded = trace(weights, inputA, inputB);
  const actual = recorded.map((s) => s.bit);
  return {
    group: c.group,
    groupDescription: description,
    a: toBinaryString(c.a, c.bits),
    b: toBinaryString(c.b, c.bits),
    aDecimal: c.a.toString(),
    bDecimal: c.b.toString(),
    bits: c.bits,
    inputA,
    inputB,
    expected,
    actual,
    wrongSteps: expected.flatMap((bit, t) => (bit === actual[t] ? [] : [t])),
    trace: recorded,
  };
}

/** Grades untrusted weights on an exercise; invalid weights give a verdict with `errors`. */
export function grade(input: unknown, exercise: Exercise, onProgress?: Progress): Verdict {
  const parsed = parseWeights(input);
  if (!parsed.ok) {
    return {
      exercise: exercise.id,
      passed: false,
      errors: parsed.errors,
      total: 0,
      failed: 0,
      groups: [],
      firstFailure: undefined,
    };
  }
  const run = compileRunner(parsed.weights);
  const groups: GroupResult[] = [];
  let firstFailure: FailingCase | undefined;
  let done = 0;
  for (const group of caseGroups) {
    let failed = 0;
    for (const c of group.cases()) {
      const steps = c.bits + 1;
      const actual = run(toBitsLsbFirst(c.a, steps), toBitsLsbFirst(c.b, steps));
      const expected = exercise.target(c.a, c.b);
      const wrong = actual.some((bit, t) => BigInt(bit) !== ((expected >> BigInt(t)) & 1n));
      if (wrong) {
        failed++;
        firstFailure ??= describeFailure(c, group.description, parsed.weights, exercise);
      }
      if (++done % 4096 === 0) onProgress?.(done, totalCases);
    }
    groups.push({ name: group.name, description: group.description, total: group.count, failed });
  }
  onProgress?.(done, totalCases);
  const failed = groups.reduce((sum, g) => sum + g.failed, 0);
  return {
    exercise: exercise.id,
    passed: failed === 0,
    errors: [],
    total: done,
    failed,
    groups,
    firstFailure,
  };
}
