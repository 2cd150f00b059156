// npm run cli -- analyze tells a safetensors file from a run file by structure, not by first byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSafetensorsStructure } from '../../lib/modarith/safetensors.ts';

/** A safetensors file with an empty tensor table, its header padded to `length` bytes. */
function safetensorsOfHeaderLength(length: number): Uint8Array {
  const header = '{"__metadata__":{}}'.padEnd(length, ' ');
  const bytes = new Uint8Array(8 + length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(length), true);
  bytes.set(new TextEncoder().encode(header), 8);
  return bytes;
}

describe('hasSafetensorsStructure', () => {
  it('knows a safetensors file whatever its header length, 0x7B ("{") as the low byte included', () => {
    for (let length = 19; length < 19 + 512; length++)
      expect(hasSafetensorsStructure(safetensorsOfHeaderLength(length))).toBe(true);
    expect(safetensorsOfHeaderLength(0x7b)[0]).toBe(0x7b);
  });

  it('does not take a run file, with or without a byte-order mark, for one', () => {
    const run = new TextEncoder().encode('{"settings":{},"history":[]}');
    expect(hasSafetensorsStructure(run)).toBe(false);
    expect(hasSafetensorsStructure(new Uint8Array([0xef, 0xbb, 0xbf, ...run]))).toBe(false);
  });
});

describe('npm run cli -- analyze', () => {
  it('reads a safetensors file whose header length starts with 0x7B as safetensors', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cli-sniff-')), 'model.safetensors');
    writeFileSync(path, safetensorsOfHeaderLength(0x7b));
    const result = spawnSync(process.execPath, ['scripts/cli.ts', 'analyze', path], {
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).not.toContain('not a JSON file');
  });
});
