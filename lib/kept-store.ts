// The one way the site keeps a student's work in the browser: a wrapper over a Storage-like object
// that never throws. Site data blocked (the `localStorage` getter throws) or storage full
// (`QuotaExceededError`): what could not be written stays in memory for this page, and `state` says
// so, for the widget to tell the student. Every name is scoped by the site's base path, so that two
// copies of the course on one origin (/course/ and /course-2026/) keep apart (docs/architecture.md).

/** What the store can promise: kept in the browser; this page only (blocked); some edits not kept (full) */
export type KeptState = 'kept' | 'memory-only' | 'full';

/** The part of the DOM's Storage the store uses; `key` and `length` only to list what is kept */
/** Kept (unscoped) by a copy of the course at an origin's root: its keys are the unscoped ones. */
export const rootCopyMarker = 'grokking:root-copy:v1';

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> &
  Partial<Pick<Storage, 'key' | 'length'>>;

/** How many damaged copies of one key are set aside before the oldest goes */
export const setAsideLimit = 5;

/** The key a name is kept under at base path `base`: the name itself at the root, else prefixed. */
export function scopedKey(base: string, name: string): string {
  return base === '/' ? name : `${base}${name}`;
}

/** The name behind a key kept at `base`, or undefined when the key is another base's or unscoped. */
export function nameOfKey(base: string, key: string): string | undefined {
  if (base === '/') return key.startsWith('/') ? undefined : key;
  return key.startsWith(base) ? key.slice(base.length) : undefined;
}

const isQuota = (e: unknown) =>
  e instanceof Error &&
  (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED');

export class KeptStore {
  readonly base: string;
  readonly #open: () => StorageLike | null | undefined;
  /** The storage once opened; null when it cannot be (site data blocked) */
  #storage: StorageLike | null | undefined;
  /** What the storage refused, by name: the page's copy (null: removed here) */
  readonly #memory = new Map<string, string | null>();
  #blocked = false;

  /** `open` gives the storage when first needed; it may throw (a blocked `localStorage` getter). */
  constructor(open: () => StorageLike | null | undefined, options: { base?: string } = {}) {
    this.#open = open;
    this.base = options.base ?? '/';
  }

  /** Whether the page's edits are kept: 'memory-only' when blocked, 'full' while one was refused. */
  get state(): KeptState {
    if (this.#blocked) return 'memory-only';
    return this.#memory.size > 0 ? 'full' : 'kept';
  }

  #storageOrNull(): StorageLike | null {
    if (this.#storage === undefined) {
      try {
        this.#storage = this.#open() ?? null;
      } catch {
        this.#storage = null;
      }
      if (this.#storage === null) this.#block();
    }
    return this.#storage;
  }

  #block(): void {
    this.#storage = null;
    this.#blocked = true;
  }

  /** Runs `act` on the storage; a refusal other than a full one means it is blocked. */
  #attempt<T>(
    act: (storage: StorageLike) => T,
  ): { ok: true; value: T } | { ok: false; full: boolean } {
    const storage = this.#storageOrNull();
    if (!storage) return { ok: false, full: false };
    try {
      return { ok: true, value: act(storage) };
    } catch (e) {
      if (isQuota(e)) return { ok: false, full: true };
      this.#block();
      return { ok: false, full: false };
    }
  }

  /** The value kept under `name`: the page's own copy when storage refused it. */
  getItem(name: string): string | null {
    if (this.#memory.has(name)) return this.#memory.get(name)!;
    const read = this.#attempt((s) => s.getItem(scopedKey(this.base, name)));
    return read.ok ? read.value : null;
  }

  /**
   * Keeps `value` under `name`; false when it stays in this page's memory only. When the storage
   * is full, the older copy is removed first (freeing its space) and the write tried again, so
   * that a reload never shows the older value as if it were the latest; `keepStale` leaves it
   * (for records whose older copy is still true, such as answers given).
   */
  setItem(name: string, value: string, options: { keepStale?: boolean } = {}): boolean {
    const key = scopedKey(this.base, name);
    let wrote = this.#attempt((s) => s.setItem(key, value));
    if (!wrote.ok && wrote.full && !options.keepStale) {
      this.#attempt((s) => s.removeItem(key));
      wrote = this.#attempt((s) => s.setItem(key, value));
    }
    if (wrote.ok) this.#memory.delete(name);
    else this.#memory.set(name, value);
    return wrote.ok;
  }

  removeItem(name: string): void {
    const removed = this.#attempt((s) => s.removeItem(scopedKey(this.base, name)));
    if (removed.ok) this.#memory.delete(name);
    else this.#memory.set(name, null);
  }

  /**
   * Every name kept at this base (those of keys scoped to it, and the page's own copies of what
   * storage refused), sorted; none when the storage cannot be listed.
   */
  names(): string[] {
    const names = new Set<string>();
    const listed = this.#attempt((s) => {
      const keys: string[] = [];
      for (let i = 0; i < (s.length ?? 0); i++) keys.push(s.key?.(i) ?? '');
      return keys;
    });
    for (const key of listed.ok ? listed.value : []) {
      const name = nameOfKey(this.base, key);
      if (name !== undefined && name !== '') names.add(name);
    }
    for (const [name, value] of this.#memory) {
      if (value === null) names.delete(name);
      else names.add(name);
    }
    return [...names].sort();
  }

  /**
   * Sets a damaged value aside under `name`.broken.1 … .broken.N (N = setAsideLimit), never over an
   * earlier copy: the newest is the highest number, and past the limit the oldest goes. Returns
   * the name it was kept under.
   */
  setAside(name: string, text: string): string {
    const copy = (i: number) => `${name}.broken.${i}`;
    let free = 1;
    while (free <= setAsideLimit && this.getItem(copy(free)) !== null) free++;
    if (free > setAsideLimit) {
      for (let i = 1; i < setAsideLimit; i++) this.setItem(copy(i), this.getItem(copy(i + 1))!);
      free = setAsideLimit;
    }
    this.setItem(copy(free), text);
    return copy(free);
  }

  /**
   * Copies each of `names` kept unscoped (before keys were scoped by base) to this base's key, once
   * per base (a marker records it) and only where this base has nothing yet. At the root the names
   * are the unscoped keys, so the root copy only records that it is here (`rootCopyMarker`): from
   * then on the unscoped keys are its live data, and no other base takes them.
   */
  migrate(names: readonly string[]): void {
    if (this.base === '/') {
      if (this.getItem(rootCopyMarker) === null) this.setItem(rootCopyMarker, '1');
      return;
    }
    const marker = 'grokking:scoped:v1';
    if (this.getItem(marker) !== null) return;
    const rootIsHere = this.#attempt((s) => s.getItem(rootCopyMarker));
    if (!(rootIsHere.ok && rootIsHere.value !== null))
      for (const name of names) {
        if (this.getItem(name) !== null) continue;
        const old = this.#attempt((s) => s.getItem(name));
        if (old.ok && old.value !== null) this.setItem(name, old.value);
      }
    this.setItem(marker, '1');
  }
}
