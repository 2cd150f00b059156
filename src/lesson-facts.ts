// Facts the lessons state about the course's own small networks, computed at build time by the
// same code the widgets run, so that the prose cannot drift from what the page shows.
import { readFileSync } from 'node:fs';
import { rnnAttributions } from '../components/attribution/rnn-attributions.ts';
import { allInputs, forward } from '../lib/modarith/forward.ts';
import { keyFrequencies } from '../lib/modarith/measures.ts';
import { loadModel } from '../lib/modarith/safetensors.ts';

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

/**
 * Lesson 9's worked example: the restricted and excluded losses of a small model (p = 11,
 * models/worked-example), written out step by step with plain loops, apart from
 * lib/modarith/progress.ts, which the CLI uses and the unit tests compare against.
 */
export function workedExample(a = 3, b = 5) {
  const dir = 'models/worked-example';
  const { params, config } = loadModel(new Uint8Array(readFileSync(`${dir}/model.safetensors`)));
  const train = JSON.parse(readFileSync(`${dir}/split.json`, 'utf8')) as number[];
  const { p } = config;
  const n = p * p;
  const out = forward(params, config, allInputs(p), 'float64');
  const L = (i: number, c: number) => out.logits[i * p + c]!;
  const keyFreqs = keyFrequencies(out.hooks.mlp_post, p, config.d_mlp).keyFreqs;
  // The directions: cos and sin of w_k (a + b) over the p² inputs (i = a·p + b), unit length.
  const directions = keyFreqs.flatMap((k) =>
    [Math.cos, Math.sin].map((f) => {
      const v = Array.from({ length: n }, (_, i) =>
        f((2 * Math.PI * k * (Math.floor(i / p) + (i % p))) / p),
      );
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    }),
  );
  // For each answer c, the logits over all inputs projected onto their span: Σ_d ⟨L_c, d⟩ d.
  const PL = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  for (let c = 0; c < p; c++) {
    for (const d of directions) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += L(i, c) * d[i]!;
      for (let i = 0; i < n; i++) PL[i]![c]! += dot * d[i]!;
    }
  }
  const mean = Array.from({ length: p }, (_, c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += L(i, c) - PL[i]![c]!;
    return s / n;
  });
  const restricted = (i: number) => PL[i]!.map((x, c) => x + mean[c]!);
  const excluded = (i: number) => PL[i]!.map((x, c) => L(i, c) - x);
  /** −log softmax(row)[answer], computed stably */
  const loss = (row: number[], answer: number) => {
    const top = Math.max(...row);
    return top + Math.log(row.reduce((s, x) => s + Math.exp(x - top), 0)) - row[answer]!;
  };
  const label = (i: number) => (Math.floor(i / p) + (i % p)) % p;
  const all = Array.from({ length: n }, (_, i) => i);
  const i = a * p + b;
  if (keyFreqs.length === 0)
    throw new Error('lesson-facts: the worked example has no key frequencies to project onto.');
  const top = (row: number[]) => row.indexOf(Math.max(...row));
  return {
    p,
    keyFreqs,
    /** Whether (a, b) is a training pair */
    inTraining: train.includes(i),
    /** The answer each row ranks first */
    tops: { restricted: top(restricted(i)), excluded: top(excluded(i)) },
    trainSize: train.length,
    a,
    b,
    answer: (a + b) % p,
    /** The one input's rows over c = 0…p−1 */
    rows: {
      logits: Array.from({ length: p }, (_, c) => L(i, c)),
      projected: PL[i]!,
      restricted: restricted(i),
      excluded: excluded(i),
    },
    inputLosses: {
      full: loss(
        Array.from({ length: p }, (_, c) => L(i, c)),
        (a + b) % p,
      ),
      restricted: loss(restricted(i), (a + b) % p),
      excluded: loss(excluded(i), (a + b) % p),
    },
    fullLoss:
      all.reduce(
        (s, j) =>
          s +
          loss(
            Array.from({ length: p }, (_, c) => L(j, c)),
            label(j),
          ),
        0,
      ) / n,
    restrictedLoss: all.reduce((s, j) => s + loss(restricted(j), label(j)), 0) / n,
    excludedLoss: train.reduce((s, j) => s + loss(excluded(j), label(j)), 0) / train.length,
  };
}
