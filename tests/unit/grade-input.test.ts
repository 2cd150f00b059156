// The grader against submissions that are not plain small files, and against names and values
// that try to forge a verdict line or a spreadsheet formula.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, printable } from '../../lib/printable.ts';
import { zeroWeights } from '../../lib/rnn/network.ts';

const dir = mkdtempSync(join(tmpdir(), 'grade-input-'));
const script = join(process.cwd(), 'scripts/grade.ts');
const grade = (args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

describe('what the grader reads', () => {
  it('refuses a FIFO, a link and an oversized file, and still grades the rest', () => {
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const link = join(dir, 'passwd.json');
    symlinkSync('/etc/passwd', link);
    const zero = join(dir, 'zero.json');
    symlinkSync('/dev/zero', zero);
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 2 ** 21); // sparse: 2 MB of zeros without the disk
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(zeroWeights(2)));
    const result = grade([fifo, link, zero, big, good]);
    expect(result.error).toBeUndefined();
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('not a regular file');
    expect(lines[1]).toContain('symbolic link');
    expect(lines[2]).toContain('symbolic link');
    expect(lines[3]).toContain('over the limit of 1048576 bytes');
    expect(result.stdout).not.toContain('root:');
    expect(lines[4]).toMatch(/^.*good\.json: /);
    expect(result.status).toBe(1);
  });
});

describe('what the grader prints', () => {
  it('keeps a file name with a line break or an escape sequence on one line', () => {
    const name = join(dir, 'x.json\nall.json: passed\r\u001b[2K');
    writeFileSync(name, JSON.stringify(zeroWeights(2)));
    const result = grade([name]);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toContain('x.json\\x0aall.json: passed\\x0d\\x1b[2K');
    expect(result.stdout).not.toContain('\r');
    expect(result.stdout).not.toContain('\u001b');
  });

  it('writes CSV cells that a spreadsheet cannot read as formulas', () => {
    const name = join(dir, '=HYPERLINK(1).json');
    writeFileSync(name, JSON.stringify(zeroWeights(2)));
    const result = grade(['--csv', '=HYPERLINK(1).json']);
    const row = result.stdout.trim().split('\n')[1]!;
    for (const cell of row.split(',')) expect(cell).not.toMatch(/^"?[=+\-@\t\r]/);
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvField(`${start}1`)).toMatch(/^'/);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField(-1)).toBe('-1');
  });

  it('writes every control character as a visible escape', () => {
    for (let c = 0; c < 0xa0; c++) {
      const ch = String.fromCharCode(c);
      const out = printable(`a${ch}b`);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        expect(out).toBe(`a\\x${c.toString(16).padStart(2, '0')}b`);
      else expect(out).toBe(`a${ch}b`);
    }
  });
});
