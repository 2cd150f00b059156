// Downloads a file whole while reporting how many bytes have come, for the large downloads a page
// waits on (the model, onnxruntime's WebAssembly): on a slow link they take tens of seconds, and a
// bare "Starting…" for that long reads as a hung page.

/** How far a download has come; `total` is 0 when the size is unknown. */
export interface Downloaded {
  loaded: number;
  total: number;
}

/** A worker's word on a download under way: bytes of `what` so far (the model, or the engine). */
export type DownloadMessage = { type: 'download'; what: string } & Downloaded;

/**
 * The bytes at `url`, reporting progress after each chunk. `what` names the file in messages ("the
 * model"). A host that compresses the file sends its compressed size, which the decompressed bytes
 * outgrow: the total is then reported as unknown rather than as a bar past its end.
 */
export async function fetchBytes(
  url: string,
  what: string,
  onProgress: (at: Downloaded) => void,
): Promise<Uint8Array> {
  const subject = what[0]!.toUpperCase() + what.slice(1);
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new Error(
      `${subject} could not be downloaded: the network failed. Check the connection and try again.`,
    );
  }
  if (!response.ok || !response.body)
    throw new Error(`${subject} could not be downloaded (${response.status}).`);
  const announced = Number(response.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new Error(
        `${subject} stopped downloading at ${megabytes(loaded)}: the network failed. Try again.`,
      );
    }
    if (chunk.done) break;
    chunks.push(chunk.value);
    loaded += chunk.value.length;
    onProgress({ loaded, total: loaded > announced ? 0 : announced });
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

const inMegabytes = (bytes: number) =>
  (bytes / 2 ** 20).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A size in megabytes with one decimal: "13.6 MB" (1 MB = 2²⁰ bytes, as file sizes are shown). */
export function megabytes(bytes: number): string {
  return `${inMegabytes(bytes)} MB`;
}

/** What a page shows of a download: "Downloading onnxruntime: 3.1 of 13.6 MB". */
export function downloadProgressText(what: string, { loaded, total }: Downloaded): string {
  return total
    ? `Downloading ${what}: ${inMegabytes(loaded)} of ${megabytes(total)}`
    : `Downloading ${what}: ${megabytes(loaded)}`;
}
