// A class roster from a CSV file: whichever of its columns holds the ID a student types into the
// course, their name, and the LMS's own columns (Canvas's user ID and login, a section, an email)
// that an import layout repeats so the LMS can match the row.
import { excerpt } from '../printable.ts';
import { parseCsv } from './csv.ts';

/** One student on the roster, by the ID they were told to type into the course. */
export interface RosterEntry {
  id: string;
  name: string;
  email: string;
  section: string;
  /** Canvas's own user ID and SIS login, when the roster is a Canvas export */
  canvasId: string;
  login: string;
}

/** A roster read from a file, or what is wrong with it. */
export type ParsedRoster = { ok: true; students: RosterEntry[] } | { ok: false; error: string };

/**
 * The headers each field is read from, first match wins, compared without case or spaces. The ID
 * students type is their institution's: Canvas calls it SIS User ID (its own "ID" is an internal
 * number), Brightspace OrgDefinedId, Moodle ID number.
 */
const headers = {
  id: ['sisuserid', 'orgdefinedid', 'idnumber', 'studentid', 'id'],
  name: ['name', 'fullname', 'studentname', 'student'],
  email: ['email', 'emailaddress'],
  section: ['section'],
  canvasId: ['id'],
  login: ['sisloginid', 'login', 'username'],
} as const;

const key = (header: string) => header.toLowerCase().replace(/[\s_-]+/g, '');

/** Reads a roster CSV; a roster without an ID column, or without students, is refused. */
export function parseRoster(text: string): ParsedRoster {
  const rows = parseCsv(text).filter((row) => row.some((field) => field.trim() !== ''));
  const [head, ...body] = rows;
  if (!head)
    return {
      ok: false,
      error: 'The roster is empty: it needs a header row and a row per student.',
    };
  const keys = head.map(key);
  const column = (names: readonly string[]) => {
    for (const name of names) {
      const at = keys.indexOf(name);
      if (at >= 0) return at;
    }
    return -1;
  };
  // The first ID column that holds any ID: a Canvas without SIS has an empty SIS User ID column.
  const filled = (i: number) => body.some((row) => (row[i] ?? '').trim().replace(/^#/, '') !== '');
  const idAt =
    headers.id.map((name) => keys.indexOf(name)).find((i) => i >= 0 && filled(i)) ??
    column(headers.id);
  if (idAt < 0)
    return {
      ok: false,
      error:
        `The roster has no ID column: its header is ${excerpt(head.join(','))}. Name the column ` +
        'of student IDs "ID", "Student ID", "SIS User ID", "OrgDefinedId" or "ID number".',
    };
  const at = {
    name: column(headers.name),
    first: column(['firstname', 'givenname']),
    last: column(['lastname', 'surname', 'familyname']),
    email: column(headers.email),
    section: column(headers.section),
    // Canvas's internal ID only when the students' own ID is another column
    canvasId: keys[idAt] === 'id' ? -1 : column(headers.canvasId),
    login: column(headers.login),
  };
  // Brightspace's exports put a # before each OrgDefinedId and Username; it is not part of them.
  const field = (row: string[], i: number) => {
    if (i < 0) return '';
    const value = (row[i] ?? '').trim();
    return keys[i] === 'orgdefinedid' || keys[i] === 'username' ? value.replace(/^#/, '') : value;
  };
  const students = body
    // Canvas exports a "Points Possible" row under the header, with no student on it
    .filter((row) => !/^\s*points possible\s*$/i.test(row[0] ?? '') && field(row, idAt) !== '')
    .map((row) => ({
      id: field(row, idAt),
      // Moodle's export has a first and a last name and no full one
      name:
        field(row, at.name) ||
        [field(row, at.first), field(row, at.last)].filter(Boolean).join(' '),
      email: field(row, at.email),
      section: field(row, at.section),
      canvasId: field(row, at.canvasId),
      login: field(row, at.login),
    }));
  if (students.length === 0)
    return { ok: false, error: 'The roster lists no student with an ID under its header.' };
  return { ok: true, students };
}
