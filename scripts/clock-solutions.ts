// Writes tests/fixtures/clock/: hand-built networks for the clock exercise (lesson 7), several
// different correct ones and near misses, each with what the grader must say of it.
//   node scripts/clock-solutions.ts [DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClockActivation, ClockNetwork } from '../lib/clock/network.ts';

const p = 7;
const angle = (k: number, x: number) => (2 * Math.PI * k * x) / p;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Square activations, frequencies `ks`: for each k, eight neurons square sums and differences of
 * cos/sin of wa and wb, so that (u+v)² − (u−v)² = 4uv gives cos w(a+b) and sin w(a+b); the read-out
 * row c adds cos w(a+b)·cos wc + sin w(a+b)·sin wc = cos w(a+b−c). `onlyCos` drops the sin term.
 */
function squareClock(ks: number[], { onlyCos = false } = {}): ClockNetwork {
  const d = 2 * ks.length;
  // Columns of x: [cos ka, sin ka for each k, then the same for b].
  const input = (f: number, part: 'cos' | 'sin', operand: 'a' | 'b') =>
    (operand === 'a' ? 0 : d) + 2 * f + (part === 'cos' ? 0 : 1);
  // Each product uv as the pair (u + v)², (u − v)², with its sign in cos or sin of w(a + b).
  const products: [number, 'cos' | 'sin', 'cos' | 'sin', 'C' | 'S', number][] = ks.flatMap(
    (_, f) => [
      [f, 'cos', 'cos', 'C', 1],
      [f, 'sin', 'sin', 'C', -1],
      [f, 'sin', 'cos', 'S', 1],
      [f, 'cos', 'sin', 'S', 1],
    ],
  );
  const W_in: number[][] = [];
  const W_out: number[][] = range(p).map(() => []);
  for (const [f, u, v, into, sign] of products) {
    for (const s of [1, -1]) {
      const row = new Array<number>(2 * d).fill(0);
      row[input(f, u, 'a')]! += 1;
      row[input(f, v, 'b')]! += s;
      W_in.push(row);
      for (const c of range(p)) {
        const read =
          into === 'C' ? Math.cos(angle(ks[f]!, c)) : onlyCos ? 0 : Math.sin(angle(ks[f]!, c));
        W_out[c]!.push((sign * s * read) / 4);
      }
    }
  }
  return {
    p: 7,
    activation: 'square',
    W_E: range(p).map((a) => ks.flatMap((k) => [Math.cos(angle(k, a)), Math.sin(angle(k, a))])),
    W_in,
    b_in: new Array<number>(W_in.length).fill(0),
    W_out,
    b_out: new Array<number>(p).fill(0),
  };
}

/**
 * ReLU over `m` phases φ_j = 2πj/m, frequency 1: neuron j is relu(cos(wa − φ_j) + cos(wb − φ_j));
 * summed against cos(2φ_j − wc), the second harmonic of relu(cos) leaves cos w(a+b−c). Too few
 * phases (m = 3) let the first harmonic alias onto it.
 */
function reluClock(m: number): ClockNetwork {
  const phase = (j: number) => (2 * Math.PI * j) / m;
  return {
    p: 7,
    activation: 'relu',
    W_E: range(p).map((a) => [Math.cos(angle(1, a)), Math.sin(angle(1, a))]),
    W_in: range(m).map((j) => [
      Math.cos(phase(j)),
      Math.sin(phase(j)),
      Math.cos(phase(j)),
      Math.sin(phase(j)),
    ]),
    b_in: new Array<number>(m).fill(0),
    W_out: range(p).map((c) => range(m).map((j) => Math.cos(2 * phase(j) - angle(1, c)))),
    b_out: new Array<number>(p).fill(0),
  };
}

const scaled = (net: ClockNetwork, by: number, bias: number): ClockNetwork => ({
  ...net,
  W_out: net.W_out.map((row) => row.map((w) => w * by)),
  b_out: net.b_out.map(() => bias),
});
const withActivation = (net: ClockNetwork, activation: ClockActivation) => ({ ...net, activation });

/** Each network, and whether it must pass. */
export function clockSolutions(): Record<string, { network: ClockNetwork; passes: boolean }> {
  const one = squareClock([1]);
  return {
    'square-one-frequency.json': { network: one, passes: true },
    'square-two-frequencies.json': { network: squareClock([1, 3]), passes: true },
    'relu-eight-phases.json': { network: reluClock(8), passes: true },
    'scaled-with-bias.json': { network: scaled(squareClock([2]), 0.01, 3), passes: true },
    'only-cos-term.json': { network: squareClock([1], { onlyCos: true }), passes: false },
    'square-weights-under-relu.json': { network: withActivation(one, 'relu'), passes: false },
    'relu-three-phases.json': { network: reluClock(3), passes: false },
    'never-answers-zero.json': {
      network: { ...one, b_out: one.b_out.map((b, c) => (c === 0 ? -10 : b)) },
      passes: false,
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const dir = process.argv[2] ?? 'tests/fixtures/clock';
  mkdirSync(dir, { recursive: true });
  for (const [name, { network }] of Object.entries(clockSolutions())) {
    writeFileSync(join(dir, name), JSON.stringify(network, null, 2) + '\n');
  }
  console.log(`Wrote ${Object.keys(clockSolutions()).length} networks to ${dir}`);
}
