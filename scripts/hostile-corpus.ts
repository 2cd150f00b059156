// Writes the standing corpus of hostile inputs, tests/fixtures/hostile/: files a careless user or an
// attacker could hand the course's readers, each with the words its message must contain. The
// unit tests run every parser, loader and CLI over it. Large inputs are not committed: `large()`
// makes them where the test needs them.
//   node scripts/hostile-corpus.ts [DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inferenceGraph } from '../lib/modarith/export.ts';
import { initParams } from '../lib/modarith/params.ts';
import { loadModel, saveModel } from '../lib/modarith/safetensors.ts';
import { ProtoWriter } from '../lib/onnx/protobuf.ts';
import { zeroWeights } from '../lib/rnn/network.ts';
import { runToJson, type Run } from '../lib/train/run-file.ts';

/**
 * A small run file (p = 5, two snapshots at epochs 0 and 10) as text, after `edit` changes the run
 * before it is written and `editFile` the written JSON.
 */
function runFile(
  edit: (run: Run) => void = () => {},
  editFile: (file: Record<string, unknown>) => void = () => {},
  p = 5,
): string {
  const config = { p, d_model: 4, n_heads: 1, d_head: 4, d_mlp: 4 };
  const run: Run = {
    lab: { op: 'add', p, fraction: 0.5, d_model: 4, n_heads: 1, d_mlp: 4, lr: 0.003 } as Run['lab'],
    history: [],
    keyFreqs: [1],
    split: [0, 1, 2],
    snapshots: [0, 10].map((epoch) => ({ epoch, params: initParams(config, epoch + 1) })),
  };
  Object.assign(run.lab, { weightDecay: 1, seed: 0, epochs: 10, loss: 'exact' });
  edit(run);
  const file = JSON.parse(runToJson(run)) as Record<string, unknown>;
  editFile(file);
  return JSON.stringify(file);
}

/** A safetensors file from any header and data bytes, written by hand (the tests use it too). */
export function safetensors(header: unknown, data: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(header));
  const file = new Uint8Array(8 + text.length + data.length);
  new DataView(file.buffer).setBigUint64(0, BigInt(text.length), true);
  file.set(text, 8);
  file.set(data, 8 + text.length);
  return file;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) =>
  (bytes.reduce((c, b) => crcTable[(c ^ b) & 0xff]! ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;

/** A zip archive of stored entries, as torch.save writes one (the fuzzing uses it too). */
export function storedZip(entries: Record<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  const directory: Uint8Array[] = [];
  let offset = 0;
  const header = (size: number, write: (v: DataView) => void) => {
    const bytes = new Uint8Array(size);
    write(new DataView(bytes.buffer));
    return bytes;
  };
  for (const [name, data] of Object.entries(entries)) {
    const nameBytes = new TextEncoder().encode(name);
    const crc = crc32(data);
    const local = header(30, (v) => {
      v.setUint32(0, 0x04034b50, true);
      v.setUint32(14, crc, true);
      v.setUint32(18, data.length, true);
      v.setUint32(22, data.length, true);
      v.setUint16(26, nameBytes.length, true);
    });
    const central = header(46, (v) => {
      v.setUint32(0, 0x02014b50, true);
      v.setUint32(16, crc, true);
      v.setUint32(20, data.length, true);
      v.setUint32(24, data.length, true);
      v.setUint16(28, nameBytes.length, true);
      v.setUint32(42, offset, true);
    });
    parts.push(local, nameBytes, data);
    directory.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const size = directory.reduce((n, d) => n + d.length, 0);
  const end = header(22, (v) => {
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, Object.keys(entries).length, true);
    v.setUint16(10, Object.keys(entries).length, true);
    v.setUint32(12, size, true);
    v.setUint32(16, offset, true);
  });
  const all = [...parts, ...directory, end];
  const file = new Uint8Array(all.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const part of all) {
    file.set(part, at);
    at += part.length;
  }
  return file;
}

/** Bytes written as a string of byte values: a hand-made pickle. */
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

const f32 = (shape: number[], start: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [start, start + 4 * shape.reduce((n, d) => n * d, 1)],
});

/** Each file of the corpus: its bytes, and the words its message must contain. */
export function corpus(): Record<string, { bytes: Uint8Array | string; message: string }> {
  const good = loadModel(
    new Uint8Array(readFileSync('tests/fixtures/modarith/generalised.safetensors')),
  );
  good.params['unembed.W_U'].data[3] = Number.POSITIVE_INFINITY;
  const small = { p: 7, d_model: 8, n_heads: 2, d_head: 4, d_mlp: 16 };
  const broken = initParams(small, 1);
  broken['blocks.0.attn.W_V'].data[5] = Number.NaN;
  const zeros = JSON.stringify(zeroWeights(2));
  return {
    'rnn-deep-nesting.json': {
      bytes: zeros.replace('"W_hy":[[0,0]]', `"W_hy":${'['.repeat(20_000)}${']'.repeat(20_000)}`),
      message: 'W_hy',
    },
    'clock-deep-nesting.json': {
      bytes: `{"p":7,"activation":"square","W_E":[[1]],"W_in":${'['.repeat(20_000)}${']'.repeat(20_000)},"b_in":[0],"W_out":[[0],[0],[0],[0],[0],[0],[0]],"b_out":[0,0,0,0,0,0,0]}`,
      message: 'W_in[0] must have 2 entries, got 1.',
    },
    'clock-huge-n.json': {
      bytes: `\uFEFF{"p":7,"activation":"relu","W_E":[[1]],"W_out":[[${new Array(1000).fill(0).join(',')}]]}`,
      message: 'n (the length of each W_out row) must be from 1 to 32, got 1000.',
    },
    'rnn-not-json.json': { bytes: zeros.slice(0, 40), message: 'This is not valid JSON' },
    'rnn-string-cell.json': {
      bytes: zeros.replace('"b_y":[0]', '"b_y":["0x10"]'),
      message: 'b_y[0] must be a finite number, got the text "0x10"',
    },
    'model-negative-offset.safetensors': {
      bytes: safetensors(
        { 'embed.W_E': { ...f32([2, 2], 0), data_offsets: [-16, 0] } },
        new Uint8Array(16),
      ),
      message: 'The header entry of tensor embed.W_E is malformed',
    },
    'model-overlap.safetensors': {
      bytes: safetensors(
        { a: f32([4], 0), b: { ...f32([4], 0), data_offsets: [8, 24] } },
        new Uint8Array(24),
      ),
      message: 'Tensors a and b overlap',
    },
    'model-truncated.safetensors': {
      bytes: safetensors({ a: f32([64], 0) }, new Uint8Array(16)),
      message: 'The file is truncated',
    },
    'model-huge-p.safetensors': {
      bytes: safetensors(
        {
          'embed.W_E': f32([1002, 1], 0),
          'blocks.0.attn.W_Q': f32([1, 1, 1], 4008),
          'blocks.0.mlp.W_in': f32([1, 1], 4012),
        },
        new Uint8Array(4016),
      ),
      message: 'the course handles p up to 257',
    },
    'model-infinite-weight.safetensors': {
      bytes: saveModel(good.params, { op: 'add' }),
      message: 'Tensor unembed.W_U holds Infinity at entry 3',
    },
    'model-nan-weight.onnx': {
      bytes: inferenceGraph(small, broken).toModel(),
      message: 'Tensor blocks.0.attn.W_V holds NaN at entry 5',
    },
    'model-short-initializer.onnx': {
      bytes: new ProtoWriter()
        .message(7, (graph) =>
          graph.message(5, (t) =>
            t.int(1, 4).int(1, 4).int(2, 1).string(8, 'W').raw(9, new Uint8Array(8)),
          ),
        )
        .finish(),
      message: 'initializer W has 8 bytes where dims [4, 4] need 64',
    },
    'model-external-data.onnx': {
      bytes: new ProtoWriter()
        .message(7, (graph) =>
          graph.message(5, (t) =>
            t
              .int(1, 4)
              .int(2, 1)
              .string(8, 'embed.W_E')
              .message(13, (entry) => entry.string(1, 'location').string(2, 'model.onnx.data'))
              .int(14, 1),
          ),
        )
        .finish(),
      message: 'initializer embed.W_E keeps its weights in a separate file (ONNX external data)',
    },
    // The classic pickle payload: os.system called through REDUCE when the file is loaded.
    'model-os-system.pth': {
      bytes: storedZip({
        'archive/data.pkl': latin1('\x80\x02cos\nsystem\nX\x04\x00\x00\x00echo\x85R.'),
        'archive/version': latin1('3\n'),
      }),
      message: 'the pickle names os.system, which a state dict does not use',
    },
    'model-truncated.pth': {
      bytes: storedZip({ 'archive/data.pkl': latin1('\x80\x02}.') }).subarray(0, 60),
      message: 'the zip archive has no end-of-directory record',
    },
    'model-no-state-dict.pth': {
      bytes: storedZip({ 'archive/data.pkl': latin1('\x80\x02}X\x05\x00\x00\x00epochK\x01s.') }),
      message: 'the file holds a dict of epoch, but no state dict',
    },
    'run-null-row.json': {
      bytes: JSON.stringify({
        format: 'grokking-run/1',
        settings: {
          op: 'add',
          p: 23,
          fraction: 0.5,
          d_model: 16,
          n_heads: 2,
          d_mlp: 32,
          lr: 0.003,
          weightDecay: 1,
          seed: 0,
          epochs: 10,
        },
        key_freqs: [],
        split: [0, 1],
        history: [null],
        snapshots: [],
      }),
      message: "The run's history is damaged: a row is not an object",
    },
    'run-nan-weight.json': {
      bytes: runFile((run) => (run.snapshots[1]!.params['blocks.0.mlp.W_out'].data[2] = NaN)),
      message: 'Tensor blocks.0.mlp.W_out (snapshot at epoch 10) holds NaN at entry 2',
    },
    'run-epochs-backwards.json': {
      bytes: runFile((run) => run.snapshots.reverse()),
      message: 'Snapshot 1 is at epoch 0, after one at epoch 10: snapshot epochs must increase.',
    },
    'run-repeated-epoch.json': {
      bytes: runFile((run) => (run.snapshots[1]!.epoch = 0)),
      message: 'Snapshot 1 is at epoch 0, after one at epoch 0',
    },
    'run-negative-epoch.json': {
      bytes: runFile((run) => (run.snapshots[0]!.epoch = -5)),
      message: 'Snapshot 0 needs its epoch, a whole number ≥ 0.',
    },
    'run-wrong-shape.json': {
      bytes: runFile(undefined, (file) => {
        const [first] = file['snapshots'] as { tensors: Record<string, { shape: number[] }> }[];
        first!.tensors['embed.W_E']!.shape = [4, 6];
      }),
      message:
        'Tensor embed.W_E (snapshot at epoch 0) has shape [4, 6] where the settings give [6, 4].',
    },
    'run-many-key-freqs.json': {
      bytes: runFile(
        (run) => {
          run.keyFreqs = Array.from({ length: 17 }, (_, i) => i + 1);
          run.snapshots = [];
        },
        undefined,
        37,
      ),
      message: 'key_freqs lists 17 frequencies; a run file holds at most 16.',
    },
    'run-no-test-set.json': {
      bytes: runFile((run) => (run.split = Array.from({ length: 25 }, (_, i) => i))),
      message: 'split holds all 25 inputs of p = 5: the run has no test set',
    },
    'run-deep-nesting.json': {
      bytes: runFile(undefined, (file) => (file['history'] = 'NESTED')).replace(
        '"NESTED"',
        `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      ),
      message: 'This file nests lists or objects more than 64 deep: it is not a run.',
    },
    'model-deep-metadata.safetensors': {
      bytes: (() => {
        const file = saveModel(initParams(small, 1), { op: 'NESTED' });
        const length = Number(new DataView(file.buffer).getBigUint64(0, true));
        const header = new TextDecoder().decode(file.subarray(8, 8 + length));
        const nested = header.replace('"NESTED"', `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
        return withHeader(nested, file.subarray(8 + length));
      })(),
      message: 'The header nests lists or objects more than 64 deep.',
    },
  };
}

/** A safetensors file from a header's text as it is (however it nests) and data bytes. */
function withHeader(text: string, data: Uint8Array): Uint8Array {
  const header = new TextEncoder().encode(text);
  const file = new Uint8Array(8 + header.length + data.length);
  new DataView(file.buffer).setBigUint64(0, BigInt(header.length), true);
  file.set(header, 8);
  file.set(data, 8 + header.length);
  return file;
}

/**
 * The large inputs, made where a test needs them: 1 MB of 0xFF (a varint that never ends) and
 * 64 MB of zero bytes (protobuf field 0, once read as a gigabyte of empty fields).
 */
export function large(): Record<string, { bytes: Uint8Array; message: string }> {
  return {
    'model-zeros.onnx': {
      bytes: new Uint8Array(64 * 2 ** 20),
      message: 'field number 0 at byte 0, which protobuf never uses',
    },
    'model-endless-varint.onnx': {
      bytes: new Uint8Array(1_000_000).fill(0xff),
      message: 'a varint longer than 10 bytes',
    },
    'model-many-dims.onnx': {
      bytes: new ProtoWriter()
        .message(7, (graph) =>
          graph.message(5, (t) =>
            t.packedInts(1, new Array<number>(300_000).fill(1)).int(2, 1).string(8, 'W'),
          ),
        )
        .finish(),
      message: 'an initializer with more than 8 dims',
    },
    'model-long-name.safetensors': {
      bytes: safetensors({ ['x'.repeat(1_000_000)]: { dtype: 'F32' } }, new Uint8Array()),
      message: `The header entry of tensor ${'x'.repeat(80)}… (1,000,000 characters) is malformed`,
    },
    'run-many-snapshots.json': {
      bytes: new TextEncoder().encode(
        runFile((run) => {
          const config = { p: 5, d_model: 4, n_heads: 1, d_head: 4, d_mlp: 4 };
          const params = initParams(config, 1);
          run.snapshots = Array.from({ length: 101 }, (_, epoch) => ({ epoch, params }));
        }),
      ),
      message: 'The run has 101 snapshots; a run file holds at most 100.',
    },
    'run-long-op.json': {
      bytes: new TextEncoder().encode(
        runFile((run) => ((run.lab as { op: string }).op = 'x'.repeat(1_000_000))),
      ),
      message: '… (1,000,002 characters))',
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const dir = process.argv[2] ?? 'tests/fixtures/hostile';
  mkdirSync(dir, { recursive: true });
  const messages: Record<string, string> = {};
  for (const [name, { bytes, message }] of Object.entries(corpus())) {
    writeFileSync(join(dir, name), bytes);
    messages[name] = message;
  }
  writeFileSync(join(dir, 'messages.json'), JSON.stringify(messages, null, 2) + '\n');
  console.log(`Wrote ${Object.keys(messages).length} files and messages.json to ${dir}`);
}
