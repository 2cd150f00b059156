// The progress file (lib/progress-file.ts) and its merge (lib/progress-merge.ts): what it carries,
// how an untrusted file is refused with a message, and how an import combines, takes or asks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeptStore, scopedKey } from '../../lib/kept-store.ts';
import {
  labRunName,
  progressFileName,
  progressFileText,
  progressFormat,
  readProgressFile,
  type ProgressFile,
} from '../../lib/progress-file.ts';
import { importWords, planImport, settle } from '../../lib/progress-merge.ts';
import { questionsKey, readRecords } from '../../lib/questions.ts';
import { mapStorage } from './map-storage.ts';

const here = { build: 'mb1-aaaa' };
const run = (id: string, epoch: number) => JSON.stringify({ id, epoch, lab: {}, rows: [] });
const exported = new Date('2026-12-04T12:00:00Z');

/** The file `kept` and `lab` export to, read back. */
function roundTrip(
  kept: Record<string, string>,
  lab?: Record<string, unknown>,
  build = here.build,
) {
  const text = progressFileText({ kept, lab, build, base: '/', exported });
  const read = readProgressFile(text, here);
  if ('problem' in read) throw new Error(read.problem);
  return read;
}

const problem = (text: string) => {
  const read = readProgressFile(text, here);
  return 'problem' in read ? read.problem : '';
};

describe('the progress file', () => {
  it('carries every kept name that travels, and the lab state of the kept run only', () => {
    const last = { runId: 'r1', state: { epoch: 3, m: { w: new Float32Array([1.5, -2, 3e-8]) } } };
    const snapshots = { runId: 'other', snapshots: [] };
    const { file, notes } = roundTrip(
      {
        [questionsKey]: '{}',
        'grokking:student:v1': '{"name":"Ada","id":"s1"}',
        'grokking:theme': 'dark',
        'grokking:backend:v1': 'webgpu',
        [labRunName]: run('r1', 3),
        'someone-else': 'x',
      },
      { last, snapshots },
    );
    expect(notes).toEqual([]);
    expect(file.format).toBe(progressFormat);
    expect(file.exported).toBe('2026-12-04T12:00:00.000Z');
    expect(Object.keys(file.kept)).toEqual([labRunName, questionsKey, 'grokking:student:v1']);
    // The typed array comes back as one, bit for bit; another run's snapshots stay behind.
    expect(file.lab).toEqual({ last });
    expect((file.lab!.last as typeof last).state.m.w).toBeInstanceOf(Float32Array);
    expect(progressFileName(exported)).toBe('grokking-progress-2026-12-04.json');
  });

  it('reads a file from another build of the same format, and says so', () => {
    const { notes } = roundTrip({ [questionsKey]: '{}' }, undefined, 'mb0-bbbb');
    expect(notes[0]).toMatch(/another build of the course \(mb0-bbbb, exported 2026-12-04\)/);
  });

  it('refuses what is not a progress file of this format, with a message, never a throw', () => {
    expect(problem('{"format": "grokking-progress/1"')).toMatch(/^The file is not JSON/);
    expect(problem('[1, 2]')).toMatch(/holds a list/);
    expect(problem('"text"')).toMatch(/holds string/);
    expect(problem('{"format":"grokking-run/1"}')).toMatch(/load it in the lab with Load a run/);
    expect(problem('{"hidden_size": 3}')).toMatch(/format is missing, not grokking-progress\/1/);
    expect(problem('{"format":"grokking-progress/2"}')).toMatch(/newer build/);
    const base = { format: progressFormat, exported: 'x', build: 'b', base: '/' };
    expect(problem(JSON.stringify({ ...base, build: 7 }))).toMatch(/`build` is not text/);
    expect(problem(JSON.stringify({ ...base, kept: [] }))).toMatch(/no `kept` object/);
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`grokking:${i}`, '']));
    expect(problem(JSON.stringify({ ...base, kept: many }))).toMatch(/keeps 1001 names/);
    expect(problem('x'.repeat(128 * 2 ** 20 + 1))).toMatch(/larger than a progress file/);
  });

  it('reads any JSON at all into a file or a message, never a throw', () => {
    const header = { format: progressFormat, exported: 'x', build: 'b', base: '/' };
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (any, kept, lab) => {
        for (const text of [
          JSON.stringify(any),
          JSON.stringify({ ...header, kept, lab }),
          JSON.stringify({ ...header, kept: { [labRunName]: run('r', 1) }, lab: { last: lab } }),
        ]) {
          const read = readProgressFile(text, here);
          if (!('problem' in read)) planImport({ [questionsKey]: '{}' }, read.file);
        }
      }),
    );
  });

  it('leaves out names the course does not keep, and a damaged lab state, with a note', () => {
    const base = { format: progressFormat, exported: 'x', build: here.build, base: '/' };
    const kept = { 'grokking:ok': 'yes', 'evil:key': 'x', 'grokking:n': 5, __proto__x: 'y' };
    const lab = { last: { runId: 'r1', state: { w: { $float32: '!!' } } } };
    const read = readProgressFile(
      JSON.stringify({ ...base, kept: { ...kept, [labRunName]: run('r1', 1) }, lab }),
      here,
    );
    if ('problem' in read) throw new Error(read.problem);
    expect(Object.keys(read.file.kept).sort()).toEqual([labRunName, 'grokking:ok']);
    expect(read.notes[0]).toMatch(/Left out 3 entries/);
    expect(read.notes[1]).toMatch(
      /training state was left out \(lab.last.state.w is not valid base64\)/,
    );
    expect(read.file.lab).toBeUndefined();
    const proto = readProgressFile(
      `{"format":"${progressFormat}","exported":"x","build":"b","base":"/","kept":{},"lab":{"last":{"runId":"r","state":{"__proto__":{"polluted":1}}}}}`,
      here,
    );
    expect('problem' in proto).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

const fileOf = (kept: Record<string, string>, lab?: ProgressFile['lab']): ProgressFile => ({
  format: progressFormat,
  exported: '2026-12-04T12:00:00.000Z',
  build: here.build,
  base: '/',
  kept,
  ...(lab ? { lab } : {}),
});

describe('merging a progress file', () => {
  it('takes what is missing, leaves what is equal, and combines answers keeping any right one', () => {
    const mine = {
      [questionsKey]: JSON.stringify({
        '01/a': { answer: '2', correct: false },
        '01/b': { answer: '1', correct: true, right: '1' },
      }),
      'grokking:visited:v1': '["01-a"]',
      'grokking:clock:solved': '0',
      'grokking:rnn:add:solved': '1',
      'grokking:clock:draft:v1': 'same',
    };
    const theirs = fileOf({
      [questionsKey]: JSON.stringify({
        '01/a': { answer: '3', correct: true, right: '3' },
        '02/c': { answer: '0', correct: false },
      }),
      'grokking:visited:v1': '["02-b","01-a"]',
      'grokking:clock:solved': '1',
      'grokking:rnn:add:solved': '0',
      'grokking:clock:draft:v1': 'same',
      'grokking:student:v1': '{"name":"Ada","id":"s1"}',
    });
    const plan = planImport(mine, theirs);
    expect(plan.taken).toEqual(['grokking:student:v1']);
    expect(plan.combined.sort()).toEqual(
      ['grokking:clock:solved', questionsKey, 'grokking:visited:v1'].sort(),
    );
    expect(plan.same.sort()).toEqual(['grokking:clock:draft:v1', 'grokking:rnn:add:solved']);
    expect(plan.conflicts).toEqual([]);
    expect(readRecords(plan.writes[questionsKey]!).records).toEqual({
      '01/a': { answer: '2', correct: false, right: '3' },
      '01/b': { answer: '1', correct: true, right: '1' },
      '02/c': { answer: '0', correct: false },
    });
    expect(JSON.parse(plan.writes['grokking:visited:v1']!)).toEqual(['01-a', '02-b']);
    expect(plan.writes['grokking:clock:solved']).toBe('1');
    expect(importWords(plan, 0)).toBe(
      'Took 1 item this browser did not have, combined 3 items; 2 items already here.',
    );
  });

  it('asks about a draft, the lab run or the name that differ, and writes only what is chosen', () => {
    const mine = {
      'grokking:clock:draft:v1': 'mine',
      'grokking:student:v1': '{"name":"Ada","id":"s1"}',
      [labRunName]: run('r1', 10),
    };
    const lab = { last: { runId: 'r2', state: {} } };
    const theirs = fileOf(
      {
        'grokking:clock:draft:v1': 'theirs',
        'grokking:student:v1': '{"name":"Ada L.","id":"s1"}',
        [labRunName]: run('r2', 2000),
      },
      lab,
    );
    const plan = planImport(mine, theirs);
    expect(plan.writes).toEqual({});
    expect(plan.conflicts.map((c) => [c.what, c.mine, c.theirs])).toEqual([
      ["the clock's draft (lesson 7)", '4 characters', '6 characters'],
      ['your name and ID', 'Ada, s1', 'Ada L., s1'],
      ["the lab's last run", 'trained to epoch 10', 'trained to epoch 2000'],
    ]);
    expect(settle(plan, theirs, new Set())).toEqual({ writes: {}, takeLab: false });
    expect(settle(plan, theirs, new Set([labRunName]))).toEqual({
      writes: { [labRunName]: run('r2', 2000) },
      takeLab: true,
    });
    expect(importWords(plan, 1)).toMatch(/took the file's copy of 1 of 3 that differed/);
  });

  it("takes the lab's state with a run missing here, and sets damaged copies aside once", () => {
    const lab = { last: { runId: 'r2', state: {} } };
    const mine = { 'grokking:clock:draft:v1.broken.1': 'old' };
    const plan = planImport(
      mine,
      fileOf(
        {
          [labRunName]: run('r2', 5),
          'grokking:clock:draft:v1.broken.1': 'other',
          'grokking:clock:draft:v1.broken.2': 'old',
        },
        lab,
      ),
    );
    expect(plan.takeLab).toBe(true);
    expect(plan.setAside).toEqual([{ name: 'grokking:clock:draft:v1', text: 'other' }]);
    expect(plan.same).toEqual(['grokking:clock:draft:v1.broken.2']);
  });
});

describe('the kept store lists its names', () => {
  it("lists this base's names only, with the page's own copies", () => {
    const items = new Map([
      [scopedKey('/course/', 'grokking:a'), '1'],
      ['grokking:root', '2'],
      [scopedKey('/course-2026/', 'grokking:b'), '3'],
    ]);
    const store = new KeptStore(() => mapStorage(items), { base: '/course/' });
    expect(store.names()).toEqual(['grokking:a']);
    const root = new KeptStore(() => mapStorage(items));
    expect(root.names()).toEqual(['grokking:root']);
    store.removeItem('grokking:a');
    expect(store.names()).toEqual([]);
  });
});
