// Saves text as a file the browser downloads: exports of weights, histories and runs.

/** Offers `text` (or bytes) as a download named `name`. */
export function downloadText(name: string, text: string | Uint8Array, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text as BlobPart], { type }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}
