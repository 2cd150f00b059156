// The clock exercise's editing session: the draft (numbers or formulas, saved on every edit),
// undo of the last replacement, fill-down, import and export, and the check of all 49 pairs (tiny:
// it runs at once, no worker). The editor component only draws it; storage comes in, so that Node
// tests can drive a session.
import {
  clockCellErrors,
  clockCellValues,
  clockDraftFromNetwork,
  clockFromDraft,
  emptyClockDraft,
  resizeClockDraft,
  restoreClockDraft,
  type ClockDraft,
  type ClockParam,
} from '../../lib/clock/draft.ts';
import { gradeClock, parseClockJson, type ClockVerdict } from '../../lib/clock/grade.ts';
import { DraftEditing, type DraftStorage } from '../draft-editing.svelte.ts';

export class ClockEditing extends DraftEditing<ClockParam, ClockDraft> {
  verdict: ClockVerdict | undefined = $state();
  #checked = $state('');

  parsed = $derived(clockFromDraft(this.draft));
  network = $derived(this.parsed.ok ? this.parsed.network : undefined);
  /** The draft changed since the last check */
  stale = $derived(this.verdict !== undefined && this.#checked !== JSON.stringify(this.draft));

  static readonly draftKey = 'grokking:clock:draft:v1';
  static readonly solvedKey = 'grokking:clock:solved';

  constructor(storage: DraftStorage) {
    super(
      storage,
      { draft: ClockEditing.draftKey, solved: ClockEditing.solvedKey },
      emptyClockDraft(),
      restoreClockDraft,
      clockCellErrors,
      clockCellValues,
    );
  }

  /** All 49 pairs are cheap to grade, so the mark follows every edit. */
  protected override passesNow(): boolean {
    return this.network !== undefined && gradeClock($state.snapshot(this.network)).passed;
  }

  override fillDown(name: ClockParam, r: number, c: number): void {
    super.fillDown(name, r, c);
    this.notice = `Filled ${name}'s column ${c} down from row ${r}.`;
  }

  resize(d: number, n: number): void {
    this.draft = resizeClockDraft(this.draft, d, n);
  }

  reset(): void {
    this.replace(
      emptyClockDraft(this.draft.d, this.draft.n, this.draft.activation),
      'Reset to zeros.',
    );
  }

  /** Takes a network file's text as the new draft, or lists what is wrong with it. */
  importText(fileName: string, text: string): void {
    const result = parseClockJson(text);
    this.importErrors = result.ok ? [] : result.errors.map((e) => `${fileName}: ${e}`);
    if (result.ok) this.replace(clockDraftFromNetwork(result.network), `Imported ${fileName}.`);
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
    if (this.verdict.passed) this.markSolved();
  }
}
