// The clock editor's working copy: every entry kept as typed text, a number or a formula in the
// names its grid offers (lib/formula.ts), with conversions to and from the network file.
import { cellValue, readGrids, type CellError } from '../formula.ts';
import { parseClock, type ParsedClock } from './grade.ts';
import {
  clockActivations,
  clockModulus,
  maxEmbedding,
  maxNeurons,
  type ClockActivation,
  type ClockNetwork,
} from './network.ts';

export const clockParams = ['W_E', 'W_in', 'b_in', 'W_out', 'b_out'] as const;
export type ClockParam = (typeof clockParams)[number];

export interface ClockDraft {
  activation: ClockActivation;
  /** Embedding width */
  d: number;
  /** Hidden neurons */
  n: number;
  /** Every parameter as a grid of typed text; the vectors b_in and b_out are columns. */
  params: Record<ClockParam, string[][]>;
}

const p = clockModulus;

/** The grid shape [rows, cols] of a parameter. */
export function clockShape(name: ClockParam, d: number, n: number): [number, number] {
  return { W_E: [p, d], W_in: [n, 2 * d], b_in: [n, 1], W_out: [p, n], b_out: [p, 1] }[name] as [
    number,
    number,
  ];
}

/** The names a formula may use in each grid: its row's and column's index, and p. */
export const formulaNames: Record<ClockParam, { row: string; col?: string }> = {
  W_E: { row: 'a', col: 'i' },
  W_in: { row: 'j', col: 'i' },
  b_in: { row: 'j' },
  W_out: { row: 'c', col: 'j' },
  b_out: { row: 'c' },
};

/** The names, with their values, for cell (r, c) of a grid. */
export function cellNames(name: ClockParam, r: number, c: number): Record<string, number> {
  const { row, col } = formulaNames[name];
  return { [row]: r, ...(col && { [col]: c }), p };
}

/** A draft of zeros. */
export function emptyClockDraft(d = 2, n = 8, activation: ClockActivation = 'square'): ClockDraft {
  const params = {} as Record<ClockParam, string[][]>;
  for (const name of clockParams) {
    const [rows, cols] = clockShape(name, d, n);
    params[name] = Array.from({ length: rows }, () => new Array<string>(cols).fill('0'));
  }
  return { activation, d, n, params };
}

/** The draft at other sizes: entries that still fit are kept, new ones are 0. */
export function resizeClockDraft(draft: ClockDraft, d: number, n: number): ClockDraft {
  const next = emptyClockDraft(d, n, draft.activation);
  for (const name of clockParams) {
    next.params[name] = next.params[name].map((row, r) =>
      row.map((zero, c) => draft.params[name][r]?.[c] ?? zero),
    );
  }
  return next;
}

/** The editor's copy of a network. */
export function clockDraftFromNetwork(net: ClockNetwork): ClockDraft {
  const text = (rows: number[][]) => rows.map((row) => row.map(String));
  return {
    activation: net.activation,
    d: net.W_E[0]!.length,
    n: net.W_in.length,
    params: {
      W_E: text(net.W_E),
      W_in: text(net.W_in),
      b_in: net.b_in.map((v) => [String(v)]),
      W_out: text(net.W_out),
      b_out: net.b_out.map((v) => [String(v)]),
    },
  };
}

/** Every cell read once: its value, or (a message naming the cell) why it is neither a number nor a
 *  formula. */
function readCells(draft: ClockDraft) {
  return readGrids(draft.params, clockParams, (name, r, c, text) => {
    const label =
      clockShape(name, draft.d, draft.n)[1] === 1 ? `${name}[${r}]` : `${name}[${r}][${c}]`;
    return cellValue(text, cellNames(name, r, c), label);
  });
}

/** Every cell's value, formulas evaluated ([rows][cols] per parameter; NaN where a cell is unreadable). */
export function clockCellValues(draft: ClockDraft): Record<ClockParam, number[][]> {
  return readCells(draft).values;
}

/** Every cell whose text is neither a number nor a formula, with its message. */
export function clockCellErrors(draft: ClockDraft): CellError<ClockParam>[] {
  return readCells(draft).errors;
}

/** The draft as a network, every formula evaluated; the cells' or the network's errors if not. */
export function clockFromDraft(draft: ClockDraft): ParsedClock {
  const { values, errors } = readCells(draft);
  if (errors.length > 0) return { ok: false, errors: errors.map((e) => e.message) };
  return parseClock({
    p,
    activation: draft.activation,
    W_E: values.W_E,
    W_in: values.W_in,
    b_in: values.b_in.map((row) => row[0]),
    W_out: values.W_out,
    b_out: values.b_out.map((row) => row[0]),
  });
}

/** Reads a draft kept in local storage; undefined when it is missing or not a draft. */
export function restoreClockDraft(saved: string | null): ClockDraft | undefined {
  if (!saved) return undefined;
  try {
    const value = JSON.parse(saved) as Partial<ClockDraft>;
    const { d, n } = value;
    const whole = (x: unknown, max: number): x is number =>
      typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= max;
    if (!whole(d, maxEmbedding) || !whole(n, maxNeurons)) return undefined;
    if (!clockActivations.some((a) => a === value.activation)) return undefined;
    if (typeof value.params !== 'object' || value.params === null) return undefined;
    for (const name of clockParams) {
      const grid: unknown = value.params[name];
      const [rows, cols] = clockShape(name, d, n);
      const ok =
        Array.isArray(grid) &&
        grid.length === rows &&
        grid.every(
          (row: unknown) =>
            Array.isArray(row) &&
            row.length === cols &&
            row.every((t) => typeof t === 'string' && t.length <= 500),
        );
      if (!ok) return undefined;
    }
    return { activation: value.activation!, d, n, params: value.params };
  } catch {
    return undefined;
  }
}
