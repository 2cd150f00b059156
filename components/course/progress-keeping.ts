// The progress panel's hands on this browser: this copy of the course's kept names (the page's
// store) and the lab's training state (IndexedDB), gathered into a progress file, written back
// from an import, or forgotten by a reset. Every change is announced with the `grokking:kept`
// event, so that the course map redraws; other tabs hear localStorage's own `storage` events.
import { courseBuild } from '../course-build.ts';
import { errorMessage } from '../../lib/errors.ts';
import { isProgressName, type LabItems } from '../../lib/progress-file.ts';
import { keptEvent, pageStorage } from '../kept-storage.ts';
import { clearState, loadLabItems, saveLabItems } from '../lab/saved-run.ts';

/** Every kept name of this base that travels with the student, with its text. */
export function keptProgress(): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of pageStorage.names()) {
    const text = pageStorage.getItem(name);
    if (isProgressName(name) && text !== null) kept[name] = text;
  }
  return kept;
}

/** The lab's training state as kept, unread; none when IndexedDB is unavailable. */
export async function keptLab(): Promise<LabItems> {
  return loadLabItems().catch(() => ({}));
}

/** The build's name, as every export records it (course-build.ts: the version and the commit). */
export function buildName(): string {
  return courseBuild;
}

/**
 * Writes an import's texts and damaged copies, and the lab's state when its run came too; returns
 * what the student should know when the lab's state could not be kept, else ''.
 */
export async function writeImport(
  writes: Record<string, string>,
  setAside: { name: string; text: string }[],
  lab: LabItems | undefined,
): Promise<string> {
  for (const [name, text] of Object.entries(writes)) pageStorage.setItem(name, text);
  for (const { name, text } of setAside) pageStorage.setAside(name, text);
  let note = '';
  if (lab) {
    await saveLabItems(lab).catch((e: unknown) => {
      note = `The lab's training state could not be kept in this browser (${errorMessage(e)}): the run's curves came, and it can be trained again.`;
    });
  }
  window.dispatchEvent(new Event(keptEvent));
  return note;
}

/** Forgets every kept name that travels, and the lab's training state. */
export async function forgetProgress(): Promise<void> {
  for (const name of Object.keys(keptProgress())) pageStorage.removeItem(name);
  await clearState();
  window.dispatchEvent(new Event(keptEvent));
}
