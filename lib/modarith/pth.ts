// A PyTorch .pth file of the transformer, as the paper authors' repository saves runs, read with
// the safe zip and pickle readers and converted to the course's TransformerLens layout.
import {
  readPickle,
  storageTypes,
  type PickleDict,
  type PickleValue,
  type TensorRef,
} from '../pth/pickle.ts';
import { readZip, type ZipEntry } from '../pth/zip.ts';
import type { ModelConfig } from './config.ts';
import {
  configFromShapes,
  paramNames,
  paramShapes,
  type ParamName,
  type Params,
} from './params.ts';
import { checkFinite } from './safetensors.ts';
import { formatShape, sizeOf } from './tensor.ts';

/** A model read from a .pth file, with a sentence saying what was converted. */
export interface PthModel {
  config: ModelConfig;
  params: Params;
  metadata: Record<string, string>;
  conversion: string;
}

interface PthTensor {
  shape: number[];
  /** Reads the values (float32 or float64 storages), copying them out of the archive */
  values: () => Float32Array;
  type: string;
}

/** The archive's pickle and storages: torch.save's <name>/data.pkl and <name>/data/<key>. */
function archive(bytes: Uint8Array): {
  pickle: Uint8Array;
  storage: (key: string) => ZipEntry | undefined;
} {
  const entries = readZip(bytes);
  const pickles = [...entries.keys()].filter((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (pickles.length !== 1) {
    throw new Error(
      'the zip archive is not one torch.save wrote (it needs exactly one <name>/data.pkl)',
    );
  }
  const prefix = pickles[0]!.slice(0, -'data.pkl'.length);
  return {
    pickle: entries.get(pickles[0]!)!.bytes,
    storage: (key) => entries.get(`${prefix}data/${key}`),
  };
}

const isDict = (v: PickleValue | undefined): v is PickleDict =>
  typeof v === 'object' && v !== null && v.kind === 'dict';
const isTensor = (v: PickleValue | undefined): v is TensorRef =>
  typeof v === 'object' && v !== null && v.kind === 'tensor';

/** The state dict in what torch.save wrote: the dict itself, or a run's 'model' (the authors' saved runs). */
function findStateDict(top: PickleValue): { dict: PickleDict; where: string } {
  if (!isDict(top)) throw new Error('the file holds no dict of tensors');
  // A run's dict holds tensors too (its last losses), so the state dict is known by its embedding.
  if (top.entries.has('embed.W_E')) return { dict: top, where: 'its state dict' };
  for (const key of ['model', 'state_dict']) {
    const inner = top.entries.get(key);
    if (isDict(inner)) return { dict: inner, where: `the state dict under '${key}'` };
  }
  const checkpoints = top.entries.get('state_dicts');
  if (typeof checkpoints === 'object' && checkpoints?.kind === 'list') {
    const last = checkpoints.items[checkpoints.items.length - 1];
    if (isDict(last))
      return { dict: last, where: `the last of its ${checkpoints.items.length} state dicts` };
  }
  throw new Error(
    `the file holds a dict of ${[...top.entries.keys()].slice(0, 6).join(', ')}, but no state dict (tensors under parameter names such as embed.W_E, or such a dict under 'model')`,
  );
}

/** A tensor's values: contiguous, within its storage, float32 or float64. */
function tensorOf(
  name: string,
  t: TensorRef,
  storage: (key: string) => ZipEntry | undefined,
): PthTensor {
  const width = storageTypes[t.storage.type]!;
  const entry = storage(t.storage.key);
  if (!entry)
    throw new Error(`tensor ${name}'s storage ${t.storage.key} is missing from the archive`);
  if (entry.bytes.length !== t.storage.numel * width) {
    throw new Error(
      `tensor ${name}'s storage has ${entry.bytes.length} bytes where ${t.storage.numel} elements need ${t.storage.numel * width}`,
    );
  }
  const size = sizeOf(t.shape);
  let expected = 1;
  for (let d = t.shape.length - 1; d >= 0; d--) {
    if (t.shape[d]! > 1 && t.stride[d] !== expected) {
      throw new Error(
        `tensor ${name} is not contiguous (stride ${formatShape(t.stride)}); save it after .contiguous()`,
      );
    }
    expected *= t.shape[d]!;
  }
  if (t.offset + size > t.storage.numel)
    throw new Error(`tensor ${name} runs past the end of its storage`);
  return {
    shape: t.shape,
    type: t.storage.type,
    values: () => {
      const start = entry.bytes.byteOffset + t.offset * width;
      const copy = entry.bytes.buffer.slice(start, start + size * width);
      if (t.storage.type === 'FloatStorage') return new Float32Array(copy);
      if (t.storage.type === 'DoubleStorage') return Float32Array.from(new Float64Array(copy));
      throw new Error(
        `tensor ${name} is ${t.storage.type.replace('Storage', '')}; the course reads float32 or float64`,
      );
    },
  };
}

/** The file's tensors by name, and where in the file they were. */
function readTensors(bytes: Uint8Array): { tensors: Map<string, PthTensor>; where: string } {
  const { pickle, storage } = archive(bytes);
  const { dict, where } = findStateDict(readPickle(pickle));
  const tensors = new Map<string, PthTensor>();
  for (const [name, value] of dict.entries) {
    if (typeof name === 'string' && isTensor(value))
      tensors.set(name, tensorOf(name, value, storage));
  }
  return { tensors, where };
}

/** [rows, cols] row-major to [cols, rows]. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** How each course parameter comes from the authors' tensor: their shape, and the rearrangement. */
interface Source {
  from: string;
  shape: number[];
  convert: (data: Float32Array) => Float32Array;
}

/**
 * The authors' layout (transformers.py in Nanda et al.'s repository): W_E and W_U as
 * [d_model, p+1], queries, keys and values as [heads, d_head, d_model], W_O as
 * [d_model, heads·d_head], W_in as [d_mlp, d_model], W_out as [d_model, d_mlp].
 */
function authorsSources(c: ModelConfig): Partial<Record<ParamName, Source>> {
  const { p, d_model: d, n_heads: h, d_head: dh, d_mlp: m } = c;
  const same = (x: Float32Array) => x;
  const perHead = (x: Float32Array) => {
    const out = new Float32Array(x.length);
    for (let i = 0; i < h; i++)
      out.set(transpose(x.subarray(i * dh * d, (i + 1) * dh * d), dh, d), i * dh * d);
    return out;
  };
  return {
    'embed.W_E': { from: 'embed.W_E', shape: [d, p + 1], convert: (x) => transpose(x, d, p + 1) },
    'pos_embed.W_pos': { from: 'pos_embed.W_pos', shape: [3, d], convert: same },
    'blocks.0.attn.W_Q': { from: 'blocks.0.attn.W_Q', shape: [h, dh, d], convert: perHead },
    'blocks.0.attn.W_K': { from: 'blocks.0.attn.W_K', shape: [h, dh, d], convert: perHead },
    'blocks.0.attn.W_V': { from: 'blocks.0.attn.W_V', shape: [h, dh, d], convert: perHead },
    'blocks.0.attn.W_O': {
      from: 'blocks.0.attn.W_O',
      shape: [d, h * dh],
      convert: (x) => transpose(x, d, h * dh),
    },
    'blocks.0.mlp.W_in': {
      from: 'blocks.0.mlp.W_in',
      shape: [m, d],
      convert: (x) => transpose(x, m, d),
    },
    'blocks.0.mlp.b_in': { from: 'blocks.0.mlp.b_in', shape: [m], convert: same },
    'blocks.0.mlp.W_out': {
      from: 'blocks.0.mlp.W_out',
      shape: [d, m],
      convert: (x) => transpose(x, d, m),
    },
    'blocks.0.mlp.b_out': { from: 'blocks.0.mlp.b_out', shape: [d], convert: same },
    // Their unembedding has a column for '=', which no answer is; the course's has p columns.
    'unembed.W_U': {
      from: 'unembed.W_U',
      shape: [d, p + 1],
      convert: (x) => {
        const out = new Float32Array(d * p);
        for (let r = 0; r < d; r++) out.set(x.subarray(r * (p + 1), r * (p + 1) + p), r * p);
        return out;
      },
    },
  };
}

/** The configuration of a state dict in the authors' layout, read off their shapes. */
function authorsConfig(tensors: Map<string, PthTensor>): ModelConfig {
  const shape = (name: string, rank: number, layout: string) => {
    const s = tensors.get(name)?.shape;
    if (!s || s.length !== rank)
      throw new Error(`${name} must be present with shape ${layout} (the authors' layout)`);
    return s;
  };
  const [d, vocab] = shape('embed.W_E', 2, '[d_model, p+1]');
  const [h, dh] = shape('blocks.0.attn.W_Q', 3, '[heads, d_head, d_model]');
  const [m] = shape('blocks.0.mlp.W_in', 2, '[d_mlp, d_model]');
  // configFromShapes checks p against what the course handles.
  return configFromShapes({
    'embed.W_E': [vocab!, d!],
    'blocks.0.attn.W_Q': [h!, d!, dh!],
    'blocks.0.mlp.W_in': [d!, m!],
  });
}

/** Every parameter's source, in whichever of the two layouts the file has. */
function sources(tensors: Map<string, PthTensor>): {
  config: ModelConfig;
  layout: string;
  from: Partial<Record<ParamName, Source>>;
} {
  const layers = [...tensors.keys()].filter((name) => /^blocks\.[1-9]/.test(name));
  if (layers.length > 0)
    throw new Error(`the model has more than one layer (${layers[0]}); the course's has one`);
  if (tensors.get('blocks.0.attn.W_O')?.shape.length === 2) {
    const config = authorsConfig(tensors);
    return { config, layout: 'authors', from: authorsSources(config) };
  }
  const shapes = Object.fromEntries([...tensors].map(([name, t]) => [name, t.shape]));
  const config = configFromShapes(shapes);
  const expected = paramShapes(config);
  const from = Object.fromEntries(
    paramNames.map((name) => [
      name,
      { from: name, shape: expected[name], convert: (x: Float32Array) => x },
    ]),
  );
  return { config, layout: 'transformerlens', from };
}

/** Checks a .pth file's container, pickle and layout without copying its weights. */
export function readPthLayout(bytes: Uint8Array): { config: ModelConfig; conversion: string } {
  return layout(bytes).summary;
}

function layout(bytes: Uint8Array) {
  const { tensors, where } = readTensors(bytes);
  const { config, layout, from } = sources(tensors);
  for (const name of paramNames) {
    const source = from[name];
    const tensor = source && tensors.get(source.from);
    if (!source || !tensor) {
      if (/\.b_/.test(name)) continue;
      throw new Error(`tensor ${source?.from ?? name} is missing`);
    }
    if (formatShape(tensor.shape) !== formatShape(source.shape)) {
      throw new Error(
        `tensor ${source.from} has shape ${formatShape(tensor.shape)}; expected ${formatShape(source.shape)}`,
      );
    }
  }
  const conversion =
    layout === 'authors'
      ? `Read ${where} in the paper authors' layout and converted it: W_E, W_O, W_in, W_out transposed, W_Q, W_K, W_V transposed per head, and the unembedding's '=' column dropped (${config.p + 1} outputs to ${config.p}). Taken as a + b mod ${config.p} with ReLU, as in the paper.`
      : `Read ${where} in TransformerLens's layout. Taken as a + b mod ${config.p}.`;
  return { tensors, from, summary: { config, conversion } };
}

/** Reads a .pth file's transformer into the course's layout; throws an Error naming what is wrong. */
export function loadPth(bytes: Uint8Array): PthModel {
  const { tensors, from, summary } = layout(bytes);
  const expected = paramShapes(summary.config);
  const params = {} as Params;
  for (const name of paramNames) {
    const source = from[name];
    const tensor = source && tensors.get(source.from);
    const data = tensor
      ? source.convert(tensor.values())
      : new Float32Array(sizeOf(expected[name]));
    checkFinite(name, data);
    params[name] = { shape: expected[name], data };
  }
  return { ...summary, params, metadata: { op: 'add' } };
}
