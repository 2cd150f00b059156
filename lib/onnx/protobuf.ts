// A minimal protobuf wire-format writer: just what encoding an ONNX model needs.

/** Protobuf wire types. */
const Wire = { Varint: 0, Fixed32: 5, Bytes: 2 } as const;
type Wire = (typeof Wire)[keyof typeof Wire];

/** Appends protobuf fields to a growing byte buffer. */
export class ProtoWriter {
  private bytes: number[] = [];

  private varint(value: number | bigint): void {
    // Negative int64 values are written as 10-byte two's complement, as protobuf requires.
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  private tag(field: number, wire: Wire): void {
    this.varint((field << 3) | wire);
  }

  /** An int32/int64/enum field. */
  int(field: number, value: number | bigint): this {
    this.tag(field, Wire.Varint);
    this.varint(value);
    return this;
  }

  /** A float field. */
  float(field: number, value: number): this {
    this.tag(field, Wire.Fixed32);
    const b = new Uint8Array(new Float32Array([value]).buffer);
    this.bytes.push(...b);
    return this;
  }

  /** A bytes field. */
  raw(field: number, value: Uint8Array): this {
    this.tag(field, Wire.Bytes);
    this.varint(value.length);
    for (const b of value) this.bytes.push(b);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.raw(field, inner.finish());
  }

  /** A packed repeated varint field. */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.raw(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
