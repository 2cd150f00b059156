// The page's one store of student data (lib/kept-store.ts over localStorage, scoped by the build's
// base path), the words a widget shows while it cannot keep the work, and the changes other tabs
// make, heard through `storage` events.
import { KeptStore, nameOfKey, type KeptState } from '../lib/kept-store.ts';

/**
 * Every name kept before keys were scoped by base: copied once into this base's keys
 * (KeptStore.migrate). The theme was scoped from the start (`${base}grokking:theme`).
 */
export const unscopedNames = [
  'grokking:questions:v1',
  'grokking:visited:v1',
  'grokking:rnn:add:draft:v1',
  'grokking:rnn:add:solved',
  'grokking:rnn:add:solved-network',
  'grokking:rnn:xor:draft:v1',
  'grokking:rnn:xor:solved',
  'grokking:rnn:xor:solved-network',
  'grokking:clock:draft:v1',
  'grokking:clock:solved',
  'grokking:backend:v1',
  'grokking-lab/last-run',
] as const;

/** The window event a page hears when its progress panel has imported or reset what is kept. */
export const keptEvent = 'grokking:kept';

let store: KeptStore | undefined;

/** The page's store (made on first use, in the browser only: the server has no localStorage). */
export function pageStore(): KeptStore {
  if (!store) {
    store = new KeptStore(() => globalThis.localStorage, { base: import.meta.env.BASE_URL });
    store.migrate(unscopedNames);
  }
  return store;
}

/** The page's store as an object to hand a widget's session: it opens the store on first use. */
export const pageStorage: Pick<
  KeptStore,
  'getItem' | 'setItem' | 'removeItem' | 'setAside' | 'names' | 'state'
> = {
  getItem: (name) => pageStore().getItem(name),
  setItem: (name, value, options) => pageStore().setItem(name, value, options),
  removeItem: (name) => pageStore().removeItem(name),
  setAside: (name, text) => pageStore().setAside(name, text),
  names: () => pageStore().names(),
  get state() {
    return pageStore().state;
  },
};

/**
 * Calls `heard` with the new text (null: removed) whenever `name` changes under the page: another
 * tab writes it (or clears the site's storage), or this page's progress panel imports or resets
 * (`keptEvent`). Returns the function that stops listening.
 */
export function watchKept(name: string, heard: (text: string | null) => void): () => void {
  const reread = () => heard(pageStore().getItem(name));
  const listen = (event: StorageEvent) => {
    if (event.key === null || nameOfKey(import.meta.env.BASE_URL, event.key) === name) reread();
  };
  window.addEventListener('storage', listen);
  window.addEventListener(keptEvent, reread);
  return () => {
    window.removeEventListener('storage', listen);
    window.removeEventListener(keptEvent, reread);
  };
}

/** The line a widget shows while its work is not being kept; '' while it is. */
export function keepingWords(state: KeptState): string {
  if (state === 'memory-only') {
    return 'This browser does not let the site keep data (site data is blocked), so your work here lasts only while this tab is open. Export it, or allow site data, to keep it.';
  }
  if (state === 'full') {
    return "This browser's storage for the site is full, so your latest changes are not kept after the tab closes. Export your work to keep it, or free some space.";
  }
  return '';
}
