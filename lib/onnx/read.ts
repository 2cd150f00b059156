// Reads what a model file's users need to check it: the graph's input and output names and its
// float32 initializers. A small protobuf wire-format reader, enough for ONNX's ModelProto.
import { errorMessage } from '../errors.ts';
import { excerpt } from '../printable.ts';

/** The most dims an initializer may have: the course's tensors have at most 4. */
export const maxDims = 8;

/** A float32 initializer of the graph: its little-endian bytes, checked against its dims. */
export interface Initializer {
  name: string;
  dims: number[];
  /** A view into the model's bytes (nothing is copied until `initializerData`) */
  bytes: Uint8Array;
}

/** An initializer's values, copied out of the model's bytes. */
export function initializerData(initializer: Initializer): Float32Array {
  return new Float32Array(initializer.bytes.slice().buffer);
}

export interface OnnxSummary {
  inputs: string[];
  outputs: string[];
  /** float32 initializers by name; other types are left out */
  initializers: Map<string, Initializer>;
}

/** One protobuf field: its number, and either a varint value or a byte range. */
interface Field {
  field: number;
  value: bigint;
  bytes?: Uint8Array;
}

/** A reader of varints from `buffer`, starting at the position held in `cursor`. */
function varintReader(buffer: Uint8Array, cursor: { at: number }) {
  return (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      // A 64-bit varint has at most 10 bytes; a longer run (of 0xFF, say) is not protobuf.
      if (shift >= 70n) throw new Error('a varint longer than 10 bytes');
      if (cursor.at >= buffer.length) throw new Error('truncated varint');
      const byte = buffer[cursor.at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
}

/** The values of a packed repeated varint field, appended to `values` up to `max` of them. */
function packedVarints(buffer: Uint8Array, values: number[], max: number): void {
  const cursor = { at: 0 };
  const varint = varintReader(buffer, cursor);
  while (cursor.at < buffer.length && values.length <= max) values.push(Number(varint()));
}

function* fields(buffer: Uint8Array): Generator<Field> {
  const cursor = { at: 0 };
  const varint = varintReader(buffer, cursor);
  while (cursor.at < buffer.length) {
    const key = Number(varint());
    const field = Math.floor(key / 8);
    const wire = key & 7;
    // Field 0 is never valid; refusing it at once keeps a file of zero bytes from being read as
    // a gigabyte of empty fields.
    if (field === 0)
      throw new Error(`field number 0 at byte ${cursor.at - 1}, which protobuf never uses`);
    if (wire === 0) yield { field, value: varint() };
    else if (wire === 2) {
      const length = Number(varint());
      const at = cursor.at;
      if (length > buffer.length - at) throw new Error('a field longer than the bytes left');
      yield { field, value: BigInt(length), bytes: buffer.subarray(at, at + length) };
      cursor.at = at + length;
    } else if (wire === 5) cursor.at += 4;
    else if (wire === 1) cursor.at += 8;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** An ONNX model whose weights live in files beside it, which a page given one file cannot read. */
export class ExternalDataError extends Error {}

function tensor(bytes: Uint8Array): Initializer | undefined {
  let name = '';
  let type = 0;
  const dims: number[] = [];
  let raw: Uint8Array | undefined;
  let floats: Uint8Array | undefined;
  let external = false;
  for (const f of fields(bytes)) {
    if (f.field === 1 && f.bytes) packedVarints(f.bytes, dims, maxDims);
    else if (f.field === 1) dims.push(Number(f.value));
    // Counted as they come, so that 300,000 dims are refused without a list of them.
    if (dims.length > maxDims) throw new Error(`an initializer with more than ${maxDims} dims`);
    else if (f.field === 2) type = Number(f.value);
    else if (f.field === 4) floats = f.bytes;
    else if (f.field === 8) name = text(f.bytes);
    else if (f.field === 9) raw = f.bytes;
    else if (f.field === 13 || (f.field === 14 && f.value === 1n)) external = true;
  }
  if (external) {
    throw new ExternalDataError(
      `initializer ${name || '(unnamed)'} keeps its weights in a separate file (ONNX external data); the course reads one file, so save the model with its weights inside it (onnx.save with save_as_external_data=False, under 2 GB)`,
    );
  }
  const source = raw ?? floats;
  if (type !== 1 || !source) return undefined;
  const size = dims.reduce((n, d) => n * d, 1);
  if (source.length !== 4 * size) {
    throw new Error(
      `initializer ${excerpt(name)} has ${source.length} bytes where dims [${dims.join(', ')}] need ${4 * size}`,
    );
  }
  return { name, dims, bytes: source };
}

/** Reads an ONNX ModelProto; throws a readable error when the bytes are not one. */
export function readOnnx(model: Uint8Array): OnnxSummary {
  const summary: OnnxSummary = { inputs: [], outputs: [], initializers: new Map() };
  let graph: Uint8Array | undefined;
  try {
    for (const f of fields(model)) if (f.field === 7) graph = f.bytes;
    if (!graph) throw new Error('no graph');
    const valueName = (bytes: Uint8Array) => {
      for (const f of fields(bytes)) if (f.field === 1) return text(f.bytes);
      return '';
    };
    for (const f of fields(graph)) {
      if (!f.bytes) continue;
      if (f.field === 5) {
        const t = tensor(f.bytes);
        if (t) summary.initializers.set(t.name, t);
      } else if (f.field === 11) summary.inputs.push(valueName(f.bytes));
      else if (f.field === 12) summary.outputs.push(valueName(f.bytes));
    }
  } catch (error) {
    if (error instanceof ExternalDataError) throw error;
    throw new Error(`This is not an ONNX model (${errorMessage(error)}).`, { cause: error });
  }
  return summary;
}
