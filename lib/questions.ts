// The lessons' questions: judging an answer (a choice, or a number within a tolerance), saying why
// a wrong one is wrong, and the reader's progress, kept in the browser like the exercise drafts.

/** A typical wrong number and what to say to it: "that is the gradient, not the attribution". */
export interface NearMiss {
  value: number;
  /** How far from `value` a typed number may be and still get this message; 0 unless given */
  tolerance?: number;
  say: string;
}

export type QuestionSpec =
  | {
      kind: 'choice';
      choices: string[];
      answer: number;
      /** Why each choice is tempting and wrong, by choice index; the right one's entry is unused */
      whyNot: string[];
    }
  | { kind: 'number'; answer: number; tolerance: number; near?: NearMiss[] | undefined };

/** Right; or wrong, with what to say about this particular wrong answer ('' if nothing); or unreadable. */
export type Judgement = { correct: true } | { correct: false; why: string } | { problem: string };

/** A number as people type it: "12", "-0.5", "1e-3", "0,25" with a decimal comma. */
function readNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/^(-?\d+),(\d+)$/, '$1.$2');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Judges an answer: right, or wrong and why, or a problem with what was typed (nothing is recorded). */
export function judge(spec: QuestionSpec, given: string): Judgement {
  if (spec.kind === 'choice') {
    const index = Number(given);
    if (given === '' || !Number.isInteger(index) || index < 0 || index >= spec.choices.length) {
      return { problem: 'Pick one of the answers first.' };
    }
    return index === spec.answer
      ? { correct: true }
      : { correct: false, why: spec.whyNot[index] ?? '' };
  }
  const value = readNumber(given);
  if (value === undefined) {
    return given.trim() === ''
      ? { problem: 'Type a number first.' }
      : {
          problem: `"${given.trim().slice(0, 30)}" is not a number: type digits, such as 12 or 0.5.`,
        };
  }
  if (Math.abs(value - spec.answer) <= spec.tolerance) return { correct: true };
  const miss = spec.near?.find((n) => Math.abs(value - n.value) <= (n.tolerance ?? 0));
  return { correct: false, why: miss?.say ?? '' };
}

/**
 * What is missing from a question's props, as messages that name the prop (empty when complete):
 * every wrong choice needs its own explanation, and every question a hint. The component throws
 * these, so a lesson whose question lacks one does not build.
 */
export function questionProblems(
  id: string,
  props: {
    choices?: string[] | undefined;
    answer: number;
    whyNot?: string[] | undefined;
    hint?: string | undefined;
  },
): string[] {
  const problems: string[] = [];
  if (!props.hint?.trim()) problems.push(`Question ${id}: \`hint\` is missing or empty.`);
  if (!props.choices) return problems;
  const { choices, answer, whyNot = [] } = props;
  if (!Number.isInteger(answer) || answer < 0 || answer >= choices.length) {
    problems.push(`Question ${id}: \`answer\` ${answer} is not the index of one of its choices.`);
  }
  if (whyNot.length !== choices.length) {
    problems.push(
      `Question ${id}: \`whyNot\` has ${whyNot.length} entries for ${choices.length} choices (one per choice, the right one's '').`,
    );
  }
  choices.forEach((choice, i) => {
    if (i !== answer && !whyNot[i]?.trim()) {
      problems.push(`Question ${id}: \`whyNot[${i}]\` must say why "${choice}" is wrong.`);
    }
  });
  return problems;
}

/**
 * What the browser keeps of one question: the last answer given and whether it was right, and
 * `right`, the first right answer given, which a later wrong one never erases. Records kept before
 * `right` existed have none; their `correct` stands for it.
 */
export interface QuestionRecord {
  answer: string;
  correct: boolean;
  right?: string;
}

export const questionsKey = 'grokking:questions:v1';

/** The ids of the questions a lesson's MDX asks (`<Question id="06/neuron-cells" …>`), in order. */
export function questionIdsIn(body: string): string[] {
  return [...body.matchAll(/<Question\b[^>]*?\bid="([^"]*)"/g)].map((m) => m[1]!);
}

/** The record after answering `answer` (right or not): a right answer, once given, is kept. */
export function recordAnswer(
  previous: QuestionRecord | undefined,
  answer: string,
  correct: boolean,
): QuestionRecord {
  const right = previous && everRight(previous) ? (previous.right ?? previous.answer) : undefined;
  if (correct) return { answer, correct, right: right ?? answer };
  return right === undefined ? { answer, correct } : { answer, correct, right };
}

/** Whether the question has ever been answered right. */
export function everRight(record: QuestionRecord): boolean {
  return record.right !== undefined || record.correct;
}

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
        r.answer.length > 200 ||
        (r.right !== undefined && (typeof r.right !== 'string' || r.right.length > 200))
      ) {
        throw new Error();
      }
      records[id] = { answer: r.answer, correct: r.correct };
      if (r.right !== undefined) records[id].right = r.right;
    }
    return { records, broken: false };
  } catch {
    return { records: {}, broken: true };
  }
}

/**
 * Of a lesson's questions (their ids): how many were answered, and how many ever right. Records of
 * questions the lesson no longer asks are not counted.
 */
export function lessonProgress(
  records: Record<string, QuestionRecord>,
  ids: string[],
): { answered: number; right: number } {
  const own = ids.flatMap((id) => (Object.hasOwn(records, id) ? [records[id]!] : []));
  return { answered: own.length, right: own.filter(everRight).length };
}

/** The course map's words for a lesson's questions: "1 of 3 questions answered right (2 answered)". */
export function progressWords(
  progress: { answered: number; right: number },
  total: number,
): string {
  const noun = total === 1 ? 'question' : 'questions';
  const words = `${progress.right} of ${total} ${noun} answered right`;
  return progress.answered > progress.right ? `${words} (${progress.answered} answered)` : words;
}
