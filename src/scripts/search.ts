// The search box in the site header: Pagefind's index of the lessons (scripts/search-index.mjs),
// searched through its JS API, loaded when the box is first focused, so that a page load fetches nothing
// of it. "/" or Ctrl+K (⌘K) focuses the box; the arrow keys walk the results, Escape goes back.
import { sitePath, siteBase } from '../paths';

/** The part of Pagefind's API (pagefind/pagefind.js) the box uses. */
interface Pagefind {
  options(options: { baseUrl: string; excerptLength: number }): Promise<void>;
  init(): Promise<void>;
  search(query: string): Promise<{ results: { data(): Promise<PageData> }[] }>;
}
interface PageData {
  url: string;
  meta: { title?: string };
  excerpt: string;
  sub_results?: { title: string; url: string; excerpt: string; locations?: number[] }[];
}
/** One link in the list: a lesson, the heading within it, the words around the match. */
interface Hit {
  lesson: string;
  heading: string;
  url: string;
  excerpt: string;
}

const mostLessons = 6;
const mostPerLesson = 3;

const box = document.querySelector<HTMLElement>('[data-testid="search"]')!;
const input = box.querySelector<HTMLInputElement>('input')!;
const panel = box.querySelector<HTMLElement>('.search-panel')!;
const status = box.querySelector<HTMLElement>('.search-status')!;
const list = box.querySelector<HTMLOListElement>('.search-results')!;

let loading: Promise<Pagefind> | undefined;
let ready = false;
let asked = 0;

function load(): Promise<Pagefind> {
  loading ??= (async () => {
    const url = sitePath('pagefind/pagefind.js');
    const pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
    await pagefind.options({ baseUrl: siteBase, excerptLength: 18 });
    await pagefind.init();
    ready = true;
    return pagefind;
  })();
  // A failed load (offline before the index was kept) is tried again at the next keystroke.
  loading.catch(() => (loading = undefined));
  return loading;
}

/**
 * The lessons' hits, each lesson's best sections first: those whose heading has a word of the
 * query, then those that mention it most (Pagefind lists a page's sections in page order).
 */
function hits(pages: PageData[], query: string): Hit[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const named = (title: string) => words.some((word) => title.toLowerCase().includes(word));
  return pages.flatMap((page) => {
    const lesson = page.meta.title ?? page.url;
    const subs = page.sub_results?.length
      ? [...page.sub_results].sort(
          (a, b) =>
            Number(named(b.title)) - Number(named(a.title)) ||
            (b.locations?.length ?? 0) - (a.locations?.length ?? 0),
        )
      : [{ title: lesson, url: page.url, excerpt: page.excerpt }];
    return subs.slice(0, mostPerLesson).map((sub) => ({
      lesson,
      heading: sub.title,
      url: sub.url,
      excerpt: sub.excerpt,
    }));
  });
}

/** Pagefind's excerpt, HTML with <mark> around the matched words, as text and <mark> nodes only. */
function excerptNodes(html: string): Node[] {
  const parsed = new DOMParser().parseFromString(html, 'text/html').body;
  return [...parsed.childNodes].map((node) => {
    if (node.nodeName !== 'MARK') return document.createTextNode(node.textContent ?? '');
    const mark = document.createElement('mark');
    mark.textContent = node.textContent;
    return mark;
  });
}

function hitItem(hit: Hit): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = hit.url;
  const where = document.createElement('span');
  where.className = 'search-where';
  const lesson = document.createElement('span');
  lesson.className = 'search-lesson';
  lesson.textContent = hit.lesson;
  where.append(lesson);
  if (hit.heading !== hit.lesson) {
    const heading = document.createElement('span');
    heading.className = 'search-heading';
    heading.textContent = hit.heading;
    where.append(' › ', heading);
  }
  const excerpt = document.createElement('span');
  excerpt.className = 'search-excerpt';
  excerpt.append(...excerptNodes(hit.excerpt));
  link.append(where, excerpt);
  item.append(link);
  return item;
}

function show(open: boolean): void {
  panel.hidden = !open;
}

async function search(): Promise<void> {
  const query = input.value.trim();
  const ask = ++asked;
  if (!query) {
    list.replaceChildren();
    status.textContent = '';
    show(false);
    return;
  }
  show(true);
  if (!ready) status.textContent = 'Loading the search index…';
  try {
    const pagefind = await load();
    const found = await pagefind.search(query);
    const pages = await Promise.all(found.results.slice(0, mostLessons).map((r) => r.data()));
    if (ask !== asked) return; // a later keystroke has asked again
    const shown = hits(pages, query);
    list.replaceChildren(...shown.map(hitItem));
    const lessons = found.results.length;
    status.textContent =
      lessons === 0
        ? `No lesson mentions “${query}”.`
        : `${lessons === 1 ? '1 lesson mentions' : `${lessons} lessons mention`} “${query}”` +
          (lessons > mostLessons ? `; the ${mostLessons} closest are shown.` : '.');
  } catch (error) {
    if (ask !== asked) return;
    list.replaceChildren();
    const why = error instanceof Error ? error.message : String(error);
    status.textContent = navigator.onLine
      ? `Search could not load its index (${why}). The index is written by the build (npm run build); astro dev has none.`
      : `Search could not load its index: you are offline and this browser has not kept it yet. Open the course map once online.`;
  }
}

function links(): HTMLAnchorElement[] {
  return [...list.querySelectorAll<HTMLAnchorElement>('a')];
}

function editable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

let typing: ReturnType<typeof setTimeout> | undefined;
input.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => void search(), 120);
});
input.addEventListener('focus', () => {
  // The index starts loading as the reader comes to the box, before the first keystroke.
  void load().catch(() => undefined);
  if (input.value.trim()) show(true);
});

box.addEventListener('keydown', (event) => {
  const all = links();
  const at = all.indexOf(document.activeElement as HTMLAnchorElement);
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    if (all.length === 0) return;
    event.preventDefault();
    const next = event.key === 'ArrowDown' ? at + 1 : at - 1;
    if (next < 0) input.focus();
    else all[Math.min(next, all.length - 1)]?.focus();
  } else if (event.key === 'Escape') {
    event.preventDefault();
    if (at >= 0 || input.value === '') {
      if (at < 0) input.blur();
      else input.focus();
      show(false);
    } else {
      input.value = '';
      void search();
    }
  } else if (event.key === 'Enter' && event.target === input && all[0]) {
    event.preventDefault();
    all[0].click();
  }
});

// Closes when the focus leaves the box (a click elsewhere, Tab past the last result).
box.addEventListener('focusout', (event) => {
  if (!box.contains(event.relatedTarget as Node | null)) show(false);
});

document.addEventListener('keydown', (event) => {
  const shortcut =
    (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey) ||
    ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k');
  if (!shortcut || (event.key === '/' && editable(event.target))) return;
  event.preventDefault();
  input.focus();
  input.select();
});
