// The .pth reader against PyTorch: a run saved by torch.save in the paper authors' layout
// (scripts/make-pth-fixture.py), its conversion to the course's layout, and the course's forward
// pass of the converted model against the logits the authors' forward pass gives in torch.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forward } from '../../lib/modarith/forward.ts';
import { checkModelFile, openModelFile } from '../../lib/modarith/model-file.ts';
import type { ParamName } from '../../lib/modarith/params.ts';
import { loadPth, readPthLayout } from '../../lib/modarith/pth.ts';
import { readPickle } from '../../lib/pth/pickle.ts';
import { readZip } from '../../lib/pth/zip.ts';

const dir = 'tests/fixtures/pth';
const file = (name: string) => new Uint8Array(readFileSync(`${dir}/${name}`));
const reference = JSON.parse(readFileSync(`${dir}/reference.json`, 'utf8')) as {
  config: { p: number; d_model: number; n_heads: number; d_head: number; d_mlp: number };
  inputs: number[][];
  logits: number[][];
  converted: Record<string, { shape: number[]; data: number[] }>;
};

describe.each(['state-dict.pth', 'saved-run.pth'])('reading %s', (name) => {
  it('finds the configuration and says what it converted', () => {
    const { config, conversion } = readPthLayout(file(name));
    expect(config).toEqual(reference.config);
    expect(conversion).toContain("'=' column dropped (24 outputs to 23)");
    expect(conversion).toContain(name === 'saved-run.pth' ? "under 'model'" : 'its state dict');
  });

  it("converts every tensor to the course's layout as torch does", () => {
    const { params } = loadPth(file(name));
    for (const [key, want] of Object.entries(reference.converted)) {
      const got = params[key as ParamName];
      expect(got.shape, key).toEqual(want.shape);
      const worst = Math.max(...want.data.map((x, i) => Math.abs(x - got.data[i]!)));
      expect(worst, key).toBe(0); // a rearrangement of float32 values, exactly
    }
    expect([...params['blocks.0.attn.b_Q'].data].every((x) => x === 0)).toBe(true);
  });

  it("gives the authors' model's logits in torch", () => {
    const { params, config } = loadPth(file(name));
    const { logits } = forward(params, config, reference.inputs.flat(), 'float64');
    const want = reference.logits.flat();
    expect(logits.length).toBe(want.length);
    const worst = Math.max(...want.map((x, i) => Math.abs(x - logits[i]!)));
    expect(worst).toBeLessThan(1e-4);
    expect(worst).toBeGreaterThanOrEqual(0);
  });

  it('goes through the page and the command line as a model file', () => {
    const summary = checkModelFile(file(name), name);
    expect(summary.format).toBe('pth');
    expect(summary.config).toEqual(reference.config);
    const opened = openModelFile(file(name), name);
    expect(opened.params!['unembed.W_U'].shape).toEqual([32, 23]);
    expect(opened.onnx.length).toBeGreaterThan(1000);
  });
});

/** A pickle written as a string of byte values. */
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('refusals', () => {
  const zip = file('state-dict.pth');
  const pickleName = [...readZip(zip).keys()].find((n) => n.endsWith('data.pkl'))!;

  it('refuses a global outside the allow-list by name, running nothing', () => {
    // The classic payload: os.system called through REDUCE.
    const evil = latin1('\x80\x02cos\nsystem\nX\x04\x00\x00\x00echoR.');
    expect(() => readPickle(evil)).toThrow(/names os\.system, which a state dict does not use/);
    const builtin = latin1('\x80\x02cbuiltins\neval\n.');
    expect(() => readPickle(builtin)).toThrow(/builtins\.eval/);
  });

  it('refuses opcodes outside the subset by name', () => {
    expect(() => readPickle(Uint8Array.from([0x80, 2, 0x69]))).toThrow(/opcode INST at byte 2/);
    expect(() => readPickle(Uint8Array.from([0x80, 2, 0x81]))).toThrow(/opcode NEWOBJ/);
  });

  it('reads the pickle of a real state dict to its tensors', () => {
    const top = readPickle(readZip(zip).get(pickleName)!.bytes);
    expect(top && typeof top === 'object' && top.kind).toBe('dict');
  });

  it('refuses a truncated archive with a message naming the file', () => {
    expect(() => checkModelFile(zip.subarray(0, zip.length - 30), 'cut.pth')).toThrow(
      /^cut\.pth is a zip archive but not a PyTorch state dict .*end-of-directory/,
    );
  });
});
