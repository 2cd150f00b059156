// Reading fields of an untrusted JSON object (a weights file) with messages that name each
// wrong entry and describe, never dump, what was found.

/** A short description of a wrong value: never the whole of a large or deeply nested one. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
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
