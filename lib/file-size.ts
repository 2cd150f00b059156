// The largest files the page reads, checked from a file's size before any of it is read: reading a
// file of gigabytes stalls the page, and past about 2 GB the browser refuses without a word.

/** A model file: the largest model the course handles is a few megabytes; a .pth run with its
 * checkpoints is a few hundred. */
export const maxModelFileBytes = 512 * 2 ** 20;
/** A JSON file of weights or of a run the lab exported. */
export const maxTextFileBytes = 256 * 2 ** 20;

const megabytes = (bytes: number) =>
  `${(bytes / 2 ** 20).toLocaleString('en', { maximumFractionDigits: 0 })} MB`;

/** The message for a file too large to read, or undefined when its size is fine. */
export function sizeRefusal(name: string, size: number, max: number): string | undefined {
  if (size <= max) return undefined;
  return `${name} is ${megabytes(size)}, more than the ${megabytes(max)} the page reads: this is not a file the course wrote or reads. Check that you chose the right file.`;
}

/** The message when a browser cannot hand over a file's contents (it moved, or memory ran out). */
export function unreadable(name: string, why: string): string {
  return `${name} could not be read (${why}). Choose it again, or a smaller file.`;
}
