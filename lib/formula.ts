// Formula cells: a weight typed as an expression, `cos(2*pi*a/7)` or `-sin(4*pi*c/p)/4`, in the
// names a grid offers (its row and column indices, p). A small recursive-descent parser of our
// own: numbers, + − * / ^, parentheses, pi, sin, cos, sqrt, abs. Nothing is handed to eval or
// Function, and hostile text (very long, deeply nested) gets a message, not a stack overflow.

/** What a formula gives: its value, or what is wrong and where (1-based character position). */
export type FormulaResult =
  { ok: true; value: number } | { ok: false; message: string; position: number };

const functions: Record<string, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

/** Longest formula and deepest nesting read: far beyond any weight a person writes. */
export const maxFormulaLength = 200;
const maxDepth = 100;

class FormulaError extends Error {
  /** 0-based character where the problem is */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.position = position;
  }
}

/** A number (its value), a name or an operator (its text), and where it starts. */
interface Token {
  kind: 'number' | 'name' | 'op';
  text: string;
  value: number;
  at: number;
}

function tokens(text: string): Token[] {
  const found: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const rest = text.slice(at);
    const space = /^\s+/.exec(rest);
    const number = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(rest);
    const name = /^[a-z_]\w*/i.exec(rest);
    if (space) at += space[0].length;
    else if (number) {
      found.push({ kind: 'number', text: number[0], value: Number(number[0]), at });
      at += number[0].length;
    } else if (name) {
      found.push({ kind: 'name', text: name[0], value: 0, at });
      at += name[0].length;
    } else if ('+-*/^()'.includes(text[at]!)) {
      found.push({ kind: 'op', text: text[at]!, value: 0, at });
      at += 1;
    } else {
      throw new FormulaError(`"${text[at]}" is not part of a formula`, at);
    }
  }
  return found;
}

/** Evaluates `text` with the given names (e.g. { a: 3, i: 0, p: 7 }); never throws. */
export function evaluateFormula(text: string, names: Record<string, number>): FormulaResult {
  try {
    if (text.length > maxFormulaLength) {
      throw new FormulaError(`longer than ${maxFormulaLength} characters`, maxFormulaLength);
    }
    const list = tokens(text);
    if (list.length === 0) throw new FormulaError('empty', 0);
    let next = 0;
    let depth = 0;
    const peek = () => list[next];
    const isOp = (t: Token | undefined, ops: string): boolean =>
      t?.kind === 'op' && ops.includes(t.text);
    const where = () => peek()?.at ?? text.length;
    const describe = (t: Token | undefined) =>
      t === undefined ? 'the end' : t.kind === 'number' ? `the number ${t.text}` : `"${t.text}"`;
    const expect = (op: string) => {
      const t = peek();
      if (!isOp(t, op))
        throw new FormulaError(`expected "${op}" but found ${describe(t)}`, where());
      next++;
    };
    const nest = <T>(read: () => T): T => {
      if (++depth > maxDepth) throw new FormulaError(`nested more than ${maxDepth} deep`, where());
      const value = read();
      depth--;
      return value;
    };

    const sum = (): number =>
      nest(() => {
        let value = product();
        while (isOp(peek(), '+-'))
          value = list[next++]!.text === '+' ? value + product() : value - product();
        return value;
      });
    const product = (): number => {
      let value = signed();
      while (isOp(peek(), '*/'))
        value = list[next++]!.text === '*' ? value * signed() : value / signed();
      return value;
    };
    // A sign binds looser than ^, as in mathematics: -2^2 is -4.
    const signed = (): number =>
      nest(() => {
        if (isOp(peek(), '+-')) return list[next++]!.text === '-' ? -signed() : signed();
        return power();
      });
    const power = (): number => {
      const base = atom();
      if (!isOp(peek(), '^')) return base;
      next++;
      return base ** signed();
    };
    const atom = (): number => {
      const t = peek();
      if (t === undefined)
        throw new FormulaError('a number or name is missing at the end', text.length);
      next++;
      if (t.kind === 'number') return t.value;
      if (isOp(t, '(')) {
        const value = sum();
        expect(')');
        return value;
      }
      if (t.kind === 'name') {
        const fn = Object.hasOwn(functions, t.text) ? functions[t.text] : undefined;
        if (fn) {
          expect('(');
          const value = sum();
          expect(')');
          return fn(value);
        }
        if (t.text === 'pi') return Math.PI;
        // Own names only: "constructor" is not a weight's name.
        if (Object.hasOwn(names, t.text)) return names[t.text]!;
        const known = [...Object.keys(names), 'pi', ...Object.keys(functions)].join(', ');
        throw new FormulaError(`"${t.text}" is not a name here (use ${known})`, t.at);
      }
      throw new FormulaError(`unexpected ${describe(t)}`, t.at);
    };

    const value = sum();
    if (isOp(peek(), ')')) throw new FormulaError('a ")" has no "(" to close', where());
    if (next < list.length) {
      throw new FormulaError(
        `an operator (+ - * / ^) is missing before ${describe(peek())}`,
        where(),
      );
    }
    if (!Number.isFinite(value)) {
      throw new FormulaError(`it comes to ${value} (a weight must be a finite number)`, 0);
    }
    return { ok: true, value };
  } catch (error) {
    if (error instanceof FormulaError) {
      return { ok: false, message: error.message, position: error.position + 1 };
    }
    throw error;
  }
}

/** A decimal number as people type it: 3, -0.5, .25, 1e-3. Not "0x10", "Infinity" or "1_000". */
const decimal = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A cell's value: a decimal number, or a formula in `names`; a message naming the cell if neither. */
export function cellValue(
  text: string,
  names: Record<string, number>,
  cell: string,
): { ok: true; value: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (decimal.test(trimmed) && Number.isFinite(Number(trimmed))) {
    return { ok: true, value: Number(trimmed) };
  }
  if (trimmed === '')
    return { ok: false, message: `${cell} is empty: type a number or a formula.` };
  const result = evaluateFormula(trimmed, names);
  if (result.ok) return result;
  return {
    ok: false,
    message: `${cell}: "${trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed}" is not a number, and as a formula ${result.message} (at character ${result.position}).`,
  };
}

/** A cell of an editor's grids that is neither a number nor a formula. */
export interface CellError<P extends string> {
  name: P;
  r: number;
  c: number;
  message: string;
}

/**
 * Every cell of an editor's grids read once, in `order`, row by row: the values (NaN where a cell
 * cannot be read) and each such cell's message.
 */
export function readGrids<P extends string>(
  grids: Record<P, string[][]>,
  order: readonly P[],
  read: (name: P, r: number, c: number, text: string) => ReturnType<typeof cellValue>,
): { values: Record<P, number[][]>; errors: CellError<P>[] } {
  const values = {} as Record<P, number[][]>;
  const errors: CellError<P>[] = [];
  for (const name of order) {
    values[name] = grids[name].map((row, r) =>
      row.map((text, c) => {
        const cell = read(name, r, c, text);
        if (cell.ok) return cell.value;
        errors.push({ name, r, c, message: cell.message });
        return Number.NaN;
      }),
    );
  }
  return { values, errors };
}
