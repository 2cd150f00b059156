// Checks a weights object from a student or a file and explains, field by field, what is wrong.
import { errorMessage } from '../errors.ts';
import { describe, readMatrix, readVector } from '../json-fields.ts';
import { activations, maxHiddenSize, type Activation, type RnnWeights } from './network.ts';

export type Parsed = { ok: true; weights: RnnWeights } | { ok: false; errors: string[] };

function readActivation(value: unknown, name: string, errors: string[]): Activation {
  const found = activations.find((a) => a === value);
  if (!found)
    errors.push(`${name} must be one of ${activations.join(', ')}; got ${describe(value)}.`);
  return found ?? 'step';
}

/** Validates untrusted weights; never throws. Missing `h0` means zeros. */
export function parseWeights(input: unknown): Parsed {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [`The weights must be a JSON object, got ${describe(input)}.`] };
  }
  const fields = input as Record<string, unknown>;
  const size = fields['hidden_size'];
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > maxHiddenSize) {
    return {
      ok: false,
      errors: [
        `hidden_size must be a whole number from 1 to ${maxHiddenSize}, got ${describe(size)}.`,
      ],
    };
  }
  const errors: string[] = [];
  const weights: RnnWeights = {
    hidden_size: size,
    activation: readActivation(fields['activation'], 'activation', errors),
    output_activation: readActivation(fields['output_activation'], 'output_activation', errors),
    W_xh: readMatrix(fields['W_xh'], 'W_xh', size, 2, errors),
    W_hh: readMatrix(fields['W_hh'], 'W_hh', size, size, errors),
    b_h: readVector(fields['b_h'], 'b_h', size, errors),
    W_hy: readMatrix(fields['W_hy'], 'W_hy', 1, size, errors),
    b_y: readVector(fields['b_y'], 'b_y', 1, errors),
    h0:
      fields['h0'] === undefined
        ? new Array<number>(size).fill(0)
        : readVector(fields['h0'], 'h0', size, errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, weights };
}

/** Parses weights from JSON text; a syntax error becomes a message, not an exception. */
export function parseWeightsJson(text: string): Parsed {
  let value: unknown;
  try {
    // A byte-order mark, as some editors write, is not part of the JSON.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = errorMessage(error);
    return { ok: false, errors: [`This is not valid JSON: ${reason}`] };
  }
  return parseWeights(value);
}
