// The lessons' questions: judging answers and reading the kept progress.
import { describe, expect, it } from 'vitest';
import { answeredRight, judge, readRecords } from '../../lib/questions.ts';

describe('judging an answer', () => {
  const choice = { kind: 'choice' as const, choices: ['x', 'y', 'z'], answer: 1 };
  const number = { kind: 'number' as const, answer: Math.cos((2 * Math.PI) / 7), tolerance: 0.01 };

  it('takes the right choice and refuses the others, or no choice at all', () => {
    expect(judge(choice, '1')).toEqual({ correct: true });
    expect(judge(choice, '2')).toEqual({ correct: false });
    expect(judge(choice, '')).toEqual({ problem: 'Pick one of the answers first.' });
    expect(judge(choice, '7')).toEqual({ problem: 'Pick one of the answers first.' });
  });

  it('takes a number within its tolerance, a decimal comma too, and names what is not a number', () => {
    expect(judge(number, '0.62')).toEqual({ correct: true });
    expect(judge(number, '0,63')).toEqual({ correct: true });
    expect(judge(number, '0.6')).toEqual({ correct: false });
    expect(judge(number, ' ')).toEqual({ problem: 'Type a number first.' });
    expect(judge(number, 'cos(2pi/7)')).toEqual({
      problem: '"cos(2pi/7)" is not a number: type digits, such as 12 or 0.5.',
    });
    expect(judge(number, 'Infinity')).toHaveProperty('problem');
  });
});

describe('the kept answers', () => {
  it('count per lesson, only the right ones', () => {
    const { records, broken } = readRecords(
      JSON.stringify({
        '06/cells': { answer: '1', correct: true },
        '06/ablate': { answer: '2', correct: false },
        '07/tie': { answer: '1', correct: true },
      }),
    );
    expect(broken).toBe(false);
    expect(answeredRight(records, '06')).toBe(1);
    expect(answeredRight(records, '07')).toBe(1);
    expect(answeredRight(records, '01')).toBe(0);
  });

  it('read as empty and broken when damaged, as empty when absent', () => {
    expect(readRecords(null)).toEqual({ records: {}, broken: false });
    for (const text of ['{', '[]', '{"06/x": null}', '{"06/x": {"answer": 1, "correct": true}}']) {
      expect(readRecords(text), text).toEqual({ records: {}, broken: true });
    }
  });
});
