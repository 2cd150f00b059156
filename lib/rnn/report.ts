// Plain-text summaries of a verdict, for the command-line grader and for logs.
import type { Verdict } from './grade.ts';

/** Bits as people write them and as the editor's verdict shows them: most significant first. */
export const msbFirst = (lsbFirst: readonly number[]): string => [...lsbFirst].reverse().join('');

/**
 * One line: passed/failed, how many cases, and the first failure, every bit string in it written
 * most significant first (as the editor's verdict writes them), which the line says once.
 */
export function verdictLine(verdict: Verdict): string {
  if (verdict.errors.length > 0) return `invalid: ${verdict.errors.join(' ')}`;
  if (verdict.passed) return `passed: all ${verdict.total} cases`;
  const f = verdict.firstFailure;
  const first = f
    ? `; first failure (${f.group}), bits MSB first: ${f.a} and ${f.b} (${f.aDecimal}, ${f.bDecimal}) ` +
      `expected ${msbFirst(f.expected)} got ${msbFirst(f.actual)}, ` +
      `wrong at step ${f.wrongSteps.join(', ')} (step 0 is the least significant bit)`
    : '';
  return `failed: ${verdict.failed} of ${verdict.total} cases${first}`;
}
