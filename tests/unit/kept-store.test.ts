// The one storage layer for students' work (lib/kept-store.ts): storage full, site data blocked,
// damaged copies set aside, keys scoped by base and the unscoped ones migrated once; and the
// weight editors' session on it, when another tab changes the draft.
import { describe, expect, it } from 'vitest';
import { ClockEditing } from '../../components/clock/clock-editing.svelte.ts';
import {
  rootCopyMarker,
  KeptStore,
  nameOfKey,
  scopedKey,
  setAsideLimit,
} from '../../lib/kept-store.ts';
import { mapStorage } from './map-storage.ts';

const blocked = () => {
  throw new DOMException('The operation is insecure.', 'SecurityError');
};

describe('the kept store', () => {
  it('keeps and reads back while the storage takes writes', () => {
    const items = new Map<string, string>();
    const store = new KeptStore(() => mapStorage(items));
    expect(store.setItem('a', '1')).toBe(true);
    expect([items.get('a'), store.getItem('a'), store.state]).toEqual(['1', '1', 'kept']);
    store.removeItem('a');
    expect([items.has('a'), store.getItem('a')]).toEqual([false, null]);
  });

  it('storage full: the value stays in memory, the state says so, no older copy is left', () => {
    const items = new Map([['draft', 'older']]);
    let full = true;
    // Full even once the older copy is gone: nothing fits.
    const store = new KeptStore(() => mapStorage(items, () => full));
    expect(store.setItem('draft', 'newer')).toBe(false);
    expect(store.state).toBe('full');
    expect(store.getItem('draft')).toBe('newer');
    // A reload reads the storage: it must not hold the older draft as if it were the latest.
    expect(items.has('draft')).toBe(false);
    full = false;
    expect(store.setItem('draft', 'newest')).toBe(true);
    expect([store.state, items.get('draft')]).toEqual(['kept', 'newest']);
  });

  it('storage full: removing the older copy can make room, and then it is kept', () => {
    const items = new Map([['draft', 'x'.repeat(10)]]);
    const room = 12; // characters the store holds in all
    const storage = mapStorage(items, () => [...items.values()].join('').length + 10 > room);
    const store = new KeptStore(() => storage);
    expect(store.setItem('draft', 'y'.repeat(10))).toBe(true);
    expect([store.state, items.get('draft')]).toEqual(['kept', 'y'.repeat(10)]);
  });

  it('keepStale leaves the older copy when full (answers given stay true)', () => {
    const items = new Map([['answers', '{"q":1}']]);
    const store = new KeptStore(() => mapStorage(items, () => true));
    expect(store.setItem('answers', '{"q":1,"r":2}', { keepStale: true })).toBe(false);
    expect(items.get('answers')).toBe('{"q":1}');
    expect(store.getItem('answers')).toBe('{"q":1,"r":2}');
  });

  it('site data blocked (the getter throws): every call works, in memory, and says so', () => {
    const store = new KeptStore(blocked);
    expect(store.getItem('a')).toBeNull();
    expect(store.setItem('a', '1')).toBe(false);
    expect([store.getItem('a'), store.state]).toEqual(['1', 'memory-only']);
    store.removeItem('a');
    expect(store.getItem('a')).toBeNull();
    expect(store.setAside('a', 'damaged')).toBe('a.broken.1');
    // A browser that gives no localStorage at all is blocked too.
    const none = new KeptStore(() => null);
    expect([none.getItem('a'), none.state]).toEqual([null, 'memory-only']);
  });

  it('blocked on use (each call throws SecurityError): memory-only, not a crash', () => {
    const store = new KeptStore(() => ({
      getItem: blocked,
      setItem: blocked,
      removeItem: blocked,
    }));
    expect(store.getItem('a')).toBeNull();
    expect(store.state).toBe('memory-only');
    expect(store.setItem('a', '1')).toBe(false);
    expect(store.getItem('a')).toBe('1');
  });

  it('sets damaged copies aside without overwriting an earlier one, the newest kept past the cap', () => {
    const items = new Map<string, string>();
    const store = new KeptStore(() => mapStorage(items));
    expect(store.setAside('draft', 'first')).toBe('draft.broken.1');
    expect(store.setAside('draft', 'second')).toBe('draft.broken.2');
    expect([items.get('draft.broken.1'), items.get('draft.broken.2')]).toEqual(['first', 'second']);
    for (let i = 3; i <= setAsideLimit + 2; i++) store.setAside('draft', `copy ${i}`);
    const copies = Array.from({ length: setAsideLimit + 1 }, (_, i) =>
      items.get(`draft.broken.${i + 1}`),
    );
    // The cap holds, the oldest went, and the newest is last.
    expect(copies.at(-1)).toBeUndefined();
    expect(copies.slice(0, setAsideLimit)).toEqual(
      Array.from({ length: setAsideLimit }, (_, i) => `copy ${i + 3}`),
    );
  });

  it('scopes every key by base: the root keeps the old names', () => {
    expect(scopedKey('/', 'grokking:questions:v1')).toBe('grokking:questions:v1');
    expect(scopedKey('/course/', 'grokking:questions:v1')).toBe('/course/grokking:questions:v1');
    expect(nameOfKey('/course/', '/course/grokking:x')).toBe('grokking:x');
    expect(nameOfKey('/course/', '/course-2026/grokking:x')).toBeUndefined();
    expect(nameOfKey('/course/', 'grokking:x')).toBeUndefined();
    expect(nameOfKey('/', '/course/grokking:x')).toBeUndefined();
    const items = new Map<string, string>();
    new KeptStore(() => mapStorage(items), { base: '/course/' }).setItem('q', 'a');
    new KeptStore(() => mapStorage(items), { base: '/course-2026/' }).setItem('q', 'b');
    expect(Object.fromEntries(items)).toEqual({ '/course/q': 'a', '/course-2026/q': 'b' });
    expect(new KeptStore(() => mapStorage(items), { base: '/course/' }).getItem('q')).toBe('a');
  });

  it('migrates the unscoped keys once per base, never over the base’s own, and leaves them', () => {
    const items = new Map([
      ['grokking:questions:v1', 'old answers'],
      ['grokking:clock:draft:v1', 'old draft'],
      ['/course/grokking:clock:draft:v1', 'the course’s own draft'],
    ]);
    const names = ['grokking:questions:v1', 'grokking:clock:draft:v1', 'grokking:visited:v1'];
    const course = new KeptStore(() => mapStorage(items), { base: '/course/' });
    course.migrate(names);
    expect(course.getItem('grokking:questions:v1')).toBe('old answers');
    expect(course.getItem('grokking:clock:draft:v1')).toBe('the course’s own draft');
    expect(course.getItem('grokking:visited:v1')).toBeNull();
    // Once: an answer removed here does not come back from the old key on the next visit.
    course.removeItem('grokking:questions:v1');
    new KeptStore(() => mapStorage(items), { base: '/course/' }).migrate(names);
    expect(course.getItem('grokking:questions:v1')).toBeNull();
    // The other copy of the course on this origin still gets its own copy of the old keys.
    const other = new KeptStore(() => mapStorage(items), { base: '/course-2026/' });
    other.migrate(names);
    expect(other.getItem('grokking:questions:v1')).toBe('old answers');
    expect(items.get('grokking:questions:v1')).toBe('old answers');
    // At the root the names are the keys: only the marker that a root copy lives there is written.
    const before = new Map(items);
    new KeptStore(() => mapStorage(items)).migrate(names);
    expect([...items].filter(([k]) => !before.has(k))).toEqual([[rootCopyMarker, '1']]);
  });

  it("never copies a root copy's live data into another base on the origin", () => {
    const items = new Map<string, string>();
    const root = new KeptStore(() => mapStorage(items));
    root.migrate(['grokking:questions:v1']);
    root.setItem('grokking:questions:v1', 'answers given at the root');
    const course = new KeptStore(() => mapStorage(items), { base: '/course/' });
    course.migrate(['grokking:questions:v1']);
    expect(course.getItem('grokking:questions:v1')).toBeNull();
    expect(root.getItem('grokking:questions:v1')).toBe('answers given at the root');
  });
});

describe("a weight editor's draft and the storage under it", () => {
  it('storage full: the edit stays in the session, which says it is not kept', () => {
    const items = new Map<string, string>();
    let full = false;
    const editing = new ClockEditing(new KeptStore(() => mapStorage(items, () => full)));
    editing.restore();
    expect(editing.keeping).toBe('kept');
    full = true;
    editing.edit('W_E', 0, 0, '0.5');
    editing.save();
    expect(editing.keeping).toBe('full');
    expect(editing.draft.params.W_E[0]![0]).toBe('0.5');
    // The storage holds no older draft to pass for this one after a reload.
    expect(items.has(ClockEditing.draftKey)).toBe(false);
  });

  it('blocked: restores, edits and checks, in memory', () => {
    const editing = new ClockEditing(new KeptStore(blocked));
    editing.restore();
    expect([editing.restored, editing.keeping]).toEqual([true, 'memory-only']);
    editing.edit('W_E', 0, 0, '1');
    editing.save();
    editing.check();
    expect(editing.verdict).toBeDefined();
  });

  it('another tab’s draft waits for the student: load theirs (undo back) or keep mine', () => {
    const items = new Map<string, string>();
    const store = new KeptStore(() => mapStorage(items));
    const mine = new ClockEditing(store);
    mine.restore();
    mine.edit('W_E', 0, 0, 'mine');
    mine.save();
    const other = new ClockEditing(new KeptStore(() => mapStorage(items)));
    other.restore();
    other.edit('W_E', 0, 0, 'theirs');
    other.save();
    const theirsText = items.get(ClockEditing.draftKey)!;
    mine.heardOtherTab(theirsText);
    expect(mine.theirs?.params.W_E[0]![0]).toBe('theirs');
    expect(mine.draft.params.W_E[0]![0]).toBe('mine'); // nothing replaced silently
    mine.loadTheirs();
    expect([mine.draft.params.W_E[0]![0], mine.theirs]).toEqual(['theirs', undefined]);
    mine.restoreUndo();
    expect(mine.draft.params.W_E[0]![0]).toBe('mine');
    mine.heardOtherTab(theirsText);
    mine.keepMine();
    expect(JSON.parse(items.get(ClockEditing.draftKey)!).params.W_E[0][0]).toBe('mine');
    // Its own draft echoed back, or a damaged one, is not a change to offer.
    mine.heardOtherTab(items.get(ClockEditing.draftKey)!);
    mine.heardOtherTab('{not json');
    expect(mine.theirs).toBeUndefined();
  });
});
