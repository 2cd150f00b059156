// The clock exercise's editing session: the draft (numbers or formulas, saved on every edit),
// undo of the last replacement, fill-down, import and export, and the check of all 49 pairs (tiny:
// it runs at once, no worker). The editor component only draws it; storage comes in, so that Node
// tests can drive a session.
import {
  clockCellErrors,
  clockDraftFromNetwork,
  clockFromDraft,
  emptyClockDraft,
  resizeClockDraft,
  restoreClockDraft,
  type ClockDraft,
  type ClockParam,
} from '../../lib/clock/draft.ts';
import { gradeClock, parseClockJson, type ClockVerdict } from '../../lib/clock/grade.ts';

export class ClockEditing {
  draft: ClockDraft = $state(emptyClockDraft());
  /** The kept draft has been read: from now on every edit is saved */
  restored = $state(false);
  solved = $state(false);
  /** The draft before the last import or reset */
  undo: ClockDraft | undefined = $state();
  notice = $state('');
  importErrors: string[] = $state([]);
  verdict: ClockVerdict | undefined = $state();
  #checked = $state('');

  cellErrors = $derived(clockCellErrors(this.draft));
  parsed = $derived(clockFromDraft(this.draft));
  network = $derived(this.parsed.ok ? this.parsed.network : undefined);
  /** The draft changed since the last check */
  stale = $derived(this.verdict !== undefined && this.#checked !== JSON.stringify(this.draft));

  #storage: Pick<Storage, 'getItem' | 'setItem'>;
  static readonly draftKey = 'grokking:clock:draft:v1';
  static readonly solvedKey = 'grokking:clock:solved';

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'>) {
    this.#storage = storage;
  }

  /** Reads the kept draft and whether the exercise was solved; a damaged draft is set aside. */
  restore(): void {
    const text = this.#storage.getItem(ClockEditing.draftKey);
    const saved = restoreClockDraft(text);
    if (saved) this.draft = saved;
    else if (text) {
      this.#storage.setItem(`${ClockEditing.draftKey}.broken`, text);
      this.notice =
        'Your saved draft could not be read, so the editor starts afresh (the old one is set aside).';
    }
    this.solved = this.#storage.getItem(ClockEditing.solvedKey) === '1';
    this.restored = true;
  }

  /** Keeps the draft (the component calls this whenever the draft changes). */
  save(): void {
    if (this.restored) this.#storage.setItem(ClockEditing.draftKey, JSON.stringify(this.draft));
  }

  /** Cells "r,c" of a parameter that are neither numbers nor formulas. */
  invalidCells(name: ClockParam): string[] {
    return this.cellErrors.filter((e) => e.name === name).map((e) => `${e.r},${e.c}`);
  }

  edit(name: ClockParam, r: number, c: number, text: string): void {
    const row = this.draft.params[name][r];
    if (row) row[c] = text;
  }

  /** Copies cell (r, c)'s text, formula or number, into every cell below it in its column. */
  fillDown(name: ClockParam, r: number, c: number): void {
    const grid = this.draft.params[name];
    const text = grid[r]?.[c];
    if (text === undefined) return;
    for (let below = r + 1; below < grid.length; below++) grid[below]![c] = text;
    this.notice = `Filled ${name}'s column ${c} down from row ${r}.`;
  }

  resize(d: number, n: number): void {
    this.draft = resizeClockDraft(this.draft, d, n);
  }

  reset(): void {
    this.#replace(
      emptyClockDraft(this.draft.d, this.draft.n, this.draft.activation),
      'Reset to zeros.',
    );
  }

  restoreUndo(): void {
    if (!this.undo) return;
    this.draft = this.undo;
    this.undo = undefined;
    this.notice = 'Restored.';
  }

  /** Takes a network file's text as the new draft, or lists what is wrong with it. */
  importText(fileName: string, text: string): void {
    const result = parseClockJson(text);
    this.importErrors = result.ok ? [] : result.errors.map((e) => `${fileName}: ${e}`);
    if (result.ok) this.#replace(clockDraftFromNetwork(result.network), `Imported ${fileName}.`);
  }

  /** The network as a file's text, formulas evaluated; undefined (and a notice) while it is not. */
  exportText(): string | undefined {
    if (this.network) return JSON.stringify(this.network, null, 2) + '\n';
    this.notice = `Fix these before exporting: ${this.parsed.ok ? '' : this.parsed.errors.join(' ')}`;
    return undefined;
  }

  /** Grades all 49 pairs, or names what keeps the draft from running. */
  check(): void {
    this.#checked = JSON.stringify(this.draft);
    this.verdict = this.network
      ? gradeClock($state.snapshot(this.network))
      : { ...gradeClock(null), errors: this.parsed.ok ? [] : this.parsed.errors };
    if (this.verdict.passed) {
      this.solved = true;
      this.#storage.setItem(ClockEditing.solvedKey, '1');
    }
  }

  #replace(next: ClockDraft, message: string): void {
    this.undo = $state.snapshot(this.draft);
    this.draft = next;
    this.notice = message;
  }
}
