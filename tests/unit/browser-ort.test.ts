// Telling a software WebGPU adapter from a GPU by what the adapter says of itself.
import { describe, expect, it } from 'vitest';
import { isSoftwareAdapter } from '../../lib/train/browser-ort.ts';

describe('isSoftwareAdapter', () => {
  it('names the CPU rasterisers, by info or by the fallback flag', () => {
    const software = [
      {
        vendor: 'google',
        architecture: 'swiftshader',
        description: 'SwiftShader Device (Subzero)',
      },
      { vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
      { vendor: 'mesa', device: 'lavapipe' },
      { vendor: 'microsoft', description: 'Microsoft Basic Render Driver' },
      { vendor: 'nvidia', isFallbackAdapter: true },
    ];
    for (const info of software) expect(isSoftwareAdapter(info), JSON.stringify(info)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'intel' }, true)).toBe(true);
  });

  it('takes real GPUs, and an adapter that says nothing, for hardware', () => {
    const hardware = [
      { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080' },
      { vendor: 'apple', architecture: 'metal-3' },
      { vendor: 'intel', architecture: 'gen-12lp' },
      {},
      undefined,
    ];
    for (const info of hardware) expect(isSoftwareAdapter(info), JSON.stringify(info)).toBe(false);
  });
});
