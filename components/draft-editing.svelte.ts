// What the weight editors' sessions share (the RNN exercises' and the clock's): a draft of grids of
// typed text, kept in storage on every edit once restored (a damaged one set aside with a message),
// the cells that are neither numbers nor formulas, editing and filling down, undo of the last
// replacement, and the exercise's "solved" mark.
import type { CellError } from '../lib/formula.ts';
import type { KeptState, KeptStore } from '../lib/kept-store.ts';

/** Where a session keeps its draft: the page's store (kept-storage.ts), a Map behind one in the tests */
export type DraftStorage = Pick<KeptStore, 'getItem' | 'setItem' | 'setAside' | 'state'>;

export class DraftEditing<P extends string, D extends { params: Record<P, string[][]> }> {
  draft: D = $state() as D;
  /** The kept draft has been read: from now on every edit is saved */
  restored = $state(false);
  solved = $state(false);
  /** The draft before the last import or reset */
  undo: D | undefined = $state();
  notice = $state('');
  importErrors: string[] = $state([]);
  /** Whether the browser keeps the draft (kept-store.ts): the editor says so when it does not */
  keeping: KeptState = $state('kept');
  /** A draft another tab kept since this one was read, until the student picks one */
  theirs: D | undefined = $state();
  /** Cells that are neither numbers nor formulas, each with its message */
  cellErrors: CellError<P>[] = $derived.by(() => this.#errorsOf(this.draft));
  /** Every cell's value, formulas evaluated (NaN where a cell cannot be read) */
  cellValues: Record<P, number[][]> = $derived.by(() => this.#valuesOf(this.draft));

  protected readonly storage: DraftStorage;
  protected readonly keys: { draft: string; solved: string };
  readonly #read: (saved: string | null) => D | undefined;
  readonly #errorsOf: (draft: D) => CellError<P>[];
  readonly #valuesOf: (draft: D) => Record<P, number[][]>;

  constructor(
    storage: DraftStorage,
    keys: { draft: string; solved: string },
    first: D,
    read: (saved: string | null) => D | undefined,
    errorsOf: (draft: D) => CellError<P>[],
    valuesOf: (draft: D) => Record<P, number[][]>,
  ) {
    this.storage = storage;
    this.keys = keys;
    this.#read = read;
    this.#errorsOf = errorsOf;
    this.#valuesOf = valuesOf;
    this.draft = first;
  }

  /** Reads the kept draft and whether the exercise was solved; a damaged draft is set aside. */
  restore(): void {
    const text = this.storage.getItem(this.keys.draft);
    const saved = this.#read(text);
    if (saved) this.draft = saved;
    else if (text) {
      const aside = this.storage.setAside(this.keys.draft, text);
      this.notice = `Your saved draft could not be read, so the editor starts afresh (the old one is set aside in this browser as "${aside}").`;
    }
    this.solved = this.storage.getItem(this.keys.solved) === '1';
    this.keeping = this.storage.state;
    this.restored = true;
  }

  /** The name the draft is kept under, for the page to hear other tabs' changes to it */
  get draftKey(): string {
    return this.keys.draft;
  }

  /**
   * Another tab kept `text` as this draft: unless it is this draft already, it waits in `theirs`
   * for the student to load it or keep their own; neither is lost meanwhile.
   */
  heardOtherTab(text: string | null): void {
    if (text === null || text === JSON.stringify(this.draft)) return;
    const other = this.#read(text);
    if (other) this.theirs = other;
  }

  /** Loads the other tab's draft (undo brings this one back). */
  loadTheirs(): void {
    if (!this.theirs) return;
    const next = this.theirs;
    this.theirs = undefined;
    this.replace(next, 'Loaded the draft from the other tab; Undo brings yours back.');
  }

  /** Keeps this tab's draft, over the other tab's. */
  keepMine(): void {
    this.theirs = undefined;
    this.#write();
    this.notice = 'Kept your draft; the other tab’s is replaced.';
  }

  #write(): void {
    this.storage.setItem(this.keys.draft, JSON.stringify(this.draft));
    this.keeping = this.storage.state;
  }

  /**
   * Keeps the draft (the component calls this whenever the draft changes), and takes the "solved"
   * mark away, in the page and in storage (where the course map reads it), once the draft is no
   * longer a network that passes.
   */
  save(): void {
    if (!this.restored) return;
    this.#write();
    if (this.solved && !this.passesNow()) {
      this.solved = false;
      this.storage.setItem(this.keys.solved, '0');
      this.notice =
        'Your edits changed the network that passed, so it is no longer marked solved: Check it again.';
    }
  }

  /** Whether the current draft is still a network that passes (each exercise says how it knows). */
  protected passesNow(): boolean {
    return false;
  }

  /** Cells "r,c" of a parameter that are neither numbers nor formulas. */
  invalidCells(name: P): string[] {
    return this.cellErrors.filter((e) => e.name === name).map((e) => `${e.r},${e.c}`);
  }

  edit(name: P, r: number, c: number, text: string): void {
    const row = this.draft.params[name][r];
    if (row) row[c] = text;
  }

  /** Copies cell (r, c)'s text, formula or number, into every cell below it in its column. */
  fillDown(name: P, r: number, c: number): void {
    const grid = this.draft.params[name];
    const text = grid[r]?.[c];
    if (text === undefined) return;
    for (let below = r + 1; below < grid.length; below++) grid[below]![c] = text;
  }

  /** Back to the draft before the last import or reset. */
  restoreUndo(): void {
    if (!this.undo) return;
    this.draft = this.undo;
    this.undo = undefined;
    this.notice = 'Restored.';
  }

  /** Marks the exercise solved, in the page and in storage. */
  protected markSolved(): void {
    this.solved = true;
    this.storage.setItem(this.keys.solved, '1');
    this.keeping = this.storage.state;
  }

  /** Replaces the draft (an import or a reset), keeping the old one for undo. */
  protected replace(next: D, message: string): void {
    this.undo = $state.snapshot(this.draft) as D;
    this.draft = next;
    this.notice = message;
  }
}
