// Hostile and careless inputs to the parsers and command lines: each gets a clear message and a
// non-zero exit, never a stack trace, a hang, a cut-off output or a silently wrong answer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../lib/modarith/data.ts';
import { progressMeasures } from '../../lib/modarith/progress.ts';
import { loadModel, readSafetensors, saveModel } from '../../lib/modarith/safetensors.ts';
import { zeroWeights } from '../../lib/rnn/network.ts';
import { parseWeightsJson } from '../../lib/rnn/validate.ts';

const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('the RNN weights parser', () => {
  it('names a deeply nested field instead of overflowing the stack', () => {
    const nested = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = JSON.stringify(zeroWeights(2)).replace('"b_y":[0]', `"b_y":${nested}`);
    const parsed = parseWeightsJson(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join(' ')).toContain('b_y[0] must be a finite number');
  });

  it('reads a file that starts with a byte-order mark', () => {
    expect(parseWeightsJson('\uFEFF' + JSON.stringify(zeroWeights(2))).ok).toBe(true);
  });

  it('keeps a long wrong text short in its message', () => {
    const text = JSON.stringify({ ...zeroWeights(2), activation: 'x'.repeat(10_000) });
    const parsed = parseWeightsJson(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join(' ').length).toBeLessThan(300);
  });
});

describe('npm run grade', () => {
  it('grades a deeply nested file with a message, and the rest of the batch still', () => {
    const nested = join(dir, 'nested.json');
    writeFileSync(nested, `{"hidden_size": 2, "W_xh": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`);
    const zeros = join(dir, 'zeros.json');
    writeFileSync(zeros, JSON.stringify(zeroWeights(2)));
    const result = run('scripts/grade.ts', [nested, zeros]);
    expect(result.status).toBe(1);
    noStackTrace(result.stderr);
    expect(result.stdout).toContain('nested.json');
    expect(result.stdout).toContain('zeros.json');
  });

  it('writes all of a long --json report through a pipe', () => {
    // A carry that fades over a long chain fails late, with a long trace in each verdict.
    const leaky = readFileSync('tests/fixtures/rnn/leaky-carry.json', 'utf8');
    const files = Array.from({ length: 20 }, (_, i) => {
      const path = join(dir, `failing-${i}.json`);
      writeFileSync(path, leaky);
      return path;
    });
    // A reader that starts late, as `| less` or a slow consumer does: the pipe fills at 64 KiB.
    const piped = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" scripts/grade.ts --json "$@" | (sleep 1; cat)`,
        'grade',
        ...files,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    expect(piped.stdout.length).toBeGreaterThan(100_000);
    const report = JSON.parse(piped.stdout) as { file: string }[];
    expect(report.map((r) => r.file)).toEqual(files);
  });
});

describe('key frequencies', () => {
  it('must be distinct: a repeated one would count twice in the projection', () => {
    const p = 23;
    const logits = new Float64Array(p * p * p);
    expect(() => progressMeasures({ p, op: 'add', logits, keyFreqs: [3, 5, 3] })).toThrow(
      'Key frequency 3 is given twice.',
    );
    expect(makeDataset('add', p).indices.length).toBe(p * p);
  });

  it('are refused twice over by the CLI and by npm run train, before anything is written', () => {
    const cli = run('scripts/cli.ts', [
      'analyze',
      'tests/fixtures/modarith/generalised.safetensors',
      '--key-freqs',
      '8,10,19,8',
    ]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('Key frequency 8 is given twice.');
    noStackTrace(cli.stderr);
    const out = join(dir, 'run');
    const train = run('scripts/train.ts', [
      '--out',
      out,
      '--p',
      '23',
      '--d-model',
      '16',
      '--d-mlp',
      '32',
      '--epochs',
      '2',
      '--key-freqs',
      '3,3',
    ]);
    expect(train.status).toBe(2);
    expect(train.stderr).toContain('--key-freqs: Key frequency 3 is given twice.');
    noStackTrace(train.stderr);
    expect(existsSync(join(out, 'split.json'))).toBe(false);
  });
});

describe('non-finite weights', () => {
  it('are refused by the model reader the CLI and the page share, naming the tensor', () => {
    const good = readFileSync('tests/fixtures/modarith/generalised.safetensors');
    const { params } = loadModel(new Uint8Array(good));
    params['blocks.0.mlp.W_in'].data[7] = Number.NaN;
    const bad = saveModel(params, { op: 'add' });
    expect(() => loadModel(bad)).toThrow(
      'Tensor blocks.0.mlp.W_in holds NaN at entry 7: every weight must be a finite number.',
    );
    expect(readSafetensors(bad).tensors.size).toBeGreaterThan(0); // the file itself is well formed
    const path = join(dir, 'nan.safetensors');
    writeFileSync(path, bad);
    const cli = run('scripts/cli.ts', ['analyze', path, '--json']);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('holds NaN at entry 7');
    expect(cli.stdout).toBe('');
  });
});
