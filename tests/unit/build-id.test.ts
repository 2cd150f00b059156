// The service worker's cache name: any change to any file's content makes a new one.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildId } from '../../scripts/build-id.mjs';

describe('buildId', () => {
  it('changes with a same-size edit of a nested file, and only with a change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'build-'));
    mkdirSync(join(dir, 'previews'));
    writeFileSync(join(dir, 'index.html'), '<p>a</p>');
    writeFileSync(join(dir, 'previews', 'neuron.png'), 'AAAA');
    const first = buildId(dir);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(buildId(dir)).toBe(first);
    writeFileSync(join(dir, 'previews', 'neuron.png'), 'AAAB'); // same size, new picture
    const second = buildId(dir);
    expect(second).not.toBe(first);
    writeFileSync(join(dir, 'previews', 'neuron.png'), 'AAAA');
    expect(buildId(dir)).toBe(first);
  });
});
