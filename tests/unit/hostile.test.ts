// Hostile and careless inputs to the parsers and command lines: each gets a clear message and a
// non-zero exit, never a stack trace, a hang, a cut-off output or a silently wrong answer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../lib/modarith/data.ts';
import { readOnnx } from '../../lib/onnx/read.ts';
import { ProtoWriter } from '../../lib/onnx/protobuf.ts';
import { safetensors } from '../../scripts/hostile-corpus.ts';
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

describe('the safetensors reader', () => {
  const data = new Uint8Array(32);
  it.each([
    [
      'a negative offset',
      { a: { dtype: 'F32', shape: [4], data_offsets: [-16, 0] } },
      'The header entry of tensor a is malformed',
    ],
    [
      'overlapping tensors',
      {
        a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
        b: { dtype: 'F32', shape: [4], data_offsets: [8, 24] },
      },
      'Tensors a and b overlap',
    ],
    [
      'data shorter than the shape',
      { a: { dtype: 'F32', shape: [16], data_offsets: [0, 32] } },
      'does not match its 32 bytes',
    ],
  ])('refuses %s', (_, header, message) => {
    expect(() => readSafetensors(safetensors(header, data))).toThrow(message);
  });

  it('refuses a header entry that is not an object (found by fuzzing)', () => {
    expect(() => readSafetensors(safetensors({ a: null }, data))).toThrow(
      'The header entry of tensor a is not an object',
    );
  });

  it('refuses a tensor named twice (JSON would keep only the last)', () => {
    const entry = '{"dtype":"F32","shape":[4],"data_offsets":[0,16]}';
    const text = new TextEncoder().encode(`{"a":${entry},"a":${entry.replace('0,16', '16,32')}}`);
    const file = new Uint8Array(8 + text.length + 32);
    new DataView(file.buffer).setBigUint64(0, BigInt(text.length), true);
    file.set(text, 8);
    expect(() => readSafetensors(file)).toThrow('The header names tensor a twice');
  });

  it('says that p is too large before allocating anything of size p³', () => {
    const header = {
      'embed.W_E': { dtype: 'F32', shape: [1002, 1], data_offsets: [0, 4008] },
      'blocks.0.attn.W_Q': { dtype: 'F32', shape: [1, 1, 1], data_offsets: [4008, 4012] },
      'blocks.0.mlp.W_in': { dtype: 'F32', shape: [1, 1], data_offsets: [4012, 4016] },
    };
    const started = performance.now();
    expect(() => loadModel(safetensors(header, new Uint8Array(4016)))).toThrow(
      'so p = 1001: the course handles p up to 257',
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('the ONNX reader', () => {
  it('refuses a run of 0xFF bytes quickly, in linear time', () => {
    const started = performance.now();
    expect(() => readOnnx(new Uint8Array(1_000_000).fill(0xff))).toThrow(
      'a varint longer than 10 bytes',
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses an initializer shorter than its dims', () => {
    const model = new ProtoWriter()
      .message(7, (graph) =>
        graph.message(5, (t) =>
          t.int(1, 4).int(1, 4).int(2, 1).string(8, 'W').raw(9, new Uint8Array(8)),
        ),
      )
      .finish();
    expect(() => readOnnx(model)).toThrow('initializer W has 8 bytes where dims [4, 4] need 64');
  });
});

describe('npm run train', () => {
  const small = ['--p', '23', '--d-model', '16', '--d-mlp', '32', '--epochs', '2'];
  it.each([
    [['--epoch', '2'], 'unknown option --epoch (a typo?)'],
    [['--fraction', '0'], '--fraction must be above 0 and below 1'],
    [['--fraction', '1'], '--fraction must be above 0 and below 1'],
    [['--fraction', '1.5'], '--fraction must be above 0 and below 1'],
    [['--p', '4'], '--p must be an odd whole number from 5 to 257, got 4.'],
    [['--p', '9', '--op', 'divide'], '--op divide needs a prime p'],
    [['--d-model', '0'], '--d-model must be a whole number ≥ 1, got 0.'],
    [['--heads', '2.5'], '--heads must be a whole number ≥ 1, got 2.5.'],
    [['--epochs', '-1'], '--epochs must be a whole number ≥ 1.'],
    [['--seed', '-3'], '--seed must be a whole number ≥ 0, got -3.'],
  ])('refuses %j before writing anything', (bad, message) => {
    const out = mkdtempSync(join(tmpdir(), 'train-bad-'));
    const result = run('scripts/train.ts', ['--out', out, ...small, ...bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    noStackTrace(result.stderr);
    expect(existsSync(join(out, 'split.json'))).toBe(false);
  });

  it('refuses an --out that is a file, and a run whose state is damaged', () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const onFile = run('scripts/train.ts', ['--out', file, ...small]);
    expect([onFile.status, onFile.stderr.trim()]).toEqual([
      2,
      `--out ${file} is a file, not a folder.`,
    ]);
    const out = mkdtempSync(join(tmpdir(), 'train-resume-'));
    writeFileSync(join(out, 'state.safetensors'), new Uint8Array(20));
    const resumed = run('scripts/train.ts', ['--out', out, '--resume', '--epochs', '4']);
    expect(resumed.status).toBe(2);
    expect(resumed.stderr).toContain(
      `The run in ${out} cannot be resumed: state.safetensors: The header is not valid JSON`,
    );
    noStackTrace(resumed.stderr);
  });

  it('cannot make division labels for a p that is not prime', () => {
    expect(() => makeDataset('divide', 9)).toThrow('Division mod 9 is not defined for every b');
  });
});
