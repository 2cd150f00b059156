// A reader of the pickle subset a PyTorch state dict is written in. It builds values and never
// calls anything: the few globals a state dict names (OrderedDict, torch's tensor rebuilder, the
// storage types) are recognised by name, and every other global or opcode is refused by name.

/** A tensor's storage, as torch.save's persistent id names it: an entry of the archive. */
export interface StorageRef {
  kind: 'storage';
  /** The storage type's name, e.g. FloatStorage */
  type: string;
  /** The archive entry's name under data/ */
  key: string;
  /** Elements in the storage */
  numel: number;
}

/** A tensor as _rebuild_tensor_v2 describes it: a strided view into a storage. */
export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}

export interface PickleDict {
  kind: 'dict';
  entries: Map<string | number, PickleValue>;
}
export interface PickleList {
  kind: 'list';
  items: PickleValue[];
}
export interface PickleTuple {
  kind: 'tuple';
  items: PickleValue[];
}
interface PickleGlobal {
  kind: 'global';
  name: string;
}

export type PickleValue =
  | null
  | boolean
  | number
  | string
  | PickleDict
  | PickleList
  | PickleTuple
  | PickleGlobal
  | StorageRef
  | TensorRef;

/** Globals a state dict names; anything else is refused before it could mean anything. */
const callables = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
]);
/** Storage types and their element sizes in bytes. */
export const storageTypes: Record<string, number> = {
  FloatStorage: 4,
  DoubleStorage: 8,
  HalfStorage: 2,
  BFloat16Storage: 2,
  LongStorage: 8,
  IntStorage: 4,
  ShortStorage: 2,
  CharStorage: 1,
  ByteStorage: 1,
  BoolStorage: 1,
};

/** Caps on what a file can make the reader hold: far above a model's state dict. */
const maxStack = 1_000_000;
const maxMemo = 1_000_000;
const maxDimensions = 8;

const opcodeNames: Record<number, string> = {
  0x31: 'INT (protocol 0)',
  0x46: 'FLOAT (protocol 0)',
  0x49: 'INT (protocol 0)',
  0x4c: 'LONG (protocol 0)',
  0x50: 'PERSID (protocol 0)',
  0x53: 'STRING (protocol 0)',
  0x56: 'UNICODE (protocol 0)',
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x82: 'EXT1',
  0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES',
  0x32: 'DUP',
  0x30: 'POP',
};

const isDict = (v: PickleValue | undefined): v is PickleDict =>
  typeof v === 'object' && v !== null && v.kind === 'dict';
const isList = (v: PickleValue | undefined): v is PickleList =>
  typeof v === 'object' && v !== null && v.kind === 'list';
const isTuple = (v: PickleValue | undefined): v is PickleTuple =>
  typeof v === 'object' && v !== null && v.kind === 'tuple';

function wholeNumbers(value: PickleValue | undefined, what: string): number[] {
  if (!isTuple(value) || value.items.length > maxDimensions) {
    throw new Error(`a tensor's ${what} is not a tuple of at most ${maxDimensions} whole numbers`);
  }
  return value.items.map((d) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new Error(`a tensor's ${what} holds ${String(d)}, not a whole number`);
    }
    return d;
  });
}

/** What calling an allow-listed global with `args` gives, built without calling anything. */
function reduce(callable: PickleValue | undefined, args: PickleValue | undefined): PickleValue {
  if (typeof callable !== 'object' || callable === null || callable.kind !== 'global') {
    throw new Error('REDUCE is applied to something that is not a global');
  }
  if (!isTuple(args)) throw new Error(`${callable.name} is called without an argument tuple`);
  if (callable.name === 'collections.OrderedDict') {
    if (args.items.length > 0) throw new Error('OrderedDict is called with arguments');
    return { kind: 'dict', entries: new Map() };
  }
  if (callable.name === 'torch._utils._rebuild_parameter') {
    const tensor = args.items[0];
    if (typeof tensor !== 'object' || tensor === null || tensor.kind !== 'tensor') {
      throw new Error('_rebuild_parameter is called without a tensor');
    }
    return tensor;
  }
  if (callable.name === 'torch._utils._rebuild_tensor_v2') {
    const [storage, offset] = args.items;
    if (typeof storage !== 'object' || storage === null || storage.kind !== 'storage') {
      throw new Error('_rebuild_tensor_v2 is called without a storage');
    }
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
      throw new Error(
        '_rebuild_tensor_v2 is called with a storage offset that is not a whole number',
      );
    }
    const shape = wholeNumbers(args.items[2], 'shape');
    const stride = wholeNumbers(args.items[3], 'stride');
    if (stride.length !== shape.length)
      throw new Error("a tensor's shape and stride differ in length");
    return { kind: 'tensor', storage, offset, shape, stride };
  }
  throw new Error(`${callable.name} cannot be called`);
}

/** The storage a persistent id ('storage', type, key, location, numel) names. */
function storageRef(pid: PickleValue | undefined): StorageRef {
  if (!isTuple(pid) || pid.items[0] !== 'storage' || pid.items.length !== 5) {
    throw new Error(
      "a persistent id that is not torch.save's ('storage', type, key, location, size)",
    );
  }
  const [, type, key, , numel] = pid.items;
  if (typeof type !== 'object' || type === null || type.kind !== 'global') {
    throw new Error('a storage whose type is not a storage class');
  }
  const name = type.name.replace(/^torch\./, '');
  if (storageTypes[name] === undefined)
    throw new Error(`the storage type ${type.name} is not one the reader knows`);
  if (typeof key !== 'string' || !/^\w{1,32}$/.test(key))
    throw new Error('a storage key that is not a short name');
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
    throw new Error('a storage size that is not a whole number');
  }
  return { kind: 'storage', type: name, key, numel };
}

/** Reads a pickle of a state dict into values; throws an Error naming anything outside the subset. */
export function readPickle(bytes: Uint8Array): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: PickleValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > bytes.length) throw new Error(`the pickle ends inside ${what}`);
  };
  const pop = (): PickleValue => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1]!)) {
      throw new Error('the pickle takes a value from an empty stack');
    }
    return stack.pop()!;
  };
  const popMark = (): PickleValue[] => {
    const mark = marks.pop();
    if (mark === undefined) throw new Error('the pickle closes a MARK it never opened');
    return stack.splice(mark);
  };
  const push = (value: PickleValue) => {
    if (stack.length >= maxStack) throw new Error(`the pickle stacks more than ${maxStack} values`);
    stack.push(value);
  };
  const put = (index: number) => {
    if (stack.length === 0) throw new Error('the pickle memoises from an empty stack');
    if (memo.size >= maxMemo && !memo.has(index))
      throw new Error(`the pickle memoises more than ${maxMemo} values`);
    memo.set(index, stack[stack.length - 1]!);
  };
  const get = (index: number) => {
    if (!memo.has(index))
      throw new Error(`the pickle recalls memo ${index}, which it never stored`);
    push(memo.get(index)!);
  };
  const text = (length: number) => {
    need(length, 'a string');
    const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + length));
    at += length;
    return s;
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0 || end - at > 200) throw new Error('the pickle ends inside a GLOBAL name');
    const s = new TextDecoder().decode(bytes.subarray(at, end));
    at = end + 1;
    return s;
  };
  const setItems = (dict: PickleValue | undefined, items: PickleValue[]) => {
    if (!isDict(dict)) throw new Error('the pickle sets items on something that is not a dict');
    if (items.length % 2 !== 0) throw new Error('the pickle sets a key without a value');
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i];
      if (typeof key !== 'string' && typeof key !== 'number') {
        throw new Error('a dict key that is neither a string nor a number');
      }
      dict.entries.set(key, items[i + 1]!);
    }
  };
  const global = (name: string) => {
    const bare = name.replace(/^torch\./, '');
    if (!callables.has(name) && !(name.startsWith('torch.') && storageTypes[bare] !== undefined)) {
      throw new Error(
        `the pickle names ${name}, which a state dict does not use (the reader takes only OrderedDict, torch's tensors and their storages, and never runs code)`,
      );
    }
    push({ kind: 'global', name });
  };

  for (;;) {
    need(1, 'an opcode');
    const op = bytes[at++]!;
    switch (op) {
      case 0x80: // PROTO
        need(1, 'PROTO');
        if (bytes[at]! > 5) throw new Error(`pickle protocol ${bytes[at]} is newer than 5`);
        at += 1;
        break;
      case 0x95: // FRAME
        need(8, 'FRAME');
        at += 8;
        break;
      case 0x2e: {
        // STOP
        if (stack.length !== 1 || marks.length > 0)
          throw new Error('the pickle stops with its stack unfinished');
        return stack[0]!;
      }
      case 0x28: // MARK
        if (marks.length >= maxStack) throw new Error('the pickle opens too many MARKs');
        marks.push(stack.length);
        break;
      case 0x7d: // EMPTY_DICT
        push({ kind: 'dict', entries: new Map() });
        break;
      case 0x5d: // EMPTY_LIST
        push({ kind: 'list', items: [] });
        break;
      case 0x29: // EMPTY_TUPLE
        push({ kind: 'tuple', items: [] });
        break;
      case 0x74: // TUPLE
        push({ kind: 'tuple', items: popMark() });
        break;
      case 0x85:
      case 0x86:
      case 0x87: {
        // TUPLE1, TUPLE2, TUPLE3
        const items: PickleValue[] = [];
        for (let n = op - 0x84; n > 0; n--) items.unshift(pop());
        push({ kind: 'tuple', items });
        break;
      }
      case 0x58: // BINUNICODE
        need(4, 'BINUNICODE');
        at += 4;
        push(text(view.getUint32(at - 4, true)));
        break;
      case 0x8c: // SHORT_BINUNICODE
        need(1, 'SHORT_BINUNICODE');
        push(text(bytes[at++]!));
        break;
      case 0x4a: // BININT
        need(4, 'BININT');
        push(view.getInt32(at, true));
        at += 4;
        break;
      case 0x4b: // BININT1
        need(1, 'BININT1');
        push(bytes[at++]!);
        break;
      case 0x4d: // BININT2
        need(2, 'BININT2');
        push(view.getUint16(at, true));
        at += 2;
        break;
      case 0x8a: {
        // LONG1: a little-endian two's-complement integer of up to 8 bytes
        need(1, 'LONG1');
        const n = bytes[at++]!;
        if (n > 8) throw new Error(`the pickle holds a ${n}-byte integer, longer than 8 bytes`);
        need(n, 'LONG1');
        let value = 0n;
        for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[at + i]!);
        if (n > 0 && bytes[at + n - 1]! >= 0x80) value -= 1n << BigInt(8 * n);
        at += n;
        push(Number(value));
        break;
      }
      case 0x47: // BINFLOAT
        need(8, 'BINFLOAT');
        push(view.getFloat64(at, false));
        at += 8;
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x71: // BINPUT
        need(1, 'BINPUT');
        put(bytes[at++]!);
        break;
      case 0x72: // LONG_BINPUT
        need(4, 'LONG_BINPUT');
        put(view.getUint32(at, true));
        at += 4;
        break;
      case 0x94: // MEMOIZE
        put(memo.size);
        break;
      case 0x68: // BINGET
        need(1, 'BINGET');
        get(bytes[at++]!);
        break;
      case 0x6a: // LONG_BINGET
        need(4, 'LONG_BINGET');
        get(view.getUint32(at, true));
        at += 4;
        break;
      case 0x63: {
        // GLOBAL: module and name, each on its own line
        const module = line();
        global(`${module}.${line()}`);
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string')
          throw new Error('STACK_GLOBAL without two names');
        global(`${module}.${name}`);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        push(reduce(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD: a state dict's OrderedDict gets its _metadata attribute, which the course ignores
        const state = pop();
        const target = stack[stack.length - 1];
        if (!isDict(target) || !isDict(state))
          throw new Error('BUILD on something other than a dict');
        break;
      }
      case 0x51: // BINPERSID
        push(storageRef(pop()));
        break;
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setItems(stack[stack.length - 1], [key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(stack[stack.length - 1], items);
        break;
      }
      case 0x61: {
        // APPEND
        const value = pop();
        const list = stack[stack.length - 1];
        if (!isList(list)) throw new Error('the pickle appends to something that is not a list');
        list.items.push(value);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = stack[stack.length - 1];
        if (!isList(list)) throw new Error('the pickle appends to something that is not a list');
        for (const item of items) list.items.push(item);
        break;
      }
      default:
        throw new Error(
          `the pickle uses opcode ${opcodeNames[op] ?? `0x${op.toString(16).padStart(2, '0')}`} at byte ${at - 1}, which a state dict does not use`,
        );
    }
  }
}
