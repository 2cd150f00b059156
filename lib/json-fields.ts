// Reading fields of an untrusted JSON object (a weights file) with messages that name each
// wrong entry and describe, never dump, what was found.
import { excerpt } from './printable.ts';

/** The deepest nesting of lists and objects a file of the course's may have (runs need 4). */
export const maxJsonDepth = 64;

/**
 * How deeply `text`'s lists and objects nest, found by one pass over its characters (strings
 * skipped), so that a file nested a million deep is refused before anything recursive (a
 * String() of a nested list, a JSON.stringify) can overflow the stack. Stops past `limit`.
 */
export function jsonDepth(text: string, limit = maxJsonDepth): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c) i++;
      }
    } else if (c === 0x5b || c === 0x7b) {
      deepest = Math.max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * JSON.parse after a nesting check: `what` (say "The header") names the text in the message
 * when it nests deeper than maxJsonDepth or is not JSON.
 */
export function parseJson(text: string, what: string): unknown {
  if (jsonDepth(text) > maxJsonDepth) {
    throw new Error(`${what} nests lists or objects more than ${maxJsonDepth} deep.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${what} is not valid JSON.`);
  }
}

/** A short description of a wrong value: never the whole of a large or deeply nested one. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return `the text "${excerpt(value)}"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} entries`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function readVector(
  value: unknown,
  name: string,
  length: number,
  errors: string[],
): number[] {
  if (!Array.isArray(value)) {
    errors.push(`${name} must be a list of ${length} numbers, got ${describe(value)}.`);
    return [];
  }
  if (value.length !== length) {
    errors.push(`${name} must have ${length} entries, got ${value.length}.`);
    return [];
  }
  return value.map((entry: unknown, i) => {
    if (typeof entry !== 'number' || !Number.isFinite(entry)) {
      errors.push(`${name}[${i}] must be a finite number, got ${describe(entry)}.`);
      return 0;
    }
    return entry;
  });
}

export function readMatrix(
  value: unknown,
  name: string,
  rows: number,
  cols: number,
  errors: string[],
): number[][] {
  const shape = `${rows} × ${cols}`;
  if (!Array.isArray(value) || value.length !== rows) {
    const got = Array.isArray(value) ? `${value.length} rows` : describe(value);
    errors.push(`${name} must be a ${shape} matrix (${rows} rows of ${cols}), got ${got}.`);
    return [];
  }
  return value.map((row: unknown, r) => readVector(row, `${name}[${r}]`, cols, errors));
}
