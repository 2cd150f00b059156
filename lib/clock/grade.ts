// The clock exercise's file reader and grader: checks a network file field by field, runs all 49
// pairs, and explains the first pair it gets wrong with its whole trace.
import { errorMessage } from '../errors.ts';
import { describe, readMatrix, readVector } from '../json-fields.ts';
import {
  clockActivations,
  clockForward,
  clockModulus,
  clockPairs,
  maxEmbedding,
  maxNeurons,
  type ClockActivation,
  type ClockNetwork,
  tieTolerance,
  type ClockTrace,
} from './network.ts';

export type ParsedClock = { ok: true; network: ClockNetwork } | { ok: false; errors: string[] };

/** A whole number from 1 to `max` that the shape of `name` gives, or a message. */
function size(value: unknown, what: string, max: number, errors: string[]): number {
  if (!Array.isArray(value)) return 0;
  const n = value.length;
  if (n < 1 || n > max) errors.push(`${what} must be from 1 to ${max}, got ${n}.`);
  return n;
}

/** Validates an untrusted clock network; never throws. */
export function parseClock(input: unknown): ParsedClock {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [`The network must be a JSON object, got ${describe(input)}.`] };
  }
  const fields = input as Record<string, unknown>;
  const errors: string[] = [];
  if (fields['p'] !== clockModulus) {
    errors.push(`p must be ${clockModulus}, got ${describe(fields['p'])}.`);
  }
  const activation = clockActivations.find((a) => a === fields['activation']);
  if (!activation) {
    errors.push(
      `activation must be one of ${clockActivations.join(', ')}; got ${describe(fields['activation'])}.`,
    );
  }
  const p = clockModulus;
  if (!Array.isArray(fields['W_E']) || !Array.isArray(fields['W_out'])) {
    if (!Array.isArray(fields['W_E']))
      errors.push(`W_E must be a ${p} × d matrix, got ${describe(fields['W_E'])}.`);
    if (!Array.isArray(fields['W_out']))
      errors.push(`W_out must be a ${p} × n matrix, got ${describe(fields['W_out'])}.`);
    return { ok: false, errors };
  }
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : undefined);
  const d = size(first(fields['W_E']), 'd (the length of each W_E row)', maxEmbedding, errors);
  const n = size(first(fields['W_out']), 'n (the length of each W_out row)', maxNeurons, errors);
  if (errors.length > 0 || d === 0 || n === 0) {
    if (d === 0)
      errors.push(`W_E's rows must be lists of d numbers, got ${describe(first(fields['W_E']))}.`);
    if (n === 0)
      errors.push(
        `W_out's rows must be lists of n numbers, got ${describe(first(fields['W_out']))}.`,
      );
    return { ok: false, errors };
  }
  const network: ClockNetwork = {
    p,
    activation: activation as ClockActivation,
    W_E: readMatrix(fields['W_E'], 'W_E', p, d, errors),
    W_in: readMatrix(fields['W_in'], 'W_in', n, 2 * d, errors),
    b_in: readVector(fields['b_in'], 'b_in', n, errors),
    W_out: readMatrix(fields['W_out'], 'W_out', p, n, errors),
    b_out: readVector(fields['b_out'], 'b_out', p, errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, network };
}

/** Parses a network from JSON text; a syntax error becomes a message, not an exception. */
export function parseClockJson(text: string): ParsedClock {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, errors: [`This is not valid JSON: ${errorMessage(error)}`] };
  }
  return parseClock(value);
}

export interface ClockVerdict {
  exercise: 'clock';
  passed: boolean;
  /** Why the network could not be run at all; empty when it could */
  errors: string[];
  total: number;
  right: number;
  /** The first wrong pair, a-major order, with its whole trace */
  firstFailure: ClockTrace | undefined;
}

/** Grades all 49 pairs of an untrusted network. */
export function gradeClock(input: unknown): ClockVerdict {
  const total = clockModulus ** 2;
  const parsed = parseClock(input);
  if (!parsed.ok) {
    return {
      exercise: 'clock',
      passed: false,
      errors: parsed.errors,
      total,
      right: 0,
      firstFailure: undefined,
    };
  }
  const traces = clockPairs().map(([a, b]) => clockForward(parsed.network, a, b));
  const right = traces.filter((t) => t.right).length;
  const firstFailure = traces.find((t) => !t.right);
  return { exercise: 'clock', passed: right === total, errors: [], total, right, firstFailure };
}

const round = (x: number) => Number(x.toPrecision(4));

/** Why a pair is wrong, in words: another answer wins, or the right one only ties. */
export function failureReason(f: ClockTrace): string {
  const tie = Math.abs(f.margin) <= tieTolerance * Math.max(1, ...f.logits.map(Math.abs));
  return tie
    ? `its logit ${round(f.logits[f.expected]!)} ties with ${f.runnerUp}'s (a tie is wrong)`
    : `the network answers ${f.runnerUp}: logit ${round(f.logits[f.runnerUp]!)} against ${round(f.logits[f.expected]!)}`;
}

/** One line for the command-line grader. */
export function clockVerdictLine(verdict: ClockVerdict): string {
  if (verdict.errors.length > 0) return `invalid: ${verdict.errors.join(' ')}`;
  if (verdict.passed) return `passed: all ${verdict.total} pairs`;
  const f = verdict.firstFailure!;
  return (
    `failed: ${verdict.total - verdict.right} of ${verdict.total} pairs; first failure: ` +
    `(${f.a} + ${f.b}) mod 7 = ${f.expected}, but ${failureReason(f)}`
  );
}
