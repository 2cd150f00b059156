// The progress file: everything the browser keeps of one copy of the course (every kept name and
// the lab's training state) as one JSON file, to carry to another browser; and reading one back,
// untrusted, into a value or a message that says what is wrong with it (docs/formats.md).

/** The format this build writes and reads; a later number is a file it cannot promise to read */
export const progressFormat = 'grokking-progress/1';

/** The largest progress file read: the lab's snapshots are at most 48 MiB, 64 MiB in base64 */
export const maxProgressBytes = 128 * 2 ** 20;

/** The most kept names a file may carry (the course keeps about twenty) */
const maxNames = 1000;

/** How deep the lab's values nest ({ runId, snapshots: [{ params: { NAME: { data } } }] } is 5) */
const maxDepth = 8;

/** Where the lab keeps its last run's settings and curves; its training state is `lab` */
export const labRunName = 'grokking-lab/last-run';

/**
 * This device's settings rather than the student's progress: the theme, the backend chosen, and
 * the markers that the unscoped keys were copied once and that a root copy lives in them
 * (kept-store.ts: removing them would copy the keys again). Never exported, imported or reset.
 */
export const deviceNames: readonly string[] = [
  'grokking:theme',
  'grokking:backend:v1',
  'grokking:scoped:v1',
  'grokking:root-copy:v1',
];

/** Whether `name` is one of the course's kept names that travel with the student. */
export function isProgressName(name: string): boolean {
  return (
    name.length <= 200 &&
    /^grokking[:-][\w:./-]*$/.test(name) &&
    !deviceNames.includes(name) &&
    !name.includes('..')
  );
}

/** The lab's training state from IndexedDB: `{ runId, state }` and `{ runId, snapshots }` */
export interface LabItems {
  last?: unknown;
  snapshots?: unknown;
}

export interface ProgressFile {
  format: string;
  /** When it was written, ISO 8601 */
  exported: string;
  /** The build that wrote it: the version and commit (components/course-build.ts) */
  build: string;
  /** The base path of the copy of the course it was exported from */
  base: string;
  /** Every kept name, with its text exactly as kept */
  kept: Record<string, string>;
  lab?: LabItems;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** The id of the lab run kept as `text`, if it has one. */
export function labRunId(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const run: unknown = JSON.parse(text);
    return isRecord(run) && typeof run['id'] === 'string' && run['id'] ? run['id'] : undefined;
  } catch {
    return undefined;
  }
}

const toBase64 = (bytes: Uint8Array) => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
};

/** A value IndexedDB kept, as JSON: a Float32Array as `{ "$float32": base64 }`, little-endian. */
function encodeValue(value: unknown): unknown {
  if (value instanceof Float32Array) {
    return { $float32: toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  }
  if (Array.isArray(value)) return value.map(encodeValue);
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
  }
  return value;
}

/** The value `encodeValue` wrote; throws a message naming `where` when it cannot be one. */
function decodeValue(value: unknown, where: string, depth = 0): unknown {
  if (depth > maxDepth) throw new Error(`${where} nests deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) return value.map((v, i) => decodeValue(v, `${where}[${i}]`, depth + 1));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.includes('$float32')) {
    const text = value['$float32'];
    if (keys.length !== 1 || typeof text !== 'string') {
      throw new Error(`${where} is not a float32 array ({ "$float32": base64 })`);
    }
    let bytes: string;
    try {
      bytes = atob(text);
    } catch {
      throw new Error(`${where} is not valid base64`);
    }
    if (bytes.length % 4 !== 0) throw new Error(`${where} is not a whole number of float32s`);
    return new Float32Array(Uint8Array.from(bytes, (c) => c.charCodeAt(0)).buffer);
  }
  // fromEntries defines each key as data: a "__proto__" key stays a key, never the prototype.
  return Object.fromEntries(
    keys.map((k) => [k, decodeValue(value[k], `${where}.${k}`, depth + 1)]),
  );
}

/**
 * The progress file's text: the kept names that travel (isProgressName), and the lab's training
 * state only when it is the kept run's own (its `runId` is the run's id).
 */
export function progressFileText(progress: {
  kept: Record<string, string>;
  lab?: LabItems | undefined;
  build: string;
  base: string;
  exported: Date;
}): string {
  const kept = Object.fromEntries(
    Object.entries(progress.kept)
      .filter(([name]) => isProgressName(name))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const runId = labRunId(kept[labRunName]);
  const own = (item: unknown) => isRecord(item) && runId !== undefined && item['runId'] === runId;
  const lab: Record<string, unknown> = {};
  if (own(progress.lab?.last)) lab['last'] = encodeValue(progress.lab!.last);
  if (own(progress.lab?.snapshots)) lab['snapshots'] = encodeValue(progress.lab!.snapshots);
  const file = {
    format: progressFormat,
    exported: progress.exported.toISOString(),
    build: progress.build,
    base: progress.base,
    kept,
    ...(Object.keys(lab).length > 0 ? { lab } : {}),
  };
  return JSON.stringify(file, null, 1);
}

/** The name a progress file is offered under: grokking-progress-2026-12-04.json */
export function progressFileName(date: Date): string {
  return `grokking-progress-${date.toISOString().slice(0, 10)}.json`;
}

/** A file read: the progress, and what the student should know (another build, names left out) */
export type ProgressRead = { file: ProgressFile; notes: string[] } | { problem: string };

const chooseAgain = 'Choose a file that Export my progress wrote (grokking-progress-….json).';

/** Reads an untrusted progress file's text: the progress, or a message saying what is wrong. */
export function readProgressFile(text: string, here: { build: string }): ProgressRead {
  if (text.length > maxProgressBytes) {
    return { problem: `The file is larger than a progress file can be. ${chooseAgain}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { problem: `The file is not JSON (${why.slice(0, 120)}). ${chooseAgain}` };
  }
  if (!isRecord(value)) {
    return {
      problem: `The file holds ${Array.isArray(value) ? 'a list' : typeof value}, not a progress file's object. ${chooseAgain}`,
    };
  }
  const format = value['format'];
  if (format === 'grokking-run/1') {
    return {
      problem:
        'This is a run the lab exported, not a progress file: load it in the lab with Load a run.',
    };
  }
  const version = typeof format === 'string' ? /^grokking-progress\/(\d+)$/.exec(format) : null;
  if (!version) {
    return {
      problem: `The file's format is ${format === undefined ? 'missing' : JSON.stringify(format).slice(0, 40)}, not ${progressFormat}: it is not a progress file. ${chooseAgain}`,
    };
  }
  if (Number(version[1]) !== 1) {
    return {
      problem: `The file is in format ${format}, written by a newer build of the course; this one reads ${progressFormat}. Import it in the course it came from.`,
    };
  }
  for (const field of ['exported', 'build', 'base'] as const) {
    if (typeof value[field] !== 'string' || value[field].length > 200) {
      return {
        problem: `The file's \`${field}\` is not text: the file was damaged or not written by the course. ${chooseAgain}`,
      };
    }
  }
  const kept = value['kept'];
  if (!isRecord(kept)) {
    return { problem: `The file has no \`kept\` object of names and texts. ${chooseAgain}` };
  }
  const entries = Object.entries(kept);
  if (entries.length > maxNames) {
    return {
      problem: `The file keeps ${entries.length} names; the course keeps far fewer than ${maxNames}. ${chooseAgain}`,
    };
  }
  const notes: string[] = [];
  const exported = value['exported'] as string;
  const build = value['build'] as string;
  if (build !== here.build) {
    notes.push(
      `This file comes from another build of the course (${build}, exported ${exported.slice(0, 10)}); its format is the same, so it was read.`,
    );
  }
  const taken: Record<string, string> = {};
  const leftOut: string[] = [];
  for (const [name, text] of entries) {
    if (isProgressName(name) && typeof text === 'string') taken[name] = text;
    else if (!deviceNames.includes(name)) leftOut.push(name.slice(0, 60));
  }
  if (leftOut.length > 0) {
    notes.push(
      `Left out ${leftOut.length === 1 ? 'one entry' : `${leftOut.length} entries`} that the course does not keep: ${leftOut
        .slice(0, 3)
        .map((n) => JSON.stringify(n))
        .join(', ')}.`,
    );
  }
  const file: ProgressFile = {
    format: format as string,
    exported,
    build,
    base: value['base'] as string,
    kept: taken,
  };
  const lab = readLab(value['lab'], labRunId(taken[labRunName]));
  if (typeof lab === 'string') notes.push(lab);
  else if (lab) file.lab = lab;
  return { file, notes };
}

/** The file's lab state if it is whole and the kept run's own; a note when it is left out. */
function readLab(value: unknown, runId: string | undefined): LabItems | string | undefined {
  if (value === undefined) return undefined;
  const leftOut = (why: string) =>
    `The lab's training state was left out (${why}): the run's curves come, and it can be trained again.`;
  if (!isRecord(value)) return leftOut('it is not an object');
  const lab: LabItems = {};
  for (const item of ['last', 'snapshots'] as const) {
    if (value[item] === undefined) continue;
    let decoded: unknown;
    try {
      decoded = decodeValue(value[item], `lab.${item}`);
    } catch (e) {
      return leftOut(e instanceof Error ? e.message : String(e));
    }
    const body = item === 'last' ? 'state' : 'snapshots';
    if (!isRecord(decoded) || typeof decoded['runId'] !== 'string' || decoded[body] === undefined) {
      return leftOut(`lab.${item} is not { runId, ${body} }`);
    }
    if (decoded['runId'] !== runId) return leftOut(`lab.${item} belongs to no run in the file`);
    if (item === 'snapshots' && !Array.isArray(decoded['snapshots'])) {
      return leftOut('lab.snapshots.snapshots is not a list');
    }
    lab[item] = decoded;
  }
  return Object.keys(lab).length > 0 ? lab : undefined;
}
