// The files an instructor hands the grading page, by a file input (files or a whole folder) or by
// dropping files and folders: each with the path it is named by in the table, folders walked
// through the entries API, since a drop's FileList holds a dropped folder as one unreadable item.
import { isSubmissionName } from '../../lib/gradebook/batch.ts';

/** A file as the grader needs it: `File` in the page, anything with these three in tests. */
export interface BatchFile {
  name: string;
  size: number;
  text(): Promise<string>;
}

/** One file of the batch, named by its path inside what was chosen or dropped. */
export interface ChosenFile {
  path: string;
  file: BatchFile;
}

/** The batch split into the files graded (JSON) and those listed as skipped (anything else). */
export interface ChosenBatch {
  graded: ChosenFile[];
  skipped: string[];
}

/** The few members of the browser's FileSystemEntry (webkitGetAsEntry) the walk uses. */
export interface DroppedEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  /** From the drop's root, starting with "/" */
  fullPath: string;
  file?(success: (file: BatchFile) => void, failure: (error: unknown) => void): void;
  createReader?(): {
    readEntries(
      success: (entries: DroppedEntry[]) => void,
      failure: (error: unknown) => void,
    ): void;
  };
}

/** Splits chosen files into graded and skipped. */
export function splitBatch(files: ChosenFile[]): ChosenBatch {
  return {
    graded: files.filter((f) => isSubmissionName(f.path)),
    skipped: files.filter((f) => !isSubmissionName(f.path)).map((f) => f.path),
  };
}

/** Files from an input: a folder's under their path in it (webkitRelativePath), others by name. */
export function inputFiles(
  files: ArrayLike<BatchFile & { webkitRelativePath?: string }>,
): ChosenFile[] {
  return Array.from(files, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** Every entry of a folder: readEntries gives at most 100 at a time, so it is called until empty. */
async function folderEntries(entry: DroppedEntry): Promise<DroppedEntry[]> {
  const reader = entry.createReader!();
  const all: DroppedEntry[] = [];
  for (;;) {
    const some = await new Promise<DroppedEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (some.length === 0) return all;
    all.push(...some);
  }
}

/**
 * The files under dropped entries, folders walked to any depth, each named by its path from the
 * drop (without the leading "/"). A file or folder the browser cannot open is listed in `skipped`
 * with why, and the rest of the drop is still read.
 */
export async function walkEntries(entries: DroppedEntry[]): Promise<ChosenBatch> {
  const files: ChosenFile[] = [];
  const unreadable: string[] = [];
  const visit = async (entry: DroppedEntry): Promise<void> => {
    const path = entry.fullPath.replace(/^\/+/, '') || entry.name;
    try {
      if (entry.isDirectory) for (const child of await folderEntries(entry)) await visit(child);
      else if (entry.isFile) {
        const file = await new Promise<BatchFile>((resolve, reject) =>
          entry.file!(resolve, reject),
        );
        files.push({ path, file });
      }
    } catch {
      unreadable.push(`${path} (the browser could not open it)`);
    }
  };
  for (const entry of entries) await visit(entry);
  const batch = splitBatch(files);
  return { graded: batch.graded, skipped: [...batch.skipped, ...unreadable] };
}
