// The lessons' questions: judging answers, the kept progress (a right answer is never erased), and
// every lesson's questions complete: a hint each, and an explanation for every wrong choice.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  judge,
  lessonProgress,
  progressWords,
  questionProblems,
  readRecords,
  recordAnswer,
} from '../../lib/questions.ts';

describe('judging an answer', () => {
  const choice = {
    kind: 'choice' as const,
    choices: ['x', 'y', 'z'],
    answer: 1,
    whyNot: ['x is tempting, but', '', 'z is wrong because'],
  };
  const number = {
    kind: 'number' as const,
    answer: Math.cos((2 * Math.PI) / 7),
    tolerance: 0.01,
    near: [{ value: 1 - Math.cos((2 * Math.PI) / 7), tolerance: 0.01, say: 'That is the margin.' }],
  };

  it('takes the right choice, says why each wrong one is wrong, and refuses no choice at all', () => {
    expect(judge(choice, '1')).toEqual({ correct: true });
    expect(judge(choice, '0')).toEqual({ correct: false, why: 'x is tempting, but' });
    expect(judge(choice, '2')).toEqual({ correct: false, why: 'z is wrong because' });
    expect(judge(choice, '')).toEqual({ problem: 'Pick one of the answers first.' });
    expect(judge(choice, '7')).toEqual({ problem: 'Pick one of the answers first.' });
  });

  it('takes a number within its tolerance, a decimal comma too, and names what is not a number', () => {
    expect(judge(number, '0.62')).toEqual({ correct: true });
    expect(judge(number, '0,63')).toEqual({ correct: true });
    expect(judge(number, '0.6')).toEqual({ correct: false, why: '' });
    expect(judge(number, ' ')).toEqual({ problem: 'Type a number first.' });
    expect(judge(number, 'cos(2pi/7)')).toEqual({
      problem: '"cos(2pi/7)" is not a number: type digits, such as 12 or 0.5.',
    });
    expect(judge(number, 'Infinity')).toHaveProperty('problem');
  });

  it('answers a typical wrong number with its own message, within that message’s tolerance', () => {
    expect(judge(number, '0.38')).toEqual({ correct: false, why: 'That is the margin.' });
    expect(judge(number, '0,37')).toEqual({ correct: false, why: 'That is the margin.' });
    expect(judge(number, '0.35')).toEqual({ correct: false, why: '' });
  });
});

describe('the kept answers', () => {
  it('keep a right answer through later wrong ones, and the last answer given', () => {
    const wrong = recordAnswer(undefined, '0', false);
    expect(wrong).toEqual({ answer: '0', correct: false });
    const right = recordAnswer(wrong, '1', true);
    expect(right).toEqual({ answer: '1', correct: true, right: '1' });
    const wrongAgain = recordAnswer(right, '2', false);
    expect(wrongAgain).toEqual({ answer: '2', correct: false, right: '1' });
    expect(recordAnswer(wrongAgain, '0', false)).toEqual({
      answer: '0',
      correct: false,
      right: '1',
    });
    // A record kept before `right` existed: its `correct` stands for it.
    expect(recordAnswer({ answer: '1', correct: true }, '2', false)).toEqual({
      answer: '2',
      correct: false,
      right: '1',
    });
  });

  it('count per lesson, answered and ever right, only the lesson’s own questions', () => {
    const { records, broken } = readRecords(
      JSON.stringify({
        '06/cells': { answer: '1', correct: true },
        '06/ablate': { answer: '2', correct: false },
        '06/sparse': { answer: '0', correct: false, right: '1' },
        '06/gone': { answer: '1', correct: true },
        '07/tie': { answer: '1', correct: true },
      }),
    );
    expect(broken).toBe(false);
    const lesson6 = ['06/sparse', '06/cells', '06/ablate', '06/directions'];
    expect(lessonProgress(records, lesson6)).toEqual({ answered: 3, right: 2 });
    expect(lessonProgress(records, ['07/tie', '07/margin'])).toEqual({ answered: 1, right: 1 });
    expect(lessonProgress(records, ['01/peak'])).toEqual({ answered: 0, right: 0 });
    expect(progressWords({ answered: 3, right: 2 }, 4)).toBe(
      '2 of 4 questions answered right (3 answered)',
    );
    expect(progressWords({ answered: 0, right: 0 }, 3)).toBe('0 of 3 questions answered right');
    expect(progressWords({ answered: 1, right: 1 }, 1)).toBe('1 of 1 question answered right');
  });

  it('read as empty and broken when damaged, as empty when absent', () => {
    expect(readRecords(null)).toEqual({ records: {}, broken: false });
    for (const text of [
      '{',
      '[]',
      '{"06/x": null}',
      '{"06/x": {"answer": 1, "correct": true}}',
      '{"06/x": {"answer": "1", "correct": false, "right": 1}}',
    ]) {
      expect(readRecords(text), text).toEqual({ records: {}, broken: true });
    }
  });
});

describe('a question’s props', () => {
  it('name what is missing: the hint, an explanation per wrong choice, a valid answer', () => {
    const complete = { choices: ['a', 'b'], answer: 1, whyNot: ['a is wrong', ''], hint: 'h' };
    expect(questionProblems('01/x', complete)).toEqual([]);
    expect(questionProblems('01/x', { ...complete, hint: ' ' })).toEqual([
      'Question 01/x: `hint` is missing or empty.',
    ]);
    expect(questionProblems('01/x', { ...complete, whyNot: ['', ''] })).toEqual([
      'Question 01/x: `whyNot[0]` must say why "a" is wrong.',
    ]);
    expect(questionProblems('01/x', { ...complete, whyNot: ['a is wrong'] })[0]).toContain(
      '`whyNot` has 1 entries for 2 choices',
    );
    expect(questionProblems('01/x', { ...complete, answer: 2 })[0]).toContain('`answer` 2');
    expect(questionProblems('01/n', { answer: 8, hint: 'count' })).toEqual([]);
  });
});

/** The end of a JS expression starting at `from` (just after an opening brace): the matching '}'. */
function expressionEnd(text: string, from: number): number {
  let depth = 1;
  const quotes: string[] = [];
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    const inside = quotes.at(-1);
    if (inside) {
      if (c === '\\') i++;
      else if (c === inside) quotes.pop();
      else if (inside === '`' && c === '$' && text[i + 1] === '{') {
        quotes.push('}');
        i++;
      }
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quotes.push(c);
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new Error('unbalanced expression');
}

/** The top-level elements of an array literal's source, "[a, `b${c}`, 'd']". */
function arrayElements(source: string): string[] {
  const inner = source.trim().replace(/^\[/, '').replace(/\]$/, '');
  const wrapped = `${inner},}`;
  const elements: string[] = [];
  let start = 0;
  let depth = 0;
  const quotes: string[] = [];
  for (let i = 0; i < wrapped.length; i++) {
    const c = wrapped[i]!;
    const inside = quotes.at(-1);
    if (inside) {
      if (c === '\\') i++;
      else if (c === inside) quotes.pop();
      else if (inside === '`' && c === '$' && wrapped[i + 1] === '{') quotes.push('}');
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quotes.push(c);
    else if ('[{('.includes(c)) depth++;
    else if (']})'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      elements.push(wrapped.slice(start, i).trim());
      start = i + 1;
    }
  }
  return elements.filter((e) => e !== '');
}

/** Each <Question>'s attribute sources, by name, as written in the lesson's MDX. */
function lessonQuestions(mdx: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  for (const open of mdx.matchAll(/<Question\b/g)) {
    const attrs: Record<string, string> = {};
    let i = open.index + open[0].length;
    for (;;) {
      const rest = mdx.slice(i);
      const attr = /^\s*([\w:]+)(=)?/.exec(rest);
      if (!attr || rest.trimStart().startsWith('>')) break;
      i += attr[0].length;
      if (!attr[2]) continue;
      if (mdx[i] === '"') {
        const end = mdx.indexOf('"', i + 1);
        attrs[attr[1]!] = mdx.slice(i, end + 1);
        i = end + 1;
      } else {
        const end = expressionEnd(mdx, i + 1);
        attrs[attr[1]!] = mdx.slice(i + 1, end);
        i = end + 1;
      }
    }
    found.push(attrs);
  }
  return found;
}

/** Whether a string or template literal's source says something. */
const saysSomething = (source: string) => /^(["'`])[\s\S]*\S[\s\S]*\1$/.test(source.trim());

describe('every lesson’s questions', () => {
  const dir = new URL('../../content/lessons/', import.meta.url);
  const lessons = readdirSync(dir).filter((f) => f.endsWith('.mdx'));
  const all = lessons.flatMap((file) =>
    lessonQuestions(readFileSync(new URL(file, dir), 'utf8')).map((q) => ({ file, q })),
  );

  it('are found, about three a lesson', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(9);
    expect(all.length).toBeGreaterThanOrEqual(2 * lessons.length);
    expect(all.every(({ q }) => q.id?.startsWith('"'))).toBe(true);
  });

  it('each have a hint, and every wrong choice its own explanation', () => {
    const problems: string[] = [];
    for (const { file, q } of all) {
      const where = `${file} ${q.id}`;
      if (!q.hint || !saysSomething(q.hint)) problems.push(`${where}: no hint`);
      // An explanation may be computed (a condition on the run); it must at least be there.
      if (!q.explain?.trim()) problems.push(`${where}: no explanation`);
      if (!q.choices) continue;
      const choices = JSON.parse(q.choices) as string[];
      const whyNot = q.whyNot ? arrayElements(q.whyNot) : [];
      // A computed answer may be any choice, so then every choice needs its explanation.
      const answer = /^\d+$/.test(q.answer ?? '') ? Number(q.answer) : undefined;
      if (whyNot.length !== choices.length) {
        problems.push(`${where}: ${whyNot.length} whyNot for ${choices.length} choices`);
      }
      choices.forEach((choice, i) => {
        if (i !== answer && !saysSomething(whyNot[i] ?? '')) {
          problems.push(`${where}: nothing says why "${choice}" is wrong`);
        }
      });
      const distinct = new Set(whyNot.filter(saysSomething));
      if (distinct.size !== whyNot.filter(saysSomething).length) {
        problems.push(`${where}: two choices share one explanation`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('are caught when incomplete (the check can fail)', () => {
    const broken = `<Question
  id="01/x"
  choices={["a", "b {c}", "d"]}
  answer={0}
  explain={\`fine \${x}\`}
  hint={""}
  whyNot={["", \`b \${y}, z\`]}
>`;
    const [q] = lessonQuestions(broken);
    expect(q!.choices).toBe('["a", "b {c}", "d"]');
    expect(arrayElements(q!.whyNot!)).toEqual(['""', '`b ${y}, z`']);
    expect(saysSomething(q!.hint!)).toBe(false);
    expect(saysSomething(q!.explain!)).toBe(true);
  });
});
