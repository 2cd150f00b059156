// Saves text as a file the browser downloads: exports of weights, histories and runs.

/** Offers `text` as a download named `name`. */
export function downloadText(name: string, text: string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}
