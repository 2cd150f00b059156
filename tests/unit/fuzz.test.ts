// Property-based fuzzing of every parser that reads a file a student or an instructor brings:
// whatever the bytes, each one either returns or throws an Error with a readable message — never
// a TypeError from deep inside, a hang, or a silently accepted broken value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { restoreClockDraft } from '../../lib/clock/draft.ts';
import { gradeClock, parseClockJson } from '../../lib/clock/grade.ts';
import { evaluateFormula } from '../../lib/formula.ts';
import { loadModel, readSafetensors } from '../../lib/modarith/safetensors.ts';
import { loadPth } from '../../lib/modarith/pth.ts';
import { readOnnx } from '../../lib/onnx/read.ts';
import { readPickle } from '../../lib/pth/pickle.ts';
import { readZip } from '../../lib/pth/zip.ts';
import { restoreDraft } from '../../lib/rnn/draft.ts';
import { parseWeights, parseWeightsJson } from '../../lib/rnn/validate.ts';
import { runFromJson } from '../../lib/train/run-file.ts';
import { readFileSync } from 'node:fs';
import { safetensors, storedZip } from '../../scripts/hostile-corpus.ts';

// A fixed seed keeps CI repeatable; change it (or drop it) locally to explore further.
fc.configureGlobal({ seed: 20261127, numRuns: 300 });

/** Runs `read`; a throw must be an Error whose message is a sentence, not an engine's complaint. */
function readable(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message.length).toBeGreaterThan(10);
    expect(message).not.toMatch(/Cannot read propert|is not a function|is not iterable|undefined/);
  }
}

/** A safetensors file around a header (any JSON) and some data bytes. */
const safetensorsFile = fc
  .tuple(fc.jsonValue(), fc.uint8Array({ maxLength: 64 }))
  .map(([header, data]) => safetensors(header, data));

/** A header of tensor-like entries with arbitrary, often wrong, fields. */
const tensorHeader = fc.dictionary(
  fc.constantFrom('embed.W_E', 'blocks.0.attn.W_Q', 'blocks.0.mlp.W_in', 'x', '__metadata__'),
  fc.record(
    {
      dtype: fc.constantFrom('F32', 'F16', 'I64', 'X', 3),
      shape: fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 3 }),
      data_offsets: fc.array(fc.integer({ min: -8, max: 80 }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
);

describe('fuzzing the parsers', () => {
  it('the RNN weights parser, on any JSON value and any text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = parseWeights(value);
        if (!parsed.ok) expect(parsed.errors.length).toBeGreaterThan(0);
      }),
    );
    fc.assert(fc.property(fc.string(), (text) => readable(() => parseWeightsJson(text))));
  });

  it('the clock network reader and grader, on any JSON value and any text', () => {
    const shaped = fc.record(
      {
        p: fc.constantFrom(7, 5, '7'),
        activation: fc.constantFrom('square', 'relu', 'tanh'),
        W_E: fc.array(fc.array(fc.double(), { maxLength: 3 }), { maxLength: 8 }),
        W_in: fc.array(fc.array(fc.double(), { maxLength: 5 }), { maxLength: 4 }),
        b_in: fc.array(fc.jsonValue(), { maxLength: 4 }),
        W_out: fc.array(fc.array(fc.double(), { maxLength: 4 }), { maxLength: 8 }),
        b_out: fc.array(fc.double(), { maxLength: 8 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), (value) => {
        const verdict = gradeClock(value);
        if (!verdict.passed && verdict.errors.length === 0)
          expect(verdict.firstFailure).toBeDefined();
        readable(() => restoreClockDraft(JSON.stringify(value)));
      }),
    );
    fc.assert(fc.property(fc.string(), (text) => readable(() => parseClockJson(text))));
  });

  it('the formula evaluator, on any text: a finite value or a message with its place', () => {
    const pieces = fc.constantFrom(
      '(',
      ')',
      '+',
      '-',
      '*',
      '/',
      '^',
      'sin',
      'cos',
      'pi',
      'a',
      'x',
      '1',
      '.5',
      'e3',
      ' ',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces, { maxLength: 60 }).map((p) => p.join('')),
        ),
        (text) => {
          const result = evaluateFormula(text, { a: 2, p: 7 });
          if (result.ok) expect(Number.isFinite(result.value)).toBe(true);
          else {
            expect(result.message.length).toBeGreaterThan(3);
            expect(result.position).toBeGreaterThanOrEqual(1);
            expect(result.position).toBeLessThanOrEqual(Math.max(1, text.length + 1));
          }
        },
      ),
    );
  });

  it('the kept draft, on any text', () => {
    fc.assert(fc.property(fc.string(), (text) => readable(() => restoreDraft(text))));
    fc.assert(
      fc.property(fc.jsonValue(), (value) => readable(() => restoreDraft(JSON.stringify(value)))),
    );
  });

  it('the safetensors reader and the model loader, on any header and bytes', () => {
    fc.assert(
      fc.property(safetensorsFile, (file) => {
        readable(() => readSafetensors(file));
        readable(() => loadModel(file));
      }),
    );
    fc.assert(
      fc.property(
        fc
          .tuple(tensorHeader, fc.uint8Array({ minLength: 80, maxLength: 80 }))
          .map(([header, data]) => safetensors(header, data)),
        (file) => {
          readable(() => readSafetensors(file));
          readable(() => loadModel(file));
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => readable(() => loadModel(bytes))),
    );
  });

  it('the ONNX reader, on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => readable(() => readOnnx(bytes))),
    );
  });

  it('the zip reader, on any bytes and on a real archive with bytes changed', () => {
    const real = new Uint8Array(readFileSync('tests/fixtures/pth/state-dict.pth'));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => readable(() => readZip(bytes))),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(real.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(real.length),
        (changes, cut) => {
          const bytes = real.slice(0, Math.max(cut, real.length - 200));
          for (const [at, value] of changes) if (at < bytes.length) bytes[at] = value;
          readable(() => loadPth(bytes));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the pickle reader, on any bytes and on sequences of the opcodes a state dict uses', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => readable(() => readPickle(bytes))),
    );
    // Opcodes with plausible arguments: marks, containers, memo, globals and tensors in any order.
    const piece = fc.constantFrom(
      '(',
      '}',
      ']',
      ')',
      't',
      '\x85',
      '\x86',
      '\x87',
      's',
      'u',
      'a',
      'e',
      'R',
      'b',
      'Q',
      'N',
      '\x88',
      '\x89',
      'K\x03',
      'M\x00\x01',
      'J\xff\xff\xff\xff',
      'q\x00',
      'h\x00',
      'q\x01',
      'h\x01',
      'X\x07\x00\x00\x00storage',
      'X\x01\x00\x00\x000',
      'X\x09\x00\x00\x00embed.W_E',
      'ctorch._utils\n_rebuild_tensor_v2\n',
      'ccollections\nOrderedDict\n',
      'ctorch\nFloatStorage\n',
      'cos\nsystem\n',
      '\x8a\x02\x00\x80',
      '.',
    );
    const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const pickle = latin1('\x80\x02' + pieces.join(''));
        readable(() => readPickle(pickle));
        readable(() => loadPth(storedZip({ 'archive/data.pkl': pickle })));
      }),
    );
  });

  it('the run file reader, on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => readable(() => runFromJson(JSON.stringify(value)))),
    );
    fc.assert(
      fc.property(
        fc.record({
          format: fc.constant('grokking-run/1'),
          settings: fc.jsonValue(),
          key_freqs: fc.jsonValue(),
          split: fc.jsonValue(),
          history: fc.jsonValue(),
          snapshots: fc.jsonValue(),
        }),
        (file) => readable(() => runFromJson(JSON.stringify(file))),
      ),
    );
  });
});
