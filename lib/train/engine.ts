// How the page names what a training worker runs on.

/**
 * What a training worker runs on, in words: "WebGPU", "WASM, 2 threads", or, where the host sends
 * no cross-origin isolation headers (docs/deploying.md), why WASM has one thread.
 */
export function engineName(backend: 'webgpu' | 'wasm', threads: number): string {
  if (backend === 'webgpu') return 'WebGPU';
  const isolated = typeof crossOriginIsolated === 'boolean' && crossOriginIsolated;
  if (threads === 1 && !isolated) return 'WASM, 1 thread (this host allows no threads)';
  return `WASM, ${threads} thread${threads > 1 ? 's' : ''}`;
}
