// The course in order: every lesson of the collection, sorted, with its neighbours.
import { getCollection, type CollectionEntry } from 'astro:content';
import { sitePath } from './paths';

export type Lesson = CollectionEntry<'lessons'>;

/** All lessons, ready or coming, in course order. */
export async function courseLessons(): Promise<Lesson[]> {
  const all = await getCollection('lessons');
  const sorted = all.sort((x, y) => x.data.order - y.data.order);
  const orders = new Set(sorted.map((l) => l.data.order));
  if (orders.size !== sorted.length) {
    throw new Error('Two lessons share the same `order` in their frontmatter; each needs its own.');
  }
  return sorted;
}

/** The URL of a lesson page. */
export function lessonHref(lesson: Lesson): string {
  return sitePath(`lessons/${lesson.id}/`);
}

/** The ready lessons just before and after `id`, skipping lessons still to come. */
export function neighbours(
  lessons: Lesson[],
  id: string,
): { previous: Lesson | undefined; next: Lesson | undefined } {
  const ready = lessons.filter((l) => l.data.status === 'ready');
  const at = ready.findIndex((l) => l.id === id);
  return { previous: ready[at - 1], next: at >= 0 ? ready[at + 1] : undefined };
}

/** What a lesson asks of the browser, in words for its header and the course map; empty if nothing. */
export function needsNote(lesson: Lesson): string {
  const { webgpu, worker } = lesson.data.needs;
  const notes = [
    worker ? 'Live in your browser' : '',
    webgpu === 'optional' ? 'faster with WebGPU' : webgpu === 'required' ? 'needs WebGPU' : '',
  ].filter(Boolean);
  return notes.join(' · ');
}
