// The binary-addition RNN: simulator, validation, grader and command-line grader.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBitsLsbFirst, parseBinary, toBitsLsbFirst } from '../../lib/rnn/bits.ts';
import { caseGroups } from '../../lib/rnn/cases.ts';
import { exercises } from '../../lib/rnn/exercises.ts';
import { grade, totalCases } from '../../lib/rnn/grade.ts';
import { zeroWeights } from '../../lib/rnn/network.ts';
import { compileRunner, trace } from '../../lib/rnn/simulate.ts';
import { parseWeights, parseWeightsJson } from '../../lib/rnn/validate.ts';
import { verdictLine } from '../../lib/rnn/report.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(`tests/fixtures/rnn/${name}.json`, 'utf8'));

function weightsOf(name: string) {
  const parsed = parseWeights(fixture(name));
  if (!parsed.ok) throw new Error(parsed.errors.join(' '));
  return parsed.weights;
}

describe('bits', () => {
  it('writes the example of the exercise least significant bit first', () => {
    expect(toBitsLsbFirst(parseBinary('100111')!, 7)).toEqual([1, 1, 1, 0, 0, 1, 0]);
    expect(toBitsLsbFirst(parseBinary('110010')!, 7)).toEqual([0, 1, 0, 0, 1, 1, 0]);
    expect(fromBitsLsbFirst([1, 0, 0, 1, 1, 0, 1])).toBe(parseBinary('1011001'));
    expect(parseBinary('12')).toBeUndefined();
  });
});

describe('simulator', () => {
  it('adds 100111 + 110010 = 1011001 with the reference step network', () => {
    const steps = trace(weightsOf('step-solution'), [1, 1, 1, 0, 0, 1, 0], [0, 1, 0, 0, 1, 1, 0]);
    expect(steps.map((s) => s.bit)).toEqual([1, 0, 0, 1, 1, 0, 1]);
    // Step 1 adds 1 + 1 with no carry: sum 2, so units "≥1" and "≥2" fire, "≥3" does not.
    expect(steps[1]!.preHidden).toEqual([1.5, 0.5, -0.5]);
    expect(steps[1]!.hidden).toEqual([1, 1, 0]);
    expect(steps[1]!.preOutput).toBe(-0.5);
  });

  it('gives the same bits on the fast path as on the traced path', () => {
    for (const name of ['step-solution', 'sigmoid-solution', 'relu-solution', 'leaky-carry']) {
      const weights = weightsOf(name);
      const run = compileRunner(weights);
      const a = toBitsLsbFirst(0xdeadbeefn, 33);
      const b = toBitsLsbFirst(0x12345679n, 33);
      expect(Array.from(run(a, b)), name).toEqual(trace(weights, a, b).map((s) => s.bit));
    }
  });

  it('computes each activation as defined', () => {
    const net = { ...zeroWeights(1), W_xh: [[2, 0]], b_h: [-1], W_hy: [[1]] };
    const pre = (a: number) => trace({ ...net, activation: 'linear' }, [a], [0])[0]!.preHidden[0]!;
    expect(pre(1)).toBe(1);
    expect(pre(0)).toBe(-1);
    const hidden = (activation: 'step' | 'relu' | 'sigmoid' | 'tanh', a: number) =>
      trace({ ...net, activation }, [a], [0])[0]!.hidden[0]!;
    expect([hidden('step', 0), hidden('step', 1)]).toEqual([0, 1]);
    expect([hidden('relu', 0), hidden('relu', 1)]).toEqual([0, 1]);
    expect(hidden('sigmoid', 1)).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
    expect(hidden('tanh', 0)).toBeCloseTo(Math.tanh(-1), 15);
  });
});

describe('validation', () => {
  it('names every bad field and never throws', () => {
    const parsed = parseWeights(fixture('invalid-shapes'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      'activation must be one of step, relu, sigmoid, tanh, linear; got the text "softmax".',
      'W_xh[1] must have 2 entries, got 1.',
      'W_hh[1][1] must be a finite number, got the text "x".',
      'b_h[1] must be a finite number, got null.',
    ]);
  });

  it.each([
    [{ ...zeroWeights(2), hidden_size: 0 }, 'hidden_size must be a whole number from 1 to 16'],
    [{ ...zeroWeights(2), hidden_size: 17 }, 'hidden_size must be a whole number from 1 to 16'],
    [{ ...zeroWeights(2), hidden_size: 1.5 }, 'hidden_size'],
    [{ ...zeroWeights(2), b_y: [Infinity] }, 'b_y[0] must be a finite number, got Infinity'],
    [{ ...zeroWeights(2), b_h: [NaN, 0] }, 'b_h[0] must be a finite number, got NaN'],
    [
      { ...zeroWeights(2), W_hh: [[0, 0]] },
      'W_hh must be a 2 × 2 matrix (2 rows of 2), got 1 rows',
    ],
    [{ ...zeroWeights(2), W_hy: 'nope' }, 'W_hy must be a 1 × 2 matrix'],
    [[1, 2], 'The weights must be a JSON object'],
    [null, 'The weights must be a JSON object'],
  ])('rejects %j with a message naming the field', (input, message) => {
    const parsed = parseWeights(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join(' ')).toContain(message);
  });

  it('turns a JSON syntax error into a message', () => {
    const parsed = parseWeightsJson('{"hidden_size": 3,');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]).toMatch(/^This is not valid JSON/);
  });

  it('takes a missing h0 as zeros', () => {
    expect(weightsOf('sigmoid-solution').h0).toEqual([0, 0, 0]);
  });
});

describe('grader', () => {
  it('checks every case of every group, in order', () => {
    expect(caseGroups.map((g) => g.name)).toEqual(['exhaustive', 'carry', 'random64', 'random128']);
    for (const group of caseGroups) expect([...group.cases()].length, group.name).toBe(group.count);
    const exhaustive = [...caseGroups[0]!.cases()];
    expect(exhaustive.filter((c) => c.bits === 8)).toHaveLength(256 * 256);
    const carry = [...caseGroups[1]!.cases()];
    expect(carry.some((c) => c.bits === 128 && c.a === 2n ** 128n - 1n && c.b === 1n)).toBe(true);
    const random = [...caseGroups[3]!.cases()];
    expect(random.some((c) => c.a >= 2n ** 127n)).toBe(true);
    // Reproducible: the same seed gives the same cases.
    expect([...caseGroups[2]!.cases()]).toEqual([...caseGroups[2]!.cases()]);
  });

  it.each(['step-solution', 'sigmoid-solution', 'relu-solution', 'permuted-step-solution'])(
    'accepts the correct solution %s',
    (name) => {
      const verdict = grade(fixture(name), exercises.add);
      expect(verdict.passed).toBe(true);
      expect(verdict.total).toBe(totalCases);
      expect(verdict.failed).toBe(0);
      expect(verdict.firstFailure).toBeUndefined();
    },
  );

  it('rejects a network right up to 8 bits whose carry fades over a long chain', () => {
    const verdict = grade(fixture('leaky-carry'), exercises.add);
    expect(verdict.passed).toBe(false);
    expect(verdict.groups[0]).toMatchObject({ name: 'exhaustive', failed: 0 });
    const failure = verdict.firstFailure!;
    expect(failure.group).toBe('carry');
    // 0.95^14 < 0.5: the carry is lost after 14 steps of propagation.
    expect(failure.a).toBe('1'.repeat(14));
    expect(failure.b).toBe('0'.repeat(13) + '1');
    expect(failure.wrongSteps).toEqual([14]);
    expect(failure.expected[14]).toBe(1);
    expect(failure.actual[14]).toBe(0);
    expect(failure.trace).toHaveLength(15);
    expect(failure.trace.map((s) => s.bit)).toEqual(failure.actual);
  });

  it('rejects a network that drops the final carry, and traces it', () => {
    const verdict = grade(fixture('ignores-final-carry'), exercises.add);
    expect(verdict.passed).toBe(false);
    expect(verdict.firstFailure).toMatchObject({
      group: 'exhaustive',
      a: '1',
      b: '1',
      inputA: [1, 0],
      inputB: [1, 0],
      expected: [0, 1],
      actual: [0, 0],
      wrongSteps: [1],
    });
    expect(verdict.firstFailure!.trace[1]!.x).toEqual([0, 0]);
  });

  it('rejects the all-zero starting network and an XOR network on addition', () => {
    expect(grade(zeroWeights(3), exercises.add).passed).toBe(false);
    expect(grade(fixture('xor-solution'), exercises.add).passed).toBe(false);
  });

  it('grades the XOR warm-up the same way', () => {
    expect(grade(fixture('xor-solution'), exercises.xor).passed).toBe(true);
    const verdict = grade(fixture('step-solution'), exercises.xor);
    expect(verdict.passed).toBe(false);
    expect(verdict.firstFailure).toMatchObject({ a: '1', b: '1', expected: [0, 0] });
  });

  it('returns the validation errors instead of grading invalid weights', () => {
    const verdict = grade(fixture('invalid-shapes'), exercises.add);
    expect(verdict.passed).toBe(false);
    expect(verdict.total).toBe(0);
    expect(verdict.errors).toHaveLength(4);
  });

  it('reports progress up to the total', () => {
    const seen: number[] = [];
    grade(fixture('step-solution'), exercises.add, (done, total) => {
      expect(total).toBe(totalCases);
      seen.push(done);
    });
    expect(seen.at(-1)).toBe(totalCases);
    expect(seen.length).toBeGreaterThan(10);
  });
});

describe('npm run grade', () => {
  const cli = (...args: string[]) => {
    try {
      return {
        code: 0,
        out: execFileSync(process.execPath, ['scripts/grade.ts', ...args]).toString(),
      };
    } catch (error) {
      const e = error as { status: number; stdout: Buffer; stderr: Buffer };
      return { code: e.status, out: e.stdout.toString() + e.stderr.toString() };
    }
  };

  it('prints one line per file and exits 0 when all pass', () => {
    const { code, out } = cli(
      'tests/fixtures/rnn/step-solution.json',
      'tests/fixtures/rnn/relu-solution.json',
    );
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toEqual([
      `tests/fixtures/rnn/step-solution.json: passed: all ${totalCases} cases`,
      `tests/fixtures/rnn/relu-solution.json: passed: all ${totalCases} cases`,
    ]);
  });

  it('writes every bit string of the one-line report in one order, most significant first', () => {
    const verdict = grade(fixture('leaky-carry'), exercises.add);
    const f = verdict.firstFailure!;
    const width = f.expected.length;
    // The sum re-derived from the decimal operands, written as people write numbers.
    const sum = (BigInt(f.aDecimal) + BigInt(f.bDecimal)).toString(2).padStart(width, '0');
    const line = verdictLine(verdict);
    expect(line).toContain(`bits MSB first: ${f.a} and ${f.b}`);
    expect(BigInt(`0b${f.a}`).toString()).toBe(f.aDecimal);
    expect(line).toContain(`expected ${sum} got `);
    const got = /got ([01]+),/.exec(line)![1]!;
    expect(got).toBe(fromBitsLsbFirst(f.actual).toString(2).padStart(width, '0'));
    expect(line.match(/MSB first|LSB first/g)).toEqual(['MSB first']);
  });

  it('exits 1 and names the first failure when one fails', () => {
    const { code, out } = cli(
      'tests/fixtures/rnn/step-solution.json',
      'tests/fixtures/rnn/leaky-carry.json',
    );
    expect(code).toBe(1);
    expect(out).toContain('leaky-carry.json: failed: ');
    expect(out).toContain('first failure (carry)');
  });

  it('prints verdicts as JSON with --json, and reports unreadable files', () => {
    const { code, out } = cli(
      '--json',
      '--exercise',
      'xor',
      'tests/fixtures/rnn/xor-solution.json',
      'missing.json',
    );
    expect(code).toBe(1);
    const results = JSON.parse(out) as {
      file: string;
      verdict: { passed: boolean; errors: string[] };
    }[];
    expect(results[0]).toMatchObject({
      file: 'tests/fixtures/rnn/xor-solution.json',
      verdict: { passed: true },
    });
    expect(results[1]!.verdict.errors[0]).toMatch(/^Cannot read the file/);
  });

  it('exits 2 on a usage error', () => {
    expect(cli().code).toBe(2);
    expect(cli('--exercise', 'mul', 'x.json').code).toBe(2);
  });
});
