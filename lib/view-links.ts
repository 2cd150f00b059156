// Links to a view: each widget's settings as parameters of the page's query string, and back
// (docs/view-links.md). Reading never trusts the URL: text that is not a number or one of the
// choices is ignored, and a number out of range is moved to the nearest end of it.

/** A whole number from `text`, rounded and moved into [min, max]; undefined unless it is a plain number. */
export function wholeIn(text: string | null, min: number, max: number): number | undefined {
  if (text === null || !/^\s*[+-]?\d+(\.\d+)?\s*$/.test(text)) return undefined;
  // Thousands of digits read as Infinity, which the clamp turns into `max`.
  return Math.min(max, Math.max(min, Math.round(Number(text))));
}

/** `text` if it is one of `choices`, else undefined. */
export function oneOf<T extends string>(text: string | null, choices: readonly T[]): T | undefined {
  return choices.find((c) => c === text);
}

/**
 * Whole numbers separated by commas, each moved into [min, max], repeats dropped, at most `most`;
 * undefined if any part is not a number. An empty text is the empty list.
 */
export function wholesIn(
  text: string | null,
  min: number,
  max: number,
  most: number,
): number[] | undefined {
  if (text === null) return undefined;
  if (text.trim() === '') return [];
  const parts = text.split(',', most + 1);
  if (parts.length > most) return undefined;
  const values = parts.map((part) => wholeIn(part, min, max));
  if (values.some((v) => v === undefined)) return undefined;
  return [...new Set(values as number[])];
}

/** `search` (with or without its '?') with `values` set, or removed where undefined; the other
 * parameters are kept, in their order. Returns '' or '?…'. */
export function withParams(search: string, values: Record<string, string | undefined>): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * How one widget's view reads from and writes to the query: its parameter names (distinct across
 * widgets, so two on one page never collide), the view a query names (the default for what it
 * leaves out or gets wrong), and the view as text, one value per name.
 */
export interface ViewParams<View, Limits> {
  keys: readonly string[];
  read(params: URLSearchParams, limits: Limits): View;
  write(view: View): string[];
}

/** The query's values for `view`: none at all when every one is the default view's. */
export function paramsOf<View, Limits>(
  spec: ViewParams<View, Limits>,
  view: View,
  fallback: View,
): Record<string, string | undefined> {
  const mine = spec.write(view);
  const plain = mine.every((value, i) => value === spec.write(fallback)[i]);
  return Object.fromEntries(spec.keys.map((key, i) => [key, plain ? undefined : mine[i]]));
}

/** Whether the query `search` names any of this widget's parameters. */
export function isNamed(spec: { keys: readonly string[] }, search: string): boolean {
  const params = new URLSearchParams(search);
  return spec.keys.some((key) => params.has(key));
}

/** The view the query `search` names. */
export function viewIn<View, Limits>(
  spec: ViewParams<View, Limits>,
  search: string,
  limits: Limits,
): View {
  return spec.read(new URLSearchParams(search), limits);
}

/** An input (a, b) of a view over inputs mod p, under `prefix` (calc, logit). */
export interface InputView {
  a: number;
  b: number;
}

/** The calculator's and the logit view's (a, b): whole numbers from 0 to p − 1. */
export function inputParams(prefix: string, fallback: InputView): ViewParams<InputView, number> {
  return {
    keys: [`${prefix}-a`, `${prefix}-b`],
    read: (params, p) => ({
      a: wholeIn(params.get(`${prefix}-a`), 0, p - 1) ?? Math.min(fallback.a, p - 1),
      b: wholeIn(params.get(`${prefix}-b`), 0, p - 1) ?? Math.min(fallback.b, p - 1),
    }),
    write: ({ a, b }) => [String(a), String(b)],
  };
}

/** What the attention view shows attention to, as the URL spells it ('=' is `eq`). */
export const attentionTargets = ['a', 'b', 'eq'] as const;

/** The attention view's target, 0 (a), 1 (b) or 2 ('='). */
export const attentionParams: ViewParams<number, undefined> = {
  keys: ['attention-to'],
  read: (params) =>
    Math.max(
      0,
      attentionTargets.indexOf(oneOf(params.get('attention-to'), attentionTargets) ?? 'a'),
    ),
  write: (target) => [attentionTargets[target] ?? 'a'],
};

/** The neuron view's neuron, from 0 to d_mlp − 1 (the limit). */
export const neuronParams: ViewParams<number, number> = {
  keys: ['neuron'],
  read: (params, dMlp) => wholeIn(params.get('neuron'), 0, dMlp - 1) ?? 0,
  write: (neuron) => [String(neuron)],
};

/** The ablation view's switches: the key frequencies switched off, and every other frequency. */
export interface AblationView {
  off: number[];
  keepOthers: boolean;
}

/** Frequencies run from 1 to (p − 1)/2, p the limit; `others` is `on` or `off`. */
export const ablationParams: ViewParams<AblationView, number> = {
  keys: ['ablate-off', 'ablate-others'],
  read: (params, p) => {
    const top = Math.max(1, Math.floor((p - 1) / 2));
    return {
      off: (wholesIn(params.get('ablate-off'), 1, top, top) ?? []).sort((x, y) => x - y),
      keepOthers: oneOf(params.get('ablate-others'), ['on', 'off']) !== 'off',
    };
  },
  write: ({ off, keepOthers }) => [
    [...off].sort((x, y) => x - y).join(','),
    keepOthers ? 'on' : 'off',
  ],
};

/** The weight inspector's slice: a parameter, the axis read along, the others' indices, the value
 * under the data inspector. */
export interface SliceView<Name extends string> {
  name: Name;
  along: number;
  /** One index per axis; the one at `along` is not written */
  at: number[];
  cursor: number;
}

/** What a slice is read against: the parameters' names and each one's axis sizes. */
export interface SliceLimits<Name extends string> {
  names: readonly Name[];
  sizes(name: Name): number[];
  fallback: SliceView<Name>;
}

/** `inspect-at` lists the indices of every axis but the one read along, in order. */
export function sliceParams<Name extends string>(): ViewParams<SliceView<Name>, SliceLimits<Name>> {
  return {
    keys: ['inspect-param', 'inspect-along', 'inspect-at', 'inspect-value'],
    read: (params, { names, sizes, fallback }) => {
      const name = oneOf(params.get('inspect-param'), names) ?? fallback.name;
      const axes = sizes(name);
      const alongFallback = Math.min(fallback.along, axes.length - 1);
      const along = wholeIn(params.get('inspect-along'), 0, axes.length - 1) ?? alongFallback;
      const fixed = axes.flatMap((_, i) => (i === along ? [] : [i]));
      const given = params.get('inspect-at')?.split(',', fixed.length + 1) ?? [];
      const at = axes.map((size, i) => {
        const j = fixed.indexOf(i);
        const index = j < 0 ? undefined : wholeIn(given[j] ?? null, 0, size - 1);
        return index ?? Math.min(fallback.at[i] ?? 0, size - 1);
      });
      const cursor = wholeIn(params.get('inspect-value'), 0, axes[along]! - 1) ?? 0;
      return { name, along, at, cursor };
    },
    write: ({ name, along, at, cursor }) => [
      name,
      String(along),
      at.filter((_, i) => i !== along).join(','),
      String(cursor),
    ],
  };
}

/** The scrubber's epoch: one of the recorded run's evaluations, in order; a number between two
 * goes to the nearest, one outside them to the first or last. */
export const epochParams: ViewParams<number, { epochs: readonly number[]; fallback: number }> = {
  keys: ['scrub-epoch'],
  read: (params, { epochs, fallback }) => {
    const wanted = wholeIn(params.get('scrub-epoch'), epochs[0] ?? 0, epochs.at(-1) ?? 0);
    if (wanted === undefined || epochs.length === 0) return fallback;
    return epochs.reduce((best, e) => (Math.abs(e - wanted) < Math.abs(best - wanted) ? e : best));
  },
  write: (epoch) => [String(epoch)],
};
