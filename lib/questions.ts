// The lessons' questions: judging an answer (a choice, or a number within a tolerance) and the
// reader's progress, kept in the browser like the exercise drafts.

export type QuestionSpec =
  | { kind: 'choice'; choices: string[]; answer: number }
  | { kind: 'number'; answer: number; tolerance: number };

export type Judgement = { correct: boolean } | { problem: string };

/** A number as people type it: "12", "-0.5", "1e-3", "0,25" with a decimal comma. */
function readNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/^(-?\d+),(\d+)$/, '$1.$2');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Judges an answer: right or wrong, or a problem with what was typed (nothing is recorded). */
export function judge(spec: QuestionSpec, given: string): Judgement {
  if (spec.kind === 'choice') {
    const index = Number(given);
    if (given === '' || !Number.isInteger(index) || index < 0 || index >= spec.choices.length) {
      return { problem: 'Pick one of the answers first.' };
    }
    return { correct: index === spec.answer };
  }
  const value = readNumber(given);
  if (value === undefined) {
    return given.trim() === ''
      ? { problem: 'Type a number first.' }
      : {
          problem: `"${given.trim().slice(0, 30)}" is not a number: type digits, such as 12 or 0.5.`,
        };
  }
  return { correct: Math.abs(value - spec.answer) <= spec.tolerance };
}

/** What the browser keeps of one question: the last answer given, and whether it was right. */
export interface QuestionRecord {
  answer: string;
  correct: boolean;
}

export const questionsKey = 'grokking:questions:v1';

/**
 * The kept records, by question id ("06/neuron-cells"); a damaged store reads as empty and
 * `broken` (the caller sets it aside).
 */
export function readRecords(text: string | null): {
  records: Record<string, QuestionRecord>;
  broken: boolean;
} {
  if (text === null) return { records: {}, broken: false };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
    const records: Record<string, QuestionRecord> = {};
    for (const [id, record] of Object.entries(value)) {
      const r = record as Partial<QuestionRecord> | null;
      if (
        typeof r?.answer !== 'string' ||
        typeof r.correct !== 'boolean' ||
        r.answer.length > 200
      ) {
        throw new Error();
      }
      records[id] = { answer: r.answer, correct: r.correct };
    }
    return { records, broken: false };
  } catch {
    return { records: {}, broken: true };
  }
}

/** How many of a lesson's questions (ids starting "LESSON/") the records hold as answered right. */
export function answeredRight(records: Record<string, QuestionRecord>, lesson: string): number {
  return Object.entries(records).filter(([id, r]) => id.startsWith(`${lesson}/`) && r.correct)
    .length;
}
