// A Storage in memory for the tests of what keeps students' work (lib/kept-store.ts): a Map behind
// the calls, which can be made to refuse writes as a full browser store does.
import type { StorageLike } from '../../lib/kept-store.ts';

/** `items` as a Storage; while `full()` is true every write throws QuotaExceededError. */
export function mapStorage(
  items: Map<string, string>,
  full: () => boolean = () => false,
): StorageLike {
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (full()) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      items.set(key, value);
    },
    removeItem: (key) => void items.delete(key),
    key: (index) => [...items.keys()][index] ?? null,
    get length() {
      return items.size;
    },
  };
}
