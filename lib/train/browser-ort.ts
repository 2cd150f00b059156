// onnxruntime-web in the page: configuring a build, detecting WebGPU, choosing execution providers.
// A worker holds one build only, since ORT's threads start the worker's own script again. The
// model's WASM worker uses the plain SIMD-threaded build, faster for inference of all inputs; the
// training worker uses the WebGPU build on both backends, whose asyncify WASM trains faster in
// Chromium (BENCHMARKS.md, "One engine or two").

import { fetchBytes, type Downloaded } from '../fetch-progress.ts';

export type Backend = 'webgpu' | 'wasm';

/** The part of onnxruntime-web's `env` that configuring it touches. */
interface WasmEnv {
  env: {
    wasm: { wasmPaths?: unknown; numThreads?: number; wasmBinary?: ArrayBufferLike | Uint8Array };
  };
}

/** Points an onnxruntime-web build at this site's copy of its .wasm file and uses every core. */
export function configureOrt<T extends WasmEnv>(ort: T, wasmUrl: string): T {
  ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, self.location.href).href };
  // Threads need cross-origin isolation; ORT's own default uses only half the cores.
  ort.env.wasm.numThreads = self.crossOriginIsolated
    ? Math.min(4, navigator.hardwareConcurrency)
    : 1;
  return ort;
}

/** What pages call onnxruntime's WebAssembly while it downloads. */
export const runtimeName = 'the model engine (onnxruntime)';

/**
 * Downloads the build's .wasm (14 or 27 MB) itself, reporting its progress, and hands the bytes
 * to onnxruntime, which would otherwise fetch it silently at the first session. Call it before
 * the first session; later calls return at once. From the browser's cache it takes a moment.
 */
export async function fetchRuntime(
  ort: WasmEnv,
  onProgress: (at: Downloaded) => void,
): Promise<void> {
  const { wasm } = ort.env;
  if (wasm.wasmBinary) return;
  const url = (wasm.wasmPaths as { wasm: string }).wasm;
  wasm.wasmBinary = await fetchBytes(url, runtimeName, onProgress);
}

/** What WebGPU this browser offers: none, a GPU, or a software rasteriser posing as one. */
export type WebGpuKind = 'none' | 'hardware' | 'software';

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/**
 * A software adapter (SwiftShader, llvmpipe, lavapipe, WARP) runs WebGPU on the CPU, far slower
 * than WASM (about a hundred times slower for training on this project's test machine,
 * docs/testing.md). It says so in its adapter info, or marks itself a fallback adapter.
 */
export function isSoftwareAdapter(info: AdapterInfo | undefined, fallback = false): boolean {
  if (fallback || info?.isFallbackAdapter) return true;
  const text = [info?.vendor, info?.architecture, info?.device, info?.description].join(' ');
  return /swiftshader|llvmpipe|lavapipe|softpipe|software|warp|microsoft basic render/i.test(text);
}

/** Which WebGPU this browser offers (navigator.gpu's adapter and its info). */
export async function webGpuKind(): Promise<WebGpuKind> {
  type Adapter = { info?: AdapterInfo; isFallbackAdapter?: boolean };
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<Adapter | null> } })
    .gpu;
  if (!gpu) return 'none';
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'none';
    return isSoftwareAdapter(adapter.info, adapter.isFallbackAdapter) ? 'software' : 'hardware';
  } catch {
    return 'none';
  }
}

/** Whether this browser offers a WebGPU adapter. */
export async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/** The execution providers for a backend: WebGPU falls back to WASM inside ORT if it must. */
export function executionProviders(backend: Backend): string[] {
  return backend === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'];
}
