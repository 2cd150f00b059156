// The grading page's pure parts and its session, driven in Node: which files are graded, the size
// refusal, copies graded once (and each still credited to its own student), the folder walk, the
// table's sort, and a batch graded, cancelled and superseded through an in-memory worker pool.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  byFileName,
  groupCopies,
  isSubmissionName,
  oversizeRefusal,
  sortRows,
} from '../../lib/gradebook/batch.ts';
import {
  gradeSubmission,
  maxSubmissionBytes,
  submissionText,
  type GradedExercise,
} from '../../lib/gradebook/submission.ts';
import {
  walkEntries,
  type BatchFile,
  type DroppedEntry,
} from '../../components/grade/dropped-files.ts';
import { GradeBatch, type GradingServices } from '../../components/grade/grade-batch.svelte.ts';
import type { GradebookJob, GradingListener } from '../../components/grade/gradebook-client.ts';

const network = (name: string) =>
  JSON.parse(readFileSync(`tests/fixtures/${name}`, 'utf8')) as object;
const submission = (fixture: string, exercise: GradedExercise, name: string, id: string) =>
  submissionText(
    {
      exercise,
      student: { name, id },
      build: 'test',
      exported: `2026-12-04T00:00:0${id.length % 10}Z`,
    },
    network(fixture),
  );
const file = (name: string, text: string): BatchFile => ({
  name,
  size: new TextEncoder().encode(text).length,
  text: () => Promise.resolve(text),
});

describe('which files a batch grades', () => {
  it('grades .json files, not hidden ones or others', () => {
    expect(isSubmissionName('class/s1-clock.json')).toBe(true);
    expect(isSubmissionName('S1.JSON')).toBe(true);
    expect(isSubmissionName('__MACOSX/class/._s1.json')).toBe(false);
    expect(isSubmissionName('notes.txt')).toBe(false);
    expect(isSubmissionName('s1.json.txt')).toBe(false);
  });

  it('refuses a file over 1 MB by its size, in the command line’s words', () => {
    expect(oversizeRefusal(maxSubmissionBytes)).toBeUndefined();
    expect(oversizeRefusal(maxSubmissionBytes + 1)).toBe(
      'Cannot read the file: it is 1048577 bytes, over the limit of 1048576 bytes (1 MB).',
    );
  });
});

describe('copies of one network', () => {
  const clock = 'clock/square-one-frequency.json';
  it('are graded once, and each file keeps its own student', () => {
    const texts = [
      submission(clock, 'clock', 'Ada', 's1'),
      submission(clock, 'clock', 'Grace', 's22'),
      submission('clock/never-answers-zero.json', 'clock', 'Alan', 's3'),
      'not json',
      'not json',
    ];
    const { groups, students } = groupCopies(texts.map((text, i) => ({ path: `${i}.json`, text })));
    expect(groups).toEqual([[0, 1], [2], [3, 4]]);
    expect(students.slice(0, 3).map((s) => s?.name)).toEqual(['Ada', 'Grace', 'Alan']);
    // The grader gives the copies the same verdict: the header's fields are not read.
    const [a, b] = texts.slice(0, 2).map((t, i) => gradeSubmission(`${i}.json`, t));
    expect({ ...a, file: '', student: {} }).toEqual({ ...b, file: '', student: {} });
  });

  it('are apart when the file name or the chosen exercise grades them differently', () => {
    const weights = JSON.stringify(network('rnn/xor-solution.json'));
    const named = groupCopies([
      { path: 'a-rnn-xor.json', text: weights },
      { path: 'b-rnn-add.json', text: weights },
      { path: 'c-rnn-xor.json', text: weights },
    ]);
    expect(named.groups).toEqual([[0, 2], [1]]);
    const refused = { error: 'too large' };
    expect(
      groupCopies([
        { path: 'a.json', text: refused },
        { path: 'b.json', text: refused },
      ]).groups,
    ).toEqual([[0], [1]]);
  });
});

describe('the table', () => {
  const rows = ['s10.json', 's2.json', 'b.json'].map((f, i) =>
    gradeSubmission(
      f,
      submission('clock/never-answers-zero.json', 'clock', ['Zoe', 'amy', 'Bob'][i]!, String(i)),
    ),
  );
  it('sorts by a column either way, ties in file order, numbers in names as numbers', () => {
    expect(sortRows(rows, 'file', 'ascending').map((r) => r.file)).toEqual([
      'b.json',
      's2.json',
      's10.json',
    ]);
    expect(sortRows(rows, 'name', 'descending').map((r) => r.student.name)).toEqual([
      'Zoe',
      'Bob',
      'amy',
    ]);
    expect(sortRows(rows, 'verdict', 'ascending').map((r) => r.file)).toEqual([
      'b.json',
      's10.json',
      's2.json',
    ]);
    expect([...rows].sort(byFileName).map((r) => r.file)).toEqual([
      'b.json',
      's10.json',
      's2.json',
    ]);
  });
});

describe('a dropped folder', () => {
  const fileEntry = (path: string): DroppedEntry => ({
    isFile: true,
    isDirectory: false,
    name: path.split('/').pop()!,
    fullPath: `/${path}`,
    file: (ok) => ok(file(path, '{}')),
  });
  const folder = (path: string, children: DroppedEntry[]): DroppedEntry => ({
    isFile: false,
    isDirectory: true,
    name: path.split('/').pop()!,
    fullPath: `/${path}`,
    createReader: () => {
      // As Chromium does, at most 100 entries a call, then an empty list.
      let at = 0;
      return {
        readEntries: (ok) => {
          ok(children.slice(at, at + 100));
          at += 100;
        },
      };
    },
  });

  it('is walked to any depth, past 100 entries, non-JSON files skipped', async () => {
    const many = Array.from({ length: 250 }, (_, i) => fileEntry(`class/s${i}.json`));
    const batch = await walkEntries([
      folder('class', [
        ...many,
        fileEntry('class/notes.txt'),
        folder('class/late', [fileEntry('class/late/x.json')]),
      ]),
      fileEntry('extra.json'),
    ]);
    expect(batch.graded).toHaveLength(252);
    expect(batch.graded.map((f) => f.path)).toContain('class/late/x.json');
    expect(batch.skipped).toEqual(['class/notes.txt']);
  });

  it('lists a file the browser cannot open and reads the rest', async () => {
    const broken: DroppedEntry = {
      ...fileEntry('gone.json'),
      file: (_, fail) => fail(new Error('NotFoundError')),
    };
    const batch = await walkEntries([broken, fileEntry('ok.json')]);
    expect(batch.graded.map((f) => f.path)).toEqual(['ok.json']);
    expect(batch.skipped).toEqual(['gone.json (the browser could not open it)']);
  });
});

/** A worker pool in memory: grades a job when the test says, with the real grader. */
function memoryPool() {
  const runs: { jobs: GradebookJob[]; listener: GradingListener; cancelled: boolean }[] = [];
  const services: GradingServices = {
    startGradebook(jobs, listener) {
      const run = { jobs, listener, cancelled: false };
      runs.push(run);
      return { cancel: () => (run.cancelled = true) };
    },
    now: () => 0,
  };
  const finish = (run = runs.at(-1)!, count = run.jobs.length) => {
    for (const job of run.jobs.slice(0, count))
      run.listener.graded(job.key, gradeSubmission(job.file, job.text, job.exercise));
    if (count === run.jobs.length) run.listener.done();
  };
  return { services, runs, finish };
}

describe('a batch in the page', () => {
  const clock = submission('clock/square-one-frequency.json', 'clock', 'Ada', 's1');
  const chosen = () => ({
    graded: [
      { path: 'a.json', file: file('a.json', clock) },
      {
        path: 'b.json',
        file: file('b.json', submission('clock/square-one-frequency.json', 'clock', 'Grace', 's2')),
      },
      {
        path: 'big.json',
        file: {
          name: 'big.json',
          size: maxSubmissionBytes + 1,
          text: () => Promise.reject(new Error('read')),
        },
      },
      { path: 'bad.json', file: file('bad.json', '{') },
    ],
    skipped: ['notes.txt'],
  });

  it('grades copies once, refuses the large file unread, and keeps every row', async () => {
    const pool = memoryPool();
    const batch = new GradeBatch(pool.services);
    await batch.start(chosen());
    expect(batch.status).toBe('grading');
    expect(pool.runs[0]!.jobs.map((j) => j.file)).toEqual(['a.json', 'big.json', 'bad.json']);
    pool.finish();
    expect(batch.status).toBe('done');
    expect(batch.rows.map((r) => [r.file, r.student.name, r.passed])).toEqual([
      ['a.json', 'Ada', true],
      ['b.json', 'Grace', true],
      ['big.json', '', false],
      ['bad.json', '', false],
    ]);
    expect(batch.rows[2]!.firstFailure).toContain('over the limit of 1048576 bytes');
    expect(batch.message).toBe('Graded 4 files in 0 s (1 file identical to another, graded once).');
    expect(batch.gradebook('generic').csv.split('\r\n')[1]).toMatch(
      /^a\.json,Ada,s1,clock,49,49,true,/,
    );
  });

  it('stops on cancel with the rows so far, and drops a superseded batch’s answers', async () => {
    const pool = memoryPool();
    const batch = new GradeBatch(pool.services);
    await batch.start(chosen());
    pool.finish(pool.runs[0], 1);
    batch.cancel();
    expect(pool.runs[0]!.cancelled).toBe(true);
    expect(batch.status).toBe('cancelled');
    expect(batch.rows).toHaveLength(2);
    expect(batch.message).toContain('Cancelled: 2 files of 4 graded.');
    await batch.start(chosen());
    pool.finish(pool.runs[0]); // the cancelled run answering late changes nothing
    expect(batch.rows).toHaveLength(0);
    pool.finish(pool.runs[1]);
    expect(batch.rows).toHaveLength(4);
  });
});
