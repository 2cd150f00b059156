// A reader of the zip archives torch.save writes: the central directory and stored (uncompressed)
// entries, as views into the file's bytes. Nothing is inflated; torch stores every entry.

/** One stored entry: its name and its bytes, a view into the archive. */
export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

/** More entries than a model's archive has (one per tensor storage, plus a few). */
const maxEntries = 100_000;
const endRecordSize = 22;
const signatures = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50 } as const;

/** Whether `bytes` open as a zip archive does (a local file header). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4
  );
}

/** The end-of-central-directory record's offset: the last signature that leaves room for its comment. */
function endRecord(view: DataView): number {
  const last = view.byteLength - endRecordSize;
  const first = Math.max(0, last - 0xffff);
  for (let at = last; at >= first; at--) {
    if (
      view.getUint32(at, true) === signatures.end &&
      at + endRecordSize + view.getUint16(at + 20, true) === view.byteLength
    ) {
      return at;
    }
  }
  throw new Error('the zip archive has no end-of-directory record (it is truncated or not a zip)');
}

/** Reads a zip archive's entries; throws an Error naming what is wrong. */
export function readZip(bytes: Uint8Array): Map<string, ZipEntry> {
  if (bytes.length < endRecordSize)
    throw new Error(`the zip archive is truncated (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = endRecord(view);
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryStart = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryStart === 0xffffffff || directorySize === 0xffffffff) {
    throw new Error(
      'the zip archive is a ZIP64 one (over 4 GB or 65,535 entries), larger than a model the course reads',
    );
  }
  if (directoryStart + directorySize > end)
    throw new Error("the zip archive's directory lies outside the file");
  if (count > maxEntries)
    throw new Error(
      `the zip archive has ${count} entries, more than the ${maxEntries} the reader takes`,
    );
  const entries = new Map<string, ZipEntry>();
  let at = directoryStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== signatures.central) {
      throw new Error(`the zip archive's directory entry ${i + 1} of ${count} is broken`);
    }
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localStart = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > end)
      throw new Error(`the zip archive's directory entry ${i + 1} is truncated`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (method !== 0 || compressedSize !== size) {
      throw new Error(
        `the zip entry ${name} is compressed (method ${method}); torch.save stores its entries uncompressed, so save the file again with torch.save`,
      );
    }
    if (localStart + 30 > directoryStart || view.getUint32(localStart, true) !== signatures.local) {
      throw new Error(`the zip entry ${name} points at no file header`);
    }
    const dataStart =
      localStart +
      30 +
      view.getUint16(localStart + 26, true) +
      view.getUint16(localStart + 28, true);
    if (dataStart + size > directoryStart)
      throw new Error(`the zip entry ${name} runs past the end of the data`);
    if (entries.has(name)) throw new Error(`the zip archive holds ${name} twice`);
    entries.set(name, { name, bytes: bytes.subarray(dataStart, dataStart + size) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
