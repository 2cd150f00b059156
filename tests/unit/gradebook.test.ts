// The gradebooks an LMS imports: each layout checked against a file in that LMS's own layout
// (tests/fixtures/lms, made from each one's documentation), rosters read from those same files,
// and the exercise told from the file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/gradebook/csv.ts';
import { gradebook } from '../../lib/gradebook/gradebook.ts';
import { parseRoster, type RosterEntry } from '../../lib/gradebook/roster.ts';
import { exportFileName, readStudent } from '../../lib/gradebook/student.ts';
import {
  detectExercise,
  gradeSubmission,
  submissionText,
  type GradedExercise,
} from '../../lib/gradebook/submission.ts';

const fixture = (name: string) => readFileSync(`tests/fixtures/${name}`, 'utf8');
const lms = (name: string) => parseCsv(fixture(`lms/${name}`));

/** A submission as the editors export it: the header, then the network. */
function exported(file: string, exercise: GradedExercise, name: string, id: string) {
  const network = JSON.parse(fixture(file)) as object;
  const header = {
    exercise,
    student: { name, id },
    build: 'test',
    exported: '2026-12-04T00:00:00Z',
  };
  return submissionText(header, network);
}

/** Graded once: grading the addition exercise's 88,648 cases takes most of a second a file. */
const graded = [
  gradeSubmission('a.json', exported('rnn/step-solution.json', 'add', 'Frank Catcher', '20067930')),
  gradeSubmission('b.json', exported('rnn/leaky-carry.json', 'add', 'Ada Lovelace', 's1815')),
  gradeSubmission(
    'c.json',
    exported('clock/never-answers-zero.json', 'clock', 'Ada Lovelace', 's1815'),
  ),
  gradeSubmission(
    'd.json',
    exported('rnn/ignores-final-carry.json', 'add', 'Ada Lovelace', 's1815'),
  ),
  gradeSubmission('e.json', exported('rnn/step-solution.json', 'add', 'Unknown', 'x9')),
];
const batch = () => graded;

const roster = (): RosterEntry[] => {
  const parsed = parseRoster(fixture('lms/roster.csv'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.students;
};

describe('reading CSV', () => {
  it('reads quoted fields, doubled quotes, CRLF and a last line without an end', () => {
    expect(parseCsv('a,"b, ""c"""\r\n"x\ny",\n1,2')).toEqual([
      ['a', 'b, "c"'],
      ['x\ny', ''],
      ['1', '2'],
    ]);
  });
});

describe('telling the exercise', () => {
  it('from the file, then its name, then its shape', () => {
    expect(detectExercise({ exercise: 'xor', hidden_size: 2 }, 'rnn-add-weights.json')).toBe('xor');
    expect(detectExercise({ hidden_size: 2 }, 'dir/rnn-xor-weights.json')).toBe('xor');
    expect(detectExercise({ hidden_size: 2 }, 'weights.json')).toBe('add');
    expect(detectExercise({ p: 7, W_E: [] }, 'mine.json')).toBe('clock');
    expect(detectExercise({ exercise: 'mul' }, 'notes.json')).toBeUndefined();
  });

  it('grades an XOR file as XOR without --exercise, and says why a file it cannot tell fails', () => {
    const xor = gradeSubmission('x.json', exported('rnn/xor-solution.json', 'xor', 'A', '1'));
    expect([xor.exercise, xor.passed]).toEqual(['xor', true]);
    const odd = gradeSubmission('notes.json', '{"hello": 1}');
    expect(odd.exercise).toBeUndefined();
    expect(odd.firstFailure).toContain('Cannot tell which exercise');
  });
});

describe('who a file is from', () => {
  it('reads the student and names the export after them', () => {
    const row = gradeSubmission(
      'a.json',
      exported('rnn/step-solution.json', 'add', ' Ada\nLovelace ', 's1815'),
    );
    expect(row.student).toEqual({ name: 'Ada Lovelace', id: 's1815' });
    expect(exportFileName(row.student, 'rnn-add')).toBe('s1815-ada-lovelace-rnn-add.json');
    expect(exportFileName({ name: '', id: '' }, 'clock')).toBe('clock.json');
    expect(exportFileName(readStudent({ name: 'Zoë ../../etc', id: 42 }), 'clock')).toBe(
      'zoë-etc-clock.json',
    );
  });
});

describe('the generic gradebook', () => {
  it('has a row per file with points out of the total, and a row for each roster student with none', () => {
    const book = gradebook(batch(), 'generic', roster());
    const rows = parseCsv(book.csv);
    expect(rows[0]).toEqual([
      'file',
      'student_name',
      'student_id',
      'exercise',
      'points',
      'points_possible',
      'passed',
      'first_failure',
    ]);
    expect(rows[1]).toEqual([
      'a.json',
      'Frank Catcher',
      '20067930',
      'add',
      '88648',
      '88648',
      'true',
      '',
    ]);
    expect(rows[2]!.slice(0, 7)).toEqual([
      'b.json',
      'Ada Lovelace',
      's1815',
      'add',
      '88417',
      '88648',
      'false',
    ]);
    expect(rows.at(-1)).toEqual(['', 'Grace Hopper', 'u42', '', '', '', 'false', 'no file']);
    expect(book.missing.map((s) => s.id)).toEqual(['u42']);
    expect(book.notes.join('\n')).toContain('e.json: student ID x9 is not on the roster');
  });
});

describe('Canvas', () => {
  it("writes Canvas's five student columns, an assignment column per exercise and Points Possible", () => {
    const [docHeader, docPoints] = lms('canvas-export.csv');
    const rows = parseCsv(gradebook(batch(), 'canvas', roster()).csv);
    expect(rows[0]!.slice(0, 5)).toEqual(docHeader!.slice(0, 5));
    expect(rows[0]!.slice(5)).toEqual(['RNN binary addition', 'Clock network mod 7']);
    expect(rows[1]![0]!.trim()).toBe(docPoints![0]!.trim());
    expect(rows[1]!.slice(5)).toEqual(['88648', '49']);
    // Ada sent two addition files: the better one (more cases right) counts.
    const ada = rows.find((r) => r[2] === 's1815')!;
    expect(ada.slice(5)).toEqual(['88417', '42']);
    // A roster student with no file has a row with empty grades, which Canvas leaves as they were.
    expect(rows.find((r) => r[2] === 'u42')!.slice(5)).toEqual(['', '']);
  });

  it("takes Canvas's own export as the roster, keeping its user ID, login and section", () => {
    const parsed = parseRoster(fixture('lms/canvas-export.csv'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.students).toHaveLength(2);
    const rows = parseCsv(gradebook(batch(), 'canvas', parsed.students).csv);
    expect(rows[2]!.slice(0, 5)).toEqual([
      'Catcher, Frank',
      '5021',
      '20067930',
      'frank.catcher',
      'Section A',
    ]);
  });
});

describe('Moodle', () => {
  it('writes an ID number and email column to map by, and a grade and feedback per exercise', () => {
    const [docHeader] = lms('moodle-export.csv');
    const rows = parseCsv(gradebook(batch(), 'moodle', roster()).csv);
    for (const identity of ['ID number', 'Email address']) {
      expect(docHeader).toContain(identity);
      expect(rows[0]).toContain(identity);
    }
    const ada = rows.find((r) => r[0] === 's1815')!;
    expect(ada[1]).toBe('ada@example.edu');
    expect(ada[3]).toBe('88417');
    expect(ada[4]).toMatch(/^88417 of 88648 cases right\. First failure: /);
    const parsed = parseRoster(fixture('lms/moodle-export.csv'));
    expect(parsed.ok && parsed.students.map((s) => [s.id, s.email])).toEqual([
      ['20067930', 'frank@example.edu'],
      ['s1815', 'ada@example.edu'],
    ]);
  });
});

describe('Brightspace', () => {
  it("writes OrgDefinedId, '<item> Points Grade' and the End-of-Line Indicator as its sample does", () => {
    const [docHeader, docRow] = lms('brightspace-sample.csv');
    const rows = parseCsv(gradebook(batch(), 'brightspace', roster()).csv);
    expect(rows[0]![0]).toBe(docHeader![0]);
    expect(rows[0]!.at(-1)).toBe(docHeader!.at(-1));
    expect(rows[0]!.slice(1, -1)).toEqual([
      'RNN binary addition Points Grade',
      'Clock network mod 7 Points Grade',
    ]);
    expect(docHeader!.slice(2, -1).every((h) => h.endsWith(' Points Grade'))).toBe(true);
    const frank = rows.find((r) => r[0] === '#20067930')!;
    expect(frank).toEqual(['#20067930', '88648', '', docRow!.at(-1)]);
    // Its own export, with the # before each ID, reads back as a roster without the #.
    const parsed = parseRoster(fixture('lms/brightspace-sample.csv'));
    expect(parsed.ok && parsed.students.map((s) => [s.id, s.login])).toEqual([
      ['20067930', 'Frank.Catcher'],
      ['s1815', 'Ada.Lovelace'],
    ]);
  });
});

describe('rosters', () => {
  it('refuses a roster without an ID column, or without students, in words', () => {
    const noId = parseRoster('name,email\nAda,a@x\n');
    expect(noId.ok === false && noId.error).toContain('no ID column');
    const empty = parseRoster('id,name\n');
    expect(empty.ok === false && empty.error).toContain('no student');
    expect(parseRoster('').ok).toBe(false);
  });

  it('never lets a name start a spreadsheet formula', () => {
    const row = gradeSubmission(
      'f.json',
      exported('rnn/step-solution.json', 'add', '=HYPERLINK("x")', '7'),
    );
    const csv = gradebook([row], 'canvas').csv;
    expect(parseCsv(csv)[2]![0]).toBe(`'=HYPERLINK("x")`);
  });
});

describe('the samples in docs/samples', () => {
  // docs/grading.md shows these files: they must be what the grader writes from the submissions.
  const files = readdirSync('docs/samples/submissions')
    .map((f) => `docs/samples/submissions/${f}`)
    .sort((a, b) => order(a) - order(b));
  it.each(['generic', 'canvas', 'moodle', 'brightspace'])(
    '%s is what `npm run grade` writes',
    (format) => {
      const result = spawnSync(
        process.execPath,
        ['scripts/grade.ts', '--format', format, '--roster', 'docs/samples/roster.csv', ...files],
        { encoding: 'utf8' },
      );
      expect(result.stdout).toBe(readFileSync(`docs/samples/gradebook-${format}.csv`, 'utf8'));
      expect(result.stderr).toBe('No file from Grace Hopper (ID u42).\n');
    },
  );
});

/** The samples in the order scripts/gradebook-samples.ts grades them (the generic rows' order). */
function order(path: string): number {
  const generic = readFileSync('docs/samples/gradebook-generic.csv', 'utf8');
  return generic.indexOf(path);
}

describe("the questions' answers", () => {
  const asked = ['01/a', '02/b', '02/c'];
  const file = (answers: object, fileAsked: unknown = asked) =>
    JSON.stringify({
      exercise: 'questions',
      student: { name: 'Ada', id: 's1815' },
      build: 'test',
      exported: '2026-12-04T00:00:00Z',
      asked: fileAsked,
      answers,
    });

  it('counts the questions ever answered right, against the course list when given', () => {
    const answers = {
      '01/a': { answer: '2', correct: true, right: '2' },
      '02/b': { answer: '7', correct: false, right: '3' },
      '02/c': { answer: '1', correct: false },
      '99/gone': { answer: 'x', correct: true },
    };
    const row = gradeSubmission('q.json', file(answers));
    expect([row.exercise, row.right, row.total, row.passed]).toEqual(['questions', 2, 3, false]);
    expect(row.firstFailure).toBe('02/c: answered "1", not right yet');
    // The course's own list wins over the file's: a question the file leaves out still counts.
    const strict = gradeSubmission('q.json', file(answers, ['01/a']), undefined, [
      ...asked,
      '03/d',
    ]);
    expect([strict.right, strict.total]).toEqual([2, 4]);
    const all = gradeSubmission('q.json', file({ '01/a': answers['01/a'] }), undefined, ['01/a']);
    expect(all.passed).toBe(true);
  });

  it('refuses damaged answers in words, and the gradebook gives them a column', () => {
    const bad = gradeSubmission('q.json', file({ '01/a': { answer: 3 } }));
    expect(bad.firstFailure).toContain('"answers" must be an object');
    const none = gradeSubmission('q.json', file({}, 'all'));
    expect(none.firstFailure).toContain('"asked" must be a list');
    const rows = parseCsv(gradebook([gradeSubmission('q.json', file({}))], 'canvas').csv);
    expect(rows[0]!.at(-1)).toBe('Lesson questions');
    expect(rows[2]!.at(-1)).toBe('0');
  });

  it('is graded by `npm run grade` against the lessons in content/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'questions-'));
    const path = join(dir, 's1815-ada-questions.json');
    writeFileSync(path, file({ '01/a': { answer: '2', correct: true } }, []));
    const result = spawnSync(process.execPath, ['scripts/grade.ts', '--csv', path], {
      encoding: 'utf8',
    });
    const [, row] = parseCsv(result.stdout);
    // The file claims the course asks nothing; the grader counts the 30-odd questions the lessons ask.
    expect(row!.slice(1, 4)).toEqual(['Ada', 's1815', 'questions']);
    expect(Number(row![5])).toBeGreaterThan(20);
    expect(row![4]).toBe('0');
  });
});

describe('what an independent review found', () => {
  it('reads a Canvas export without SIS IDs by its own ID, and Moodle first and last names', () => {
    const canvas = parseRoster(
      'Student,ID,SIS User ID,SIS Login ID,Section\r\n    Points Possible,,,,\r\n"Lovelace, Ada",5022,,,B\r\n',
    );
    expect(canvas.ok && canvas.students.map((s) => [s.id, s.name])).toEqual([
      ['5022', 'Lovelace, Ada'],
    ]);
    const moodle = parseRoster(
      'First name,Last name,ID number,Email address\r\nAda,Lovelace,s1815,a@x\r\n',
    );
    expect(moodle.ok && moodle.students[0]!.name).toBe('Ada Lovelace');
  });

  it('matches IDs without regard to case, says which ID a padded one may be, and names roster repeats', () => {
    const rows = [
      gradeSubmission('a.json', exported('rnn/step-solution.json', 'add', 'Ada', 'S1815')),
      gradeSubmission('b.json', exported('rnn/step-solution.json', 'add', 'Bo', '7')),
    ];
    const parsed = parseRoster('ID,Name\ns1815,Ada Lovelace\n007,Bo Peep\ns1815,Ada Again\n');
    const book = gradebook(rows, 'canvas', parsed.ok ? parsed.students : []);
    expect(
      parseCsv(book.csv)
        .find((r) => r[2] === 's1815')!
        .slice(5),
    ).toEqual(['88648']);
    expect(book.notes).toContain(
      'b.json: student ID 7 is not on the roster (did you mean 007?), so it is left out.',
    );
    expect(book.notes.join('\n')).toContain(
      'The roster lists ID s1815 twice (Ada Lovelace, Ada Again)',
    );
    // The generic layout keeps a row for every file, and its note says no more than that.
    const generic = gradebook(rows, 'generic', parsed.ok ? parsed.students : []);
    expect(parseCsv(generic.csv).some((r) => r[0] === 'b.json')).toBe(true);
    expect(generic.notes).toContain(
      'b.json: student ID 7 is not on the roster (did you mean 007?).',
    );
  });

  it("trusts a file's shape over a name that says another exercise", () => {
    expect(detectExercise({ hidden_size: 3 }, 'u42-clock-fan-rnn-add.json')).toBe('add');
    expect(detectExercise({ p: 7, W_E: [] }, 'rnn-add-mine.json')).toBe('clock');
    expect(detectExercise({}, 'old-clock-network.json')).toBe('clock');
  });

  it('shows invisible and reordering characters in a file name instead of passing them on', () => {
    const row = gradeSubmission('\u202eevil\u200b.json', '{}');
    const csv = gradebook([row], 'generic').csv;
    expect(csv).toContain('\\u{202e}evil\\u{200b}.json');
    expect(readStudent({ name: 'A\u202eB', id: '1' }).name).toBe('A B');
  });

  it('grades a file whose name starts with -- after --', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashes-'));
    writeFileSync(join(dir, '--json'), fixture('rnn/step-solution.json'));
    const script = join(process.cwd(), 'scripts/grade.ts');
    const result = spawnSync(process.execPath, [script, '--', '--json'], {
      encoding: 'utf8',
      cwd: dir,
    });
    expect(result.stdout).toBe('--json: passed: all 88648 cases\n');
    expect(result.status).toBe(0);
  });
});
