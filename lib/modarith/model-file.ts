// A model file a student brings: TransformerLens-style safetensors, the site's ONNX, or a PyTorch
// .pth state dict (the paper authors' runs), turned into an ONNX model with the views' hook
// outputs and, where the file has them, the weights.
import { excerpt } from '../printable.ts';
import { errorMessage } from '../errors.ts';
import {
  ExternalDataError,
  initializerData,
  readOnnx,
  type Initializer,
  type OnnxSummary,
} from '../onnx/read.ts';
import { modelOperation, type ModelConfig, type Operation } from './config.ts';
import { inferenceGraph } from './export.ts';
import { configFromShapes, paramNames, paramShapes, type Params } from './params.ts';
import { loadPth, readPthLayout } from './pth.ts';
import { looksLikeZip } from '../pth/zip.ts';
import { checkFinite, hasSafetensorsStructure, loadModel, readModelLayout } from './safetensors.ts';

/** Outputs the views read; a graph without them cannot drive the page. */
export const viewOutputs = ['logits', 'attn_pattern', 'mlp_post'] as const;

export interface ModelFile {
  format: 'safetensors' | 'onnx' | 'pth';
  /** The operation the safetensors metadata names; an ONNX or .pth file is taken to add */
  op: Operation;
  /** An ONNX model with input `tokens` [batch, 3] and at least the view outputs */
  onnx: Uint8Array;
  /** The weights, when the file holds all of them under TransformerLens names */
  params?: Params;
  config?: ModelConfig;
}

/** A .pth file's reading, its message prefixed with the file's name. */
function readPth<T>(fileName: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(
      `${fileName} is a zip archive but not a PyTorch state dict the course reads: ${errorMessage(error)}.`,
      { cause: error },
    );
  }
}

function checkModulus(config: ModelConfig): void {
  if (!(config.p >= 3 && config.p % 2 === 1)) {
    throw new Error(
      `The model's modulus p = ${config.p} (from embed.W_E's ${config.p + 1} rows) must be odd and at least 3 for the Fourier views.`,
    );
  }
}

/** The weights' layout among an ONNX model's initializers, if all are there under TransformerLens names. */
function layoutOfInitializers(
  initializers: OnnxSummary['initializers'],
): { config: ModelConfig; raw: Record<string, Initializer> } | undefined {
  const shapes = Object.fromEntries([...initializers].map(([name, t]) => [name, t.dims]));
  let config: ModelConfig;
  try {
    config = configFromShapes(shapes);
  } catch {
    return undefined;
  }
  const expected = paramShapes(config);
  const raw: Record<string, Initializer> = {};
  for (const name of paramNames) {
    const t = initializers.get(name);
    if (!t || t.dims.join() !== expected[name].join()) return undefined;
    raw[name] = t;
  }
  return { config, raw };
}

/** What a cheap look at a file finds: enough to say whether the page can use it. */
export interface ModelFileSummary {
  format: 'safetensors' | 'onnx' | 'pth';
  op: Operation;
  /** The architecture, when the file holds the weights */
  config?: ModelConfig;
  /** What was converted to the course's layout (a .pth file) */
  conversion?: string;
}

function readOnnxFile(bytes: Uint8Array, fileName: string): OnnxSummary {
  let summary;
  try {
    summary = readOnnx(bytes);
  } catch (error) {
    if (error instanceof ExternalDataError)
      throw new Error(`${fileName}: ${error.message}.`, { cause: error });
    // readOnnx says "This is not an ONNX model (why)."; keep the why.
    const why = errorMessage(error).replace(/^This is not an ONNX model \((.*)\)\.$/, '$1');
    throw new Error(
      `${fileName} is neither a safetensors file nor an ONNX model (${why}). Bring a TransformerLens-style .safetensors file, the site's model.onnx, or a PyTorch .pth state dict.`,
      { cause: error },
    );
  }
  if (!summary.inputs.includes('tokens')) {
    throw new Error(
      `${fileName}: the ONNX model must take an input named "tokens" (int64 [batch, 3]); it takes ${excerpt(summary.inputs.join(', ')) || 'none'}.`,
    );
  }
  const missing = viewOutputs.filter((name) => !summary.outputs.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `${fileName}: the ONNX model lacks the output${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that the views read. Export it with the hooks (npm run package-model).`,
    );
  }
  return summary;
}

/**
 * Checks a dropped file's container and layout without reading its weights (milliseconds for tens
 * of megabytes): what the page does on its main thread before any view switches to the file. The
 * weights themselves are read, checked and converted by `openModelFile`, in the views' worker.
 */
export function checkModelFile(bytes: Uint8Array, fileName: string): ModelFileSummary {
  if (bytes.length === 0) throw new Error(`${fileName} is empty.`);
  if (looksLikeZip(bytes)) {
    const { config, conversion } = readPth(fileName, () => readPthLayout(bytes));
    checkModulus(config);
    return { format: 'pth', op: 'add', config, conversion };
  }
  if (hasSafetensorsStructure(bytes)) {
    const { config, metadata } = readModelLayout(bytes);
    checkModulus(config);
    return { format: 'safetensors', op: modelOperation(metadata), config };
  }
  const layout = layoutOfInitializers(readOnnxFile(bytes, fileName).initializers);
  if (layout) checkModulus(layout.config);
  return { format: 'onnx', op: 'add', ...(layout && { config: layout.config }) };
}

/** Opens a dropped file; throws an error naming what is wrong when the page cannot use it. */
export function openModelFile(bytes: Uint8Array, fileName: string): ModelFile {
  if (bytes.length === 0) throw new Error(`${fileName} is empty.`);
  if (looksLikeZip(bytes)) {
    const { params, config } = readPth(fileName, () => loadPth(bytes));
    checkModulus(config);
    return {
      format: 'pth',
      op: 'add',
      onnx: inferenceGraph(config, params).toModel(),
      params,
      config,
    };
  }
  if (hasSafetensorsStructure(bytes)) {
    const { params, config, metadata } = loadModel(bytes);
    checkModulus(config);
    return {
      format: 'safetensors',
      op: modelOperation(metadata),
      onnx: inferenceGraph(config, params).toModel(),
      params,
      config,
    };
  }
  const layout = layoutOfInitializers(readOnnxFile(bytes, fileName).initializers);
  if (!layout) return { format: 'onnx', op: 'add', onnx: bytes };
  checkModulus(layout.config);
  const expected = paramShapes(layout.config);
  const params = {} as Params;
  for (const name of paramNames) {
    const data = initializerData(layout.raw[name]!);
    checkFinite(name, data);
    params[name] = { shape: expected[name], data };
  }
  return { format: 'onnx', op: 'add', onnx: bytes, params, config: layout.config };
}
