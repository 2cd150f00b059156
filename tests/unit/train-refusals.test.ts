// npm run train refuses, before it trains or writes anything, what would lose or mix up a run.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, saveTensors } from '../../lib/modarith/safetensors.ts';

const dir = mkdtempSync(join(tmpdir(), 'train-refusals-'));
const train = (args: string[]) =>
  spawnSync(process.execPath, ['scripts/train.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run train', () => {
  it('refuses a --out folder that already holds a run unless --resume', () => {
    const out = join(dir, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'split.json'), '[1,2,3]');
    const result = train(['--out', out, '--p', '5', '--epochs', '1']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('already holds files');
    expect(readdirSync(out)).toEqual(['split.json']);
  });

  it('refuses a setting given with --resume instead of ignoring it', () => {
    const result = train(['--out', join(dir, 'none'), '--resume', '--lr', '0.01', '--wd', '2']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--resume keeps the run's own settings; remove --lr, --wd");
  });

  it('refuses a --checkpoint-every that is not a whole number ≥ 1, writing nothing', () => {
    for (const every of ['-1', '0', '2.5']) {
      const out = join(dir, `every${every}`);
      const result = train([
        '--out',
        out,
        '--p',
        '5',
        '--epochs',
        '1',
        '--checkpoint-every',
        every,
      ]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('--checkpoint-every must be a whole number ≥ 1');
    }
  });

  it('refuses a --fraction whose training set would be empty, naming the fraction and p', () => {
    const out = join(dir, 'tiny-fraction');
    const result = train(['--out', out, '--p', '5', '--fraction', '0.03', '--epochs', '1']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '--fraction 0.03 of the 25 pairs of p = 5 leaves the training set empty: choose a fraction of at least 1/25',
    );
    expect(result.stderr).not.toContain('diverged');
    expect(() => statSync(out)).toThrow();
  });
});

describe('npm run train -- --resume', () => {
  const base = join(dir, 'base');
  const tiny = ['--p', '5', '--d-model', '4', '--heads', '1', '--d-mlp', '4'];
  beforeAll(() => {
    const made = train(['--out', base, ...tiny, '--epochs', '2', '--quiet']);
    expect(made.status, made.stderr).toBe(0);
  });

  /** A copy of the base run with one file changed by `edit`, resumed. */
  function resumeEdited(name: string, edit: (out: string) => void) {
    const out = join(dir, name);
    cpSync(base, out, { recursive: true });
    edit(out);
    const before = readFileSync(join(out, 'history.json'), 'utf8');
    const result = train(['--out', out, '--resume', '--epochs', '4', '--quiet']);
    // Nothing is written over the run that was refused.
    expect(readFileSync(join(out, 'history.json'), 'utf8')).toBe(before);
    return result;
  }

  /** The state file with its metadata changed by `change`. */
  function editState(out: string, change: (metadata: Record<string, string>) => void): void {
    const path = join(out, 'state.safetensors');
    const { tensors, metadata } = readSafetensors(new Uint8Array(readFileSync(path)));
    change(metadata);
    const list = [...tensors].map(([name, t]) => ({
      name,
      shape: t.shape,
      data: new Float32Array(t.bytes.slice().buffer),
    }));
    writeFileSync(path, saveTensors(list, metadata));
  }

  const settingsOf = (metadata: Record<string, string>) =>
    JSON.parse(metadata['settings']!) as Record<string, unknown>;

  it('carries on a run that is whole', () => {
    const out = join(dir, 'whole');
    cpSync(base, out, { recursive: true });
    const result = train(['--out', out, '--resume', '--epochs', '3', '--quiet']);
    expect(result.status, result.stderr).toBe(0);
    const { history } = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
      history: { epoch: number }[];
    };
    expect(history.map((row) => row.epoch)).toEqual([0, 2, 3]);
  });

  it.each([
    [
      'an epoch that is not a whole number',
      (out: string) => editState(out, (m) => (m['epoch'] = 'abc')),
      'state.safetensors: The saved epoch must be a whole number ≥ 0, got "abc".',
    ],
    [
      'a negative learning rate',
      (out: string) =>
        editState(out, (m) => (m['settings'] = JSON.stringify({ ...settingsOf(m), lr: -1 }))),
      'The saved settings are not valid: --lr must be above 0, got -1.',
    ],
    [
      'a setting that is text',
      (out: string) =>
        editState(
          out,
          (m) => (m['settings'] = JSON.stringify({ ...settingsOf(m), weightDecay: '1' })),
        ),
      'weightDecay must be a finite number, got "1".',
    ],
    [
      'settings that disagree with the weights',
      (out: string) =>
        editState(out, (m) => {
          const s = settingsOf(m);
          m['settings'] = JSON.stringify({ ...s, config: { ...(s['config'] as object), p: 7 } });
        }),
      'do not match the weights',
    ],
    [
      'a history row that is null',
      (out: string) => {
        const path = join(out, 'history.json');
        const saved = JSON.parse(readFileSync(path, 'utf8')) as { history: unknown[] };
        saved.history.push(null);
        writeFileSync(path, JSON.stringify(saved));
      },
      'history.json: The history is damaged: a row is not an object.',
    ],
    [
      'a split with no test set',
      (out: string) =>
        writeFileSync(join(out, 'split.json'), JSON.stringify([...Array(25).keys()])),
      'split.json: The training split lists 25 inputs, and p = 5 has 25: none is left for the test set.',
    ],
    [
      'a split nested too deep',
      (out: string) => writeFileSync(join(out, 'split.json'), '['.repeat(100_000)),
      'split.json: The split nests lists or objects more than 64 deep.',
    ],
    [
      'a moment of the wrong shape',
      (out: string) => {
        const path = join(out, 'state.safetensors');
        const { tensors, metadata } = readSafetensors(new Uint8Array(readFileSync(path)));
        const list = [...tensors].map(([name, t]) => ({
          name,
          shape: name === 'v.embed.W_E' ? [t.shape[1]!, t.shape[0]!] : t.shape,
          data: new Float32Array(t.bytes.slice().buffer),
        }));
        writeFileSync(path, saveTensors(list, metadata));
      },
      "The training state's v.embed.W_E is F32 [4, 6]; expected F32 [6, 4], the shape of embed.W_E.",
    ],
  ])('refuses %s with a message and exit 2', (name, edit, message) => {
    const result = resumeEdited(name.replaceAll(' ', '-'), edit);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot be resumed: ');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
