// Merging a progress file into what this browser keeps, never replacing anything silently: what is
// missing here is taken; answers, visited lessons and solved marks are combined (nothing right is
// lost); anything else that differs (a draft, the lab's run, the student's name) is a conflict the
// student settles, keeping theirs here unless they choose the file's (docs/formats.md).
import { everRight, questionsKey, readRecords, type QuestionRecord } from './questions.ts';
import { labRunName, type ProgressFile } from './progress-file.ts';
import { readVisited, visitedKey } from './visited.ts';

/** A kept item that differs here and in the file, with words for each side */
export interface Conflict {
  name: string;
  /** What the item is, in the student's words: "the clock's draft (lesson 7)" */
  what: string;
  mine: string;
  theirs: string;
}

export interface ImportPlan {
  /** Written at once: names missing here, and combined records, by name */
  writes: Record<string, string>;
  taken: string[];
  combined: string[];
  same: string[];
  /** Damaged copies the file kept that this browser has not: set aside again under their name */
  setAside: { name: string; text: string }[];
  conflicts: Conflict[];
  /** Whether the lab's training state comes with the run (the run is missing here) */
  takeLab: boolean;
}

const brokenCopy = /^(.*)\.broken\.\d+$/;

/** What a kept name is, in words for the student. */
export function describeName(name: string): string {
  const known: Record<string, string> = {
    'grokking:rnn:add:draft:v1': "the binary adder's draft (lesson 4)",
    'grokking:rnn:add:solved-network': 'the adder that passed (lesson 2 explains it)',
    'grokking:rnn:xor:draft:v1': "the XOR warm-up's draft (lesson 4)",
    'grokking:rnn:xor:solved-network': 'the XOR network that passed',
    'grokking:clock:draft:v1': "the clock's draft (lesson 7)",
    'grokking:student:v1': 'your name and ID',
    [labRunName]: "the lab's last run",
    [questionsKey]: 'your answers to the questions',
  };
  return known[name] ?? `the kept item ${name}`;
}

/** A side of a conflict in a few words: the lab run's epoch, the student's name, else its size. */
export function describeText(name: string, text: string): string {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (name === labRunName && typeof value['epoch'] === 'number') {
      return `trained to epoch ${value['epoch']}`;
    }
    if (name === 'grokking:student:v1' && typeof value['name'] === 'string') {
      return `${value['name'].slice(0, 40)}${typeof value['id'] === 'string' ? `, ${value['id'].slice(0, 20)}` : ''}`;
    }
  } catch {
    // not JSON: described by its size
  }
  return `${text.length.toLocaleString('en')} characters`;
}

/** The first right answer a record holds, if any. */
const firstRight = (r: QuestionRecord) => (everRight(r) ? (r.right ?? r.answer) : undefined);

/**
 * Answers combined: every question answered in either; for one answered in both, this browser's
 * last answer, with the first right answer of either (so a right answer is never lost).
 * Undefined when either cannot be read (then it is a conflict).
 */
function combineAnswers(mine: string, theirs: string): string | undefined {
  const a = readRecords(mine);
  const b = readRecords(theirs);
  if (a.broken || b.broken) return undefined;
  const out: Record<string, QuestionRecord> = { ...a.records };
  for (const [id, record] of Object.entries(b.records)) {
    const own = out[id];
    if (!own) {
      out[id] = record;
      continue;
    }
    const right = firstRight(own) ?? firstRight(record);
    out[id] = right === undefined ? own : { ...own, right };
  }
  return JSON.stringify(out);
}

/** How a name that differs is combined, or undefined when the student must choose. */
function combine(name: string, mine: string, theirs: string): string | undefined {
  if (name === questionsKey) return combineAnswers(mine, theirs);
  if (name === visitedKey) {
    const seen = readVisited(mine);
    return JSON.stringify([...seen, ...readVisited(theirs).filter((id) => !seen.includes(id))]);
  }
  // Solved on either browser counts as solved ("1"; "0" once an edit broke it).
  if (name.endsWith(':solved') && /^[01]$/.test(mine) && /^[01]$/.test(theirs)) return '1';
  return undefined;
}

/** The plan for merging `file` into `local` (this browser's kept names and texts). */
export function planImport(
  local: Readonly<Record<string, string>>,
  file: ProgressFile,
): ImportPlan {
  const plan: ImportPlan = {
    writes: {},
    taken: [],
    combined: [],
    same: [],
    setAside: [],
    conflicts: [],
    takeLab: false,
  };
  for (const [name, theirs] of Object.entries(file.kept)) {
    const mine = local[name];
    const copyOf = brokenCopy.exec(name)?.[1];
    if (copyOf !== undefined) {
      const kept = Object.entries(local).some(
        ([n, text]) => brokenCopy.exec(n)?.[1] === copyOf && text === theirs,
      );
      if (kept) plan.same.push(name);
      else plan.setAside.push({ name: copyOf, text: theirs });
    } else if (mine === undefined) {
      plan.writes[name] = theirs;
      plan.taken.push(name);
      if (name === labRunName) plan.takeLab = file.lab !== undefined;
    } else if (mine === theirs) {
      plan.same.push(name);
    } else {
      const combined = combine(name, mine, theirs);
      if (combined === mine) plan.same.push(name);
      else if (combined !== undefined) {
        plan.writes[name] = combined;
        plan.combined.push(name);
      } else {
        plan.conflicts.push({
          name,
          what: describeName(name),
          mine: describeText(name, mine),
          theirs: describeText(name, theirs),
        });
      }
    }
  }
  return plan;
}

/**
 * What to write once the student has settled the conflicts: the plan's writes and the file's
 * text of every conflict whose name is in `takeTheirs`; the lab's state comes with its run.
 */
export function settle(
  plan: ImportPlan,
  file: ProgressFile,
  takeTheirs: ReadonlySet<string>,
): { writes: Record<string, string>; takeLab: boolean } {
  const writes = { ...plan.writes };
  for (const { name } of plan.conflicts) {
    if (takeTheirs.has(name)) writes[name] = file.kept[name]!;
  }
  const takeLab = plan.takeLab || (takeTheirs.has(labRunName) && file.lab !== undefined);
  return { writes, takeLab };
}

/** The summary of an import, for the panel: "Took 3 items, combined 2; 4 were already here." */
export function importWords(plan: ImportPlan, chose: number): string {
  const count = (n: number) => (n === 1 ? '1 item' : `${n} items`);
  const parts = [`Took ${count(plan.taken.length)} this browser did not have`];
  if (plan.combined.length > 0) parts.push(`combined ${count(plan.combined.length)}`);
  if (plan.conflicts.length > 0) {
    parts.push(`took the file's copy of ${chose} of ${plan.conflicts.length} that differed`);
  }
  const same = plan.same.length > 0 ? `; ${count(plan.same.length)} already here` : '';
  return `${parts.join(', ')}${same}.`;
}
