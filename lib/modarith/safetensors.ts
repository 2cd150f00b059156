// safetensors files of the transformer: read with clear errors, write with TransformerLens names.
import {
  configFromShapes,
  paramNames,
  paramShapes,
  optionalParams,
  type Params,
} from './params.ts';
import type { ModelConfig } from './config.ts';
import { formatShape, sizeOf } from './tensor.ts';
import { jsonDepth, maxJsonDepth } from '../json-fields.ts';
import { excerpt } from '../printable.ts';

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface RawTensor {
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

const bytesPerElement: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** Parses the container: header and raw tensor bytes. Throws an Error that says what is wrong. */
export function readSafetensors(file: Uint8Array): SafetensorsFile {
  if (file.byteLength < 8) {
    throw new Error(
      `The file is truncated: ${file.byteLength} bytes, less than the 8-byte header length.`,
    );
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > file.byteLength) {
    throw new Error(
      `The file is truncated: its header claims ${headerLength} bytes, only ${file.byteLength - 8} follow.`,
    );
  }
  let header: unknown;
  const headerText = new TextDecoder().decode(file.subarray(8, 8 + headerLength));
  if (jsonDepth(headerText) > maxJsonDepth) {
    throw new Error(`The header nests lists or objects more than ${maxJsonDepth} deep.`);
  }
  try {
    header = JSON.parse(headerText);
  } catch {
    throw new Error('The header is not valid JSON: this does not look like a safetensors file.');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new Error(
      'The header must be a JSON object of tensors: this does not look like a safetensors file.',
    );
  }
  const data = file.subarray(8 + headerLength);
  const tensors = new Map<string, RawTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = readMetadata(value);
      continue;
    }
    const shown = excerpt(name);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error(
        `The header entry of tensor ${shown} is not an object of dtype, shape and data_offsets.`,
      );
    }
    const entry = value as Partial<HeaderEntry>;
    const [start, end] = entry.data_offsets ?? [];
    const shape = entry.shape;
    if (
      typeof entry.dtype !== 'string' ||
      !Array.isArray(shape) ||
      !shape.every((d) => Number.isInteger(d) && d >= 0) ||
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start! < 0 ||
      start! > end!
    ) {
      throw new Error(
        `The header entry of tensor ${shown} is malformed (needs dtype, shape and data_offsets).`,
      );
    }
    if (end! > data.byteLength) {
      throw new Error(
        `The file is truncated: tensor ${shown} ends at byte ${end} of ${data.byteLength}.`,
      );
    }
    const width = bytesPerElement[entry.dtype];
    if (width !== undefined && sizeOf(shape) * width !== end! - start!) {
      throw new Error(
        `Tensor ${shown}: shape ${formatShape(shape)} of ${excerpt(entry.dtype)} does not match its ${end! - start!} bytes.`,
      );
    }
    tensors.set(name, { dtype: entry.dtype, shape, bytes: data.subarray(start, end) });
  }
  const repeated = repeatedKey(headerText);
  if (repeated !== undefined) {
    throw new Error(
      `The header names tensor ${excerpt(repeated)} twice: which one is meant is unclear.`,
    );
  }
  const byStart = [...tensors].sort(([, x], [, y]) => x.bytes.byteOffset - y.bytes.byteOffset);
  byStart.forEach(([name, t], i) => {
    const [before, earlier] = byStart[i - 1] ?? [];
    if (earlier && t.bytes.byteOffset < earlier.bytes.byteOffset + earlier.bytes.byteLength) {
      throw new Error(
        `Tensors ${excerpt(before!)} and ${excerpt(name)} overlap in the file's data.`,
      );
    }
  });
  return { tensors, metadata };
}

/**
 * The header's __metadata__: text values only, as the format says. A number or true is kept as
 * its text (writers differ); a list or object is refused, never turned into text recursively.
 */
function readMetadata(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error("The header's __metadata__ must be an object of text values.");
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (typeof v === 'object' && v !== null) {
        throw new Error(`The header's __metadata__ value ${excerpt(key)} is not text.`);
      }
      return [key, String(v)];
    }),
  );
}

/** A key that the top-level JSON object of `text` holds twice (JSON.parse keeps the last). */
function repeatedKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (depth === 1 && /^\s*:/.test(text.slice(end + 1, end + 20))) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
      }
      i = end;
    }
  }
  return undefined;
}

export interface LoadedModel {
  config: ModelConfig;
  params: Params;
  metadata: Record<string, string>;
}

/** A model file's layout, checked without reading its weights: cheap enough for the main thread. */
export interface ModelLayout {
  config: ModelConfig;
  metadata: Record<string, string>;
  /** Each parameter's raw float32 bytes; absent for a bias the file leaves out */
  raw: Partial<Record<(typeof paramNames)[number], Uint8Array>>;
}

/**
 * Checks a safetensors file's transformer layout: float32 tensors under TransformerLens names,
 * their shapes agreeing on one configuration, only biases missing. Copies no weights.
 */
export function readModelLayout(file: Uint8Array): ModelLayout {
  const { tensors, metadata } = readSafetensors(file);
  const shapes = Object.fromEntries([...tensors].map(([name, t]) => [name, t.shape]));
  const config = configFromShapes(shapes);
  const expected = paramShapes(config);
  const raw: ModelLayout['raw'] = {};
  for (const name of paramNames) {
    const shape = expected[name];
    const tensor = tensors.get(name);
    if (!tensor) {
      if (!optionalParams.has(name)) {
        throw new Error(`Tensor ${name} is missing; expected shape ${formatShape(shape)}.`);
      }
      continue;
    }
    if (tensor.dtype !== 'F32') {
      throw new Error(`Tensor ${name} is ${excerpt(tensor.dtype)}; expected F32 (float32).`);
    }
    if (formatShape(tensor.shape) !== formatShape(shape)) {
      throw new Error(
        `Tensor ${name} has shape ${formatShape(tensor.shape)}; expected ${formatShape(shape)}.`,
      );
    }
    raw[name] = tensor.bytes;
  }
  return { config, metadata, raw };
}

/** Throws unless every weight of tensor `name` is a finite number. */
export function checkFinite(name: string, data: Float32Array): void {
  const broken = data.findIndex((x) => !Number.isFinite(x));
  if (broken >= 0) {
    throw new Error(
      `Tensor ${name} holds ${data[broken]} at entry ${broken}: every weight must be a finite number.`,
    );
  }
}

/**
 * Reads the transformer's parameters from a safetensors file: float32, TransformerLens names,
 * configuration from the shapes, missing biases as zeros, other tensors (buffers) ignored.
 */
export function loadModel(file: Uint8Array): LoadedModel {
  const { config, metadata, raw } = readModelLayout(file);
  const expected = paramShapes(config);
  const params = {} as Params;
  for (const name of paramNames) {
    const shape = expected[name];
    const bytes = raw[name];
    const data = bytes ? new Float32Array(bytes.slice().buffer) : new Float32Array(sizeOf(shape));
    checkFinite(name, data);
    params[name] = { shape, data };
  }
  return { config, params, metadata };
}

/** A float32 tensor to write. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: ArrayLike<number>;
}

/** Writes float32 tensors, in order, with string metadata. */
export function saveTensors(
  tensors: NamedTensor[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.data.length * 4;
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const file = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  file.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    const data = Float32Array.from(t.data);
    file.set(new Uint8Array(data.buffer), at);
    at += data.byteLength;
  }
  return file;
}

/** Writes every parameter as float32 under TransformerLens names, with string metadata. */
export function saveModel(params: Params, metadata: Record<string, string> = {}): Uint8Array {
  return saveTensors(
    paramNames.map((name) => ({ name, shape: params[name].shape, data: params[name].data })),
    metadata,
  );
}

/**
 * Whether `bytes` have a safetensors file's structure: an 8-byte little-endian header length that
 * fits in the file, then that many bytes of a JSON object. Sniffed by structure, never from the
 * first byte: a header length's low byte can be anything, '{' included.
 */
export function hasSafetensorsStructure(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const length = new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true);
  if (length < 2n || length > BigInt(bytes.length - 8)) return false;
  const header = bytes.subarray(8, 8 + Number(length));
  if (header[0] !== 0x7b) return false;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(header);
    // Nested too deep, it is still a safetensors file, for readSafetensors to refuse by name.
    if (jsonDepth(text) > maxJsonDepth) return true;
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
