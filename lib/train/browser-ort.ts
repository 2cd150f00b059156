// onnxruntime-web for the page: one place that loads it, points it at the site's own .wasm file
// and chooses the execution provider (WebGPU when an adapter exists, else WASM).
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

export type Backend = 'webgpu' | 'wasm';

let configured = false;

/** onnxruntime-web, configured to fetch its WASM from this site and use every core it may. */
export function webOrt(): typeof ort {
  if (!configured) {
    ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, self.location.href).href };
    // Threads need cross-origin isolation; ORT's own default uses only half the cores.
    ort.env.wasm.numThreads = self.crossOriginIsolated
      ? Math.min(4, navigator.hardwareConcurrency)
      : 1;
    configured = true;
  }
  return ort;
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
