// The clock exercise (lesson 7): formula cells, the network file's reader, the grader against an
// independent float64 re-derivation, the hand-built solutions and near misses, the editor's draft
// and the instructors' command line.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cellNames,
  clockDraftFromNetwork,
  clockFromDraft,
  emptyClockDraft,
  resizeClockDraft,
  restoreClockDraft,
} from '../../lib/clock/draft.ts';
import { gradeClock, parseClockJson } from '../../lib/clock/grade.ts';
import { rowFrequencyNorms, type ClockNetwork } from '../../lib/clock/network.ts';
import { fourier1d, fourierBasis, frequencyNorms } from '../../lib/modarith/fourier.ts';
import { ClockEditing } from '../../components/clock/clock-editing.svelte.ts';
import { evaluateFormula } from '../../lib/formula.ts';
import { clockSolutions } from '../../scripts/clock-solutions.ts';
import { KeptStore } from '../../lib/kept-store.ts';
import { mapStorage } from './map-storage.ts';

const dir = 'tests/fixtures/clock';
const fixture = (name: string) =>
  JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) as ClockNetwork;

/**
 * The first pair (a-major) whose right logit does not beat every other, worked out here from the
 * definition with plain loops: the grader's reference, written apart from lib/clock.
 */
function firstWrongPair(net: ClockNetwork): [number, number] | undefined {
  for (let a = 0; a < 7; a++) {
    for (let b = 0; b < 7; b++) {
      const x = net.W_E[a]!.concat(net.W_E[b]!);
      const h: number[] = [];
      for (let j = 0; j < net.W_in.length; j++) {
        let s = net.b_in[j]!;
        for (let i = 0; i < x.length; i++) s += net.W_in[j]![i]! * x[i]!;
        h.push(net.activation === 'relu' ? (s > 0 ? s : 0) : s * s);
      }
      const logits: number[] = [];
      for (let c = 0; c < 7; c++) {
        let s = net.b_out[c]!;
        for (let j = 0; j < h.length; j++) s += net.W_out[c]![j]! * h[j]!;
        logits.push(s);
      }
      const want = (a + b) % 7;
      const best = Math.max(...logits.filter((_, c) => c !== want));
      if (!(logits[want]! - best > 1e-9 * Math.max(1, ...logits.map(Math.abs)))) return [a, b];
    }
  }
  return undefined;
}

describe('a formula cell', () => {
  const names = { a: 3, c: 5, p: 7 };
  it.each([
    ['cos(2*pi*a/7)', Math.cos((2 * Math.PI * 3) / 7)],
    ['-sin(2*pi*2*c/p)/4', -Math.sin((2 * Math.PI * 2 * 5) / 7) / 4],
    ['0.25', 0.25],
    ['2^3^2', 512],
    ['-2^2', -4],
    ['(1 + 2) * 3 - 4 / 8', 8.5],
    ['sqrt(abs(-16)) + .5e1', 9],
  ])('%s', (text, value) => {
    const result = evaluateFormula(text, names);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toBeCloseTo(value, 14);
  });

  it.each([
    ['cos(2*pi*x/7)', '"x" is not a name here (use a, c, p, pi, sin, cos, sqrt, abs)', 10],
    ['cos(2*pi*a/7', 'expected ")" but found the end', 13],
    ['2 * ', 'a number or name is missing at the end', 5],
    ['sin 3', 'expected "(" but found the number 3', 5],
    ['3 $ 4', '"$" is not part of a formula', 3],
    ['1)', 'a ")" has no "(" to close', 2],
    ['sqrt(-1)', 'it comes to NaN (a weight must be a finite number)', 1],
    ['constructor', '"constructor" is not a name here', 1],
    ['('.repeat(150) + '1' + ')'.repeat(150), 'longer than 200 characters', 201],
    ['('.repeat(90) + '1' + ')'.repeat(90), 'nested more than 100 deep', 51],
  ])('%s is refused, saying where', (text, message, position) => {
    const result = evaluateFormula(text, names);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain(message);
      expect(result.position).toBe(position);
    }
  });
});

describe('the clock grader', () => {
  it('the fixtures are what scripts/clock-solutions.ts writes', () => {
    const made = clockSolutions();
    expect(readdirSync(dir).sort()).toEqual(Object.keys(made).sort());
    for (const [name, { network }] of Object.entries(made)) {
      expect(fixture(name), name).toEqual(JSON.parse(JSON.stringify(network)));
    }
  });

  it.each(Object.entries(clockSolutions()))(
    '%s: passes or fails as built, first failure as re-derived',
    (name, { passes }) => {
      const net = fixture(name);
      const verdict = gradeClock(net);
      expect(verdict.errors).toEqual([]);
      expect(verdict.passed).toBe(passes);
      const wrong = firstWrongPair(net);
      expect(wrong === undefined).toBe(passes);
      if (wrong) {
        const f = verdict.firstFailure!;
        expect([f.a, f.b]).toEqual(wrong);
        expect(f.expected).toBe((f.a + f.b) % 7);
        expect(f.logits[f.expected]! - f.logits[f.runnerUp]!).toBeCloseTo(f.margin, 12);
        expect(f.hidden).toHaveLength(net.W_in.length);
      }
    },
  );

  it('names the near misses as the lesson explains them', () => {
    expect(gradeClock(fixture('never-answers-zero.json')).firstFailure).toMatchObject({
      a: 0,
      b: 0,
    });
    expect(gradeClock(fixture('only-cos-term.json')).firstFailure).toMatchObject({
      a: 0,
      b: 1,
      answer: 0,
    });
    expect(gradeClock(fixture('relu-three-phases.json')).right).toBeLessThan(49);
  });

  it('counts a tie as wrong', () => {
    const net = fixture('square-one-frequency.json');
    const silent = { ...net, W_out: net.W_out.map((row) => row.map(() => 0)) };
    const verdict = gradeClock(silent);
    expect(verdict.right).toBe(0);
    expect(verdict.firstFailure).toMatchObject({ a: 0, b: 0, margin: 0 });
  });

  it.each([
    ['{"p": 7', 'This is not valid JSON'],
    ['[1, 2]', 'The network must be a JSON object, got a list of 2 entries.'],
    ['{"p": 5}', 'p must be 7, got 5.'],
    [
      '{"p": 7, "activation": "tanh", "W_E": [[1]], "W_out": [[1]]}',
      'activation must be one of square, relu; got the text "tanh".',
    ],
    [
      JSON.stringify({ p: 7, activation: 'relu', W_E: [new Array(9).fill(0)], W_out: [[0]] }),
      'd (the length of each W_E row) must be from 1 to 8, got 9.',
    ],
    [
      JSON.stringify({ p: 7, activation: 'relu', W_E: [[0]], W_out: [new Array(33).fill(0)] }),
      'n (the length of each W_out row) must be from 1 to 32, got 33.',
    ],
    [
      '{"p": 7, "activation": "relu", "W_E": ' +
        '['.repeat(5000) +
        ']'.repeat(5000) +
        ', "W_out": [[0]]}',
      'W_E must be a 7 × 1 matrix (7 rows of 1), got 1 rows.',
    ],
  ])('refuses a malformed file (case %#)', (text, message) => {
    const parsed = parseClockJson(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join(' ')).toContain(message);
  });

  it('names each wrong entry of a well-shaped file', () => {
    const net = fixture('square-one-frequency.json') as unknown as Record<string, unknown>;
    const bad = {
      ...net,
      b_in: [...(net['b_in'] as number[]).slice(1), 'x'],
      W_in: (net['W_in'] as number[][]).slice(1),
    };
    const parsed = parseClockJson(JSON.stringify({ ...bad, b_out: [null, 0, 0, 0, 0, 0, 0] }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toContain('W_in must be a 8 × 4 matrix (8 rows of 4), got 7 rows.');
      expect(parsed.errors).toContain('b_in[7] must be a finite number, got the text "x".');
      expect(parsed.errors).toContain('b_out[0] must be a finite number, got null.');
    }
  });
});

describe("the clock editor's draft", () => {
  it('typed as formulas, gives the one-frequency solution', () => {
    const draft = emptyClockDraft(2, 8);
    const net = fixture('square-one-frequency.json');
    draft.params.W_E = Array.from({ length: 7 }, () => ['cos(2*pi*a/p)', 'sin(2*pi*a/p)']);
    draft.params.W_in = net.W_in.map((row) => row.map(String));
    const signs = [1, -1, -1, 1];
    draft.params.W_out = Array.from({ length: 7 }, () => [
      ...signs.map((s) => `${s}*cos(2*pi*c/p)/4`),
      ...[1, -1, 1, -1].map((s) => `${s}*sin(2*pi*c/p)/4`),
    ]);
    const parsed = clockFromDraft(draft);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(gradeClock(parsed.network).passed).toBe(true);
      parsed.network.W_E.forEach((row, a) =>
        row.forEach((w, i) => expect(w).toBeCloseTo(net.W_E[a]![i]!, 15)),
      );
    }
  });

  it('names a bad cell and where its formula goes wrong', () => {
    const draft = emptyClockDraft(2, 8);
    draft.params.W_out[3]![5] = 'cos(2*pi*c/7';
    draft.params.b_in[2]![0] = '';
    const parsed = clockFromDraft(draft);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toEqual([
        'b_in[2] is empty: type a number or a formula.',
        'W_out[3][5]: "cos(2*pi*c/7" is not a number, and as a formula expected ")" but found the end (at character 13).',
      ]);
    }
  });

  it('gives each grid its own names', () => {
    expect(cellNames('W_E', 3, 1)).toEqual({ a: 3, i: 1, p: 7 });
    expect(cellNames('W_out', 2, 5)).toEqual({ c: 2, j: 5, p: 7 });
    expect(cellNames('b_in', 4, 0)).toEqual({ j: 4, p: 7 });
  });

  it('resizes, keeps what fits, and restores only a well-formed saved draft', () => {
    const draft = clockDraftFromNetwork(fixture('square-one-frequency.json'));
    const bigger = resizeClockDraft(draft, 3, 10);
    expect(bigger.params.W_in[0]).toEqual([...draft.params.W_in[0]!, '0', '0']);
    expect(bigger.params.W_out[0]).toHaveLength(10);
    expect(restoreClockDraft(JSON.stringify(bigger))).toEqual(bigger);
    expect(restoreClockDraft(JSON.stringify({ ...bigger, d: 9 }))).toBeUndefined();
    expect(restoreClockDraft(JSON.stringify({ ...bigger, n: 11 }))).toBeUndefined();
    expect(restoreClockDraft(JSON.stringify({ ...bigger, activation: 'gelu' }))).toBeUndefined();
    expect(restoreClockDraft('{"d":')).toBeUndefined();
  });
});

describe('npm run grade -- --exercise clock', () => {
  const grade = (...args: string[]) =>
    spawnSync(process.execPath, ['scripts/grade.ts', ...args], { encoding: 'utf8' });

  it('prints a line per file and exits 1 when any fails', () => {
    const result = grade(
      '--exercise',
      'clock',
      `${dir}/square-one-frequency.json`,
      `${dir}/only-cos-term.json`,
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      `${dir}/square-one-frequency.json: passed: all 49 pairs\n` +
        `${dir}/only-cos-term.json: failed: 42 of 49 pairs; first failure: (0 + 1) mod 7 = 1, but the network answers 0: logit 0.6235 against 0.3887\n`,
    );
    expect(grade('--exercise', 'clock', `${dir}/relu-eight-phases.json`).status).toBe(0);
  });

  it('writes the whole verdict as JSON, and a CSV row per file for a gradebook', () => {
    const json = grade('--exercise', 'clock', '--json', `${dir}/never-answers-zero.json`);
    const [{ verdict }] = JSON.parse(json.stdout) as [
      { verdict: { right: number; firstFailure: { a: number } } },
    ];
    expect(verdict.right).toBe(42);
    expect(verdict.firstFailure.a).toBe(0);
    const csv = grade(
      '--exercise',
      'clock',
      '--csv',
      `${dir}/square-one-frequency.json`,
      `${dir}/never-answers-zero.json`,
      'missing.json',
    );
    expect(csv.status).toBe(1);
    // RFC 4180 rows end in CRLF; these files name no student, so the name and ID are empty.
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe(
      'file,student_name,student_id,exercise,points,points_possible,passed,first_failure',
    );
    expect(lines[1]).toBe(`${dir}/square-one-frequency.json,,,clock,49,49,true,`);
    expect(lines[2]).toBe(
      `${dir}/never-answers-zero.json,,,clock,42,49,false,(0 + 0) mod 7: the network answers 1: logit 0.6235 against -9`,
    );
    expect(lines[3]).toMatch(/^missing\.json,,,clock,0,49,false,"Cannot read the file: ENOENT/);
    const rnn = grade('--csv', 'tests/fixtures/rnn/leaky-carry.json');
    expect(rnn.stdout.trim().split('\r\n')[1]).toBe(
      'tests/fixtures/rnn/leaky-carry.json,,,add,88417,88648,false,16383 + 1',
    );
  });

  it('refuses a malformed file with a message, never a stack trace', () => {
    const result = grade('--exercise', 'clock', 'tests/fixtures/rnn/step-solution.json');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('invalid: p must be 7, got nothing.');
    expect(result.stderr).toBe('');
    expect(grade('--exercise', 'clocks', 'x.json').stderr).toContain(
      '--exercise must be add, xor, clock or questions',
    );
    expect(grade('--json', '--csv', 'x.json').status).toBe(2);
  });
});

describe("the clock editor's session", () => {
  const memory = () => {
    const items = new Map<string, string>();
    return { items, storage: new KeptStore(() => mapStorage(items)) };
  };

  it('imports, fills down, checks, remembers it was solved, and undoes an import', () => {
    const { items, storage } = memory();
    const editing = new ClockEditing(storage);
    editing.restore();
    editing.importText('mine.json', readFileSync(`${dir}/only-cos-term.json`, 'utf8'));
    expect(editing.notice).toBe('Imported mine.json.');
    editing.check();
    expect(editing.verdict?.firstFailure).toMatchObject({ a: 0, b: 1 });
    editing.edit('W_out', 0, 4, 'sin(2*pi*c/p)/4');
    editing.fillDown('W_out', 0, 4);
    expect(editing.draft.params.W_out.map((row) => row[4])).toEqual(
      new Array(7).fill('sin(2*pi*c/p)/4'),
    );
    expect(editing.stale).toBe(true);
    const solution = fixture('square-one-frequency.json');
    editing.importText('good.json', JSON.stringify(solution));
    editing.check();
    expect(editing.verdict?.passed).toBe(true);
    expect(items.get(ClockEditing.solvedKey)).toBe('1');
    editing.save();
    const again = new ClockEditing(storage);
    again.restore();
    expect(again.solved).toBe(true);
    expect(clockFromDraft(again.draft)).toEqual({ ok: true, network: solution });
    again.restoreUndo(); // nothing to undo in a fresh session
    editing.restoreUndo();
    expect(editing.draft.params.W_out[0]![4]).toBe('sin(2*pi*c/p)/4');
  });

  it('takes "solved" away, in the page and in storage, once an edit breaks the network', () => {
    const { items, storage } = memory();
    const editing = new ClockEditing(storage);
    editing.restore();
    editing.importText('mine.json', JSON.stringify(fixture('square-one-frequency.json')));
    editing.check();
    expect([editing.solved, items.get(ClockEditing.solvedKey)]).toEqual([true, '1']);
    editing.edit('W_E', 3, 0, '2'); // still a network, no longer a clock
    editing.save();
    expect(editing.network).toBeDefined();
    expect(gradeClock(editing.network!).passed).toBe(false);
    expect([editing.solved, items.get(ClockEditing.solvedKey)]).toEqual([false, '0']);
    expect(editing.notice).toContain('no longer marked solved');
    editing.check(); // back to solved only through a passing check
    expect(editing.solved).toBe(false);
  });

  it('names a bad file and keeps the draft; sets a damaged saved draft aside', () => {
    const { items, storage } = memory();
    items.set(ClockEditing.draftKey, '{"d": 2, "n": 8, "activation": "square", "params": null}');
    const editing = new ClockEditing(storage);
    editing.restore();
    expect(editing.notice).toContain('could not be read');
    expect(items.get(`${ClockEditing.draftKey}.broken.1`)).toContain('"params": null');
    expect(editing.draft).toEqual(emptyClockDraft());
    editing.importText('notes.json', '{"p": 5}');
    expect(editing.importErrors).toEqual([
      'notes.json: p must be 7, got 5.',
      'notes.json: activation must be one of square, relu; got nothing.',
      'notes.json: W_E must be a 7 × d matrix, got nothing.',
      'notes.json: W_out must be a 7 × n matrix, got nothing.',
    ]);
    editing.edit('b_out', 2, 0, '1/0');
    editing.check();
    expect(editing.verdict?.errors).toEqual([
      'b_out[2]: "1/0" is not a number, and as a formula it comes to Infinity (a weight must be a finite number) (at character 1).',
    ]);
    expect(editing.exportText()).toBeUndefined();
  });
});

describe('the spectra shown once solved', () => {
  it("are the embedding's Fourier norms as lib/modarith computes them", () => {
    const net = fixture('square-two-frequencies.json');
    const F = fourierBasis(7);
    for (const rows of [net.W_E, net.W_out]) {
      const width = rows[0]!.length;
      const expected = frequencyNorms(
        fourier1d(F, Float64Array.from(rows.flat()), 7, width),
        7,
        width,
      );
      const norms = rowFrequencyNorms(rows);
      norms.forEach((x, k) => expect(x).toBeCloseTo(expected[k]!, 12));
    }
    // Frequencies 1 and 3, nothing at 2.
    expect(rowFrequencyNorms(net.W_E)[1]).toBeCloseTo(0, 12);
  });
});
