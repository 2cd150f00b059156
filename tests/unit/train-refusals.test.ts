// npm run train refuses, before it trains or writes anything, what would lose or mix up a run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
});
