// Plain-text summaries of a verdict, for the command-line grader and for logs.
import type { Verdict } from './grade.ts';

/** One line: passed/failed, how many cases, and the first failure. */
export function verdictLine(verdict: Verdict): string {
  if (verdict.errors.length > 0) return `invalid: ${verdict.errors.join(' ')}`;
  if (verdict.passed) return `passed: all ${verdict.total} cases`;
  const f = verdict.firstFailure;
  const first = f
    ? `; first failure (${f.group}): ${f.a} and ${f.b} (${f.aDecimal}, ${f.bDecimal}) ` +
      `expected ${f.expected.join('')} got ${f.actual.join('')} (LSB first), ` +
      `wrong at step ${f.wrongSteps.join(', ')}`
    : '';
  return `failed: ${verdict.failed} of ${verdict.total} cases${first}`;
}
