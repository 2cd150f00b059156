// The standing corpus of hostile inputs (tests/fixtures/hostile/, written by
// scripts/hostile-corpus.ts), run through every reader that takes such a file: the graders and the
// analyser as the command lines instructors run, and the page's model loader. Each input gets its
// message, a non-zero exit where it is a CLI, within seconds, and no stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModelFile, openModelFile } from '../../lib/modarith/model-file.ts';
import { corpus, large } from '../../scripts/hostile-corpus.ts';

const dir = 'tests/fixtures/hostile';
const messages = JSON.parse(readFileSync(join(dir, 'messages.json'), 'utf8')) as Record<
  string,
  string
>;
const cli = (script: string, args: string[]) => {
  const started = performance.now();
  const result = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return { ...result, seconds: (performance.now() - started) / 1000 };
};

/**
 * The page's two looks at a model file: the picker's cheap check on the main thread names every
 * fault of the container and layout as the worker's full reading does; only the weights' values
 * (a NaN, say) wait for the worker.
 */
function pageLoads(name: string, path: string, message: string): void {
  const bytes = new Uint8Array(readFileSync(path));
  expect(() => openModelFile(bytes, name), name).toThrow(message);
  if (/ holds (NaN|-?Infinity) at entry /.test(message))
    expect(() => checkModelFile(bytes, name)).not.toThrow();
  else expect(() => checkModelFile(bytes, name), name).toThrow(message);
}

/** Which reader a file goes through, by its name. */
function check(name: string, path: string, message: string): void {
  if (name.startsWith('rnn-') || name.startsWith('clock-')) {
    const exercise = name.startsWith('clock-') ? 'clock' : 'add';
    const result = cli('scripts/grade.ts', ['--exercise', exercise, path]);
    expect(result.status, name).toBe(1);
    expect(result.stdout, name).toContain(`invalid: `);
    expect(result.stdout, name).toContain(message);
    expect(result.stderr, name).toBe('');
    expect(result.seconds, name).toBeLessThan(10);
  } else if (name.endsWith('.onnx')) {
    pageLoads(name, path, message);
  } else {
    // Model files and run files both go through `npm run cli -- analyze`; model files also
    // through the page's loader.
    const result = cli('scripts/cli.ts', ['analyze', path]);
    expect(result.status, name).toBe(1);
    expect(result.stderr, name).toContain(message);
    expect(result.stderr, name).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(result.stdout, name).toBe('');
    // A message quotes at most a short excerpt of the file, never megabytes of it.
    expect(result.stderr.length, name).toBeLessThan(600);
    expect(result.seconds, name).toBeLessThan(10);
    if (name.endsWith('.safetensors') || name.endsWith('.pth')) pageLoads(name, path, message);
  }
}

describe('the hostile corpus', () => {
  it('is what scripts/hostile-corpus.ts writes', () => {
    const files = readdirSync(dir).filter((f) => f !== 'messages.json');
    const made = corpus();
    expect(files.sort()).toEqual(Object.keys(made).sort());
    for (const [name, { bytes, message }] of Object.entries(made)) {
      const written = readFileSync(join(dir, name));
      expect(Buffer.compare(written, Buffer.from(bytes)), name).toBe(0);
      expect(messages[name], name).toBe(message);
    }
  });

  it.each(Object.keys(messages))('%s gets its message', (name) => {
    check(name, join(dir, name), messages[name]!);
  });

  it.each(Object.keys(large()))('%s (made here, too large to commit) gets its message', (name) => {
    const { bytes, message } = large()[name]!;
    const path = join(mkdtempSync(join(tmpdir(), 'hostile-')), name);
    writeFileSync(path, bytes);
    const started = performance.now();
    check(name, path, message);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
