// The weight editor's working copy: every entry kept as the text the student typed, so that a
// half-typed "-0." is never lost, with conversions to and from the weights format.
import { cellValue, readGrids, type CellError } from '../formula.ts';
import { activations, zeroWeights, type Activation, type RnnWeights } from './network.ts';

export const paramNames = ['W_xh', 'W_hh', 'b_h', 'h0', 'W_hy', 'b_y'] as const;
export type ParamName = (typeof paramNames)[number];

export interface Draft {
  hidden_size: number;
  activation: Activation;
  output_activation: Activation;
  /** Every parameter as a grid of typed text; vectors b_h and h0 are columns [H][1]. */
  params: Record<ParamName, string[][]>;
}

/** The grid shape [rows, cols] of a parameter for hidden size H. */
export function paramShape(name: ParamName, H: number): [number, number] {
  switch (name) {
    case 'W_xh':
      return [H, 2];
    case 'W_hh':
      return [H, H];
    case 'b_h':
    case 'h0':
      return [H, 1];
    case 'W_hy':
      return [1, H];
    case 'b_y':
      return [1, 1];
  }
}

/** The editor's copy of some weights. */
export function draftFromWeights(w: RnnWeights): Draft {
  const text = (rows: number[][]) => rows.map((row) => row.map((v) => String(v)));
  const column = (values: number[]) => values.map((v) => [String(v)]);
  return {
    hidden_size: w.hidden_size,
    activation: w.activation,
    output_activation: w.output_activation,
    params: {
      W_xh: text(w.W_xh),
      W_hh: text(w.W_hh),
      b_h: column(w.b_h),
      h0: column(w.h0),
      W_hy: text(w.W_hy),
      b_y: [[String(w.b_y[0] ?? 0)]],
    },
  };
}

/** A fresh draft of zeros. */
export function emptyDraft(hiddenSize: number): Draft {
  return draftFromWeights(zeroWeights(hiddenSize));
}

/** The draft at another hidden size: entries that still fit are kept, new ones are 0. */
export function resizeDraft(draft: Draft, H: number): Draft {
  const params = {} as Record<ParamName, string[][]>;
  for (const name of paramNames) {
    const [rows, cols] = paramShape(name, H);
    const old = draft.params[name];
    params[name] = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => old[r]?.[c] ?? '0'),
    );
  }
  return { ...draft, hidden_size: H, params };
}

/**
 * What cell (r, c) of a grid holds: a decimal number (3, -0.5, .25, 1e-3; not "0x10") or a formula
 * in i (the row) and k (the column), as lib/formula.ts reads it; `ok: false` with a message
 * naming the cell otherwise.
 */
export function rnnCell(name: ParamName, r: number, c: number, text: string) {
  const label =
    name === 'W_xh' || name === 'W_hh' || name === 'W_hy' ? `${name}[${r}][${c}]` : `${name}[${r}]`;
  return cellValue(text, { i: r, k: c }, label);
}

/** Every cell's value, formulas evaluated ([rows][cols] per parameter; NaN where unreadable). */
export function rnnCellValues(draft: Draft): Record<ParamName, number[][]> {
  return readGrids(draft.params, paramNames, rnnCell).values;
}

/** Every cell of the draft that is neither a number nor a formula, with its message. */
export function rnnCellErrors(draft: Draft): CellError<ParamName>[] {
  return readGrids(draft.params, paramNames, rnnCell).errors;
}

/** The draft in the weights-file format, formulas evaluated; entries that are neither numbers nor
 *  formulas left as text for the validator to name. */
export function draftToJson(draft: Draft): Record<string, unknown> {
  const entry = (name: ParamName, r: number, c: number, text: string): number | string => {
    const value = rnnCell(name, r, c, text);
    return value.ok ? value.value : text;
  };
  const grid = (name: ParamName) =>
    draft.params[name].map((row, r) => row.map((text, c) => entry(name, r, c, text)));
  const vector = (name: ParamName) =>
    draft.params[name].map((row, r) => entry(name, r, 0, row[0] ?? ''));
  return {
    hidden_size: draft.hidden_size,
    activation: draft.activation,
    output_activation: draft.output_activation,
    W_xh: grid('W_xh'),
    W_hh: grid('W_hh'),
    b_h: vector('b_h'),
    W_hy: grid('W_hy'),
    b_y: [entry('b_y', 0, 0, draft.params.b_y[0]?.[0] ?? '')],
    h0: vector('h0'),
  };
}

/** Reads a draft saved in local storage; undefined when it is missing or not a draft. */
export function restoreDraft(saved: string | null): Draft | undefined {
  if (!saved) return undefined;
  try {
    const value = JSON.parse(saved) as Partial<Draft>;
    const H = value.hidden_size;
    if (typeof H !== 'number' || !Number.isInteger(H) || H < 1 || H > 16) return undefined;
    const isActivation = (a: unknown): a is Activation => activations.some((x) => x === a);
    if (!isActivation(value.activation) || !isActivation(value.output_activation)) return undefined;
    if (typeof value.params !== 'object' || value.params === null) return undefined;
    for (const name of paramNames) {
      const grid: unknown = value.params[name];
      const [rows, cols] = paramShape(name, H);
      const ok =
        Array.isArray(grid) &&
        grid.length === rows &&
        grid.every(
          (row: unknown) =>
            Array.isArray(row) && row.length === cols && row.every((t) => typeof t === 'string'),
        );
      if (!ok) return undefined;
    }
    return value as Draft;
  } catch {
    return undefined;
  }
}
