// Facts the lessons state about the course's own small networks, computed at build time by the
// same code the widgets run, so that the prose cannot drift from what the page shows.
import { rnnAttributions } from '../components/attribution/rnn-attributions.ts';

/** A relative gap as the widget's check reads: "127%", "8.9%", "less than 0.01%". */
const percent = (x: number) =>
  100 * x >= 10
    ? `${Math.round(100 * x).toLocaleString('en')}%`
    : 100 * x >= 0.01
      ? `${(100 * x).toPrecision(2)}%`
      : 'less than 0.01%';

/** Lesson 2's sharpness experiment on the default input 100111 + 110010. */
export function sharpnessExperiment() {
  const run = (sharpness: number, steps: number) => {
    const r = rnnAttributions({
      a: '100111',
      b: '110010',
      sharpness,
      baseline: 'zeros',
      steps,
      gradientKind: 'gradient',
    });
    return {
      adds: r.outputBits.join('') === r.expectedBits.join(''),
      gradient: Math.max(...r.gradient.map((row) => Math.max(...row.map(Math.abs)))),
      // As the widget reports it: the worst output's gap, relative to its change.
      gap: Math.max(
        ...r.completeness.map((c) => c.gap / Math.max(1e-3, Math.abs(c.value - c.baselineValue))),
      ),
    };
  };
  const [from, to, beyond, fewSteps, manySteps] = [6, 10, 20, 64, 1000];
  const soft = run(from, fewSteps);
  const few = run(to, fewSteps);
  const many = run(to, manySteps);
  const sharpest = run(beyond, manySteps);
  return {
    from,
    to,
    beyond,
    fewSteps,
    manySteps,
    addsAll: soft.adds && many.adds && sharpest.adds,
    gradientFrom: soft.gradient.toPrecision(2),
    gradientTo: many.gradient.toPrecision(2),
    fewGap: percent(few.gap),
    manyGap: percent(many.gap),
    beyondGap: percent(sharpest.gap),
    raw: { soft, few, many, sharpest },
  };
}
