// A cursor that writes numbers, strings and bytes into a growing scratch buffer, and one
// that reads them back. Strings are UTF-8 behind a variable-length count (one byte for the
// short strings most headers are): the count is the length plus one, zero for `undefined`,
// so optional fields round-trip exactly.

export class ByteWriter {
  private buffer = Buffer.allocUnsafeSlow(64 * 1024);
  offset = 0;

  private room(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(bigger, 0, 0, this.offset);
    this.buffer = bigger;
  }

  reset(): void {
    this.offset = 0;
  }

  /** The bytes written since the last reset (a view of the scratch buffer, valid until the next write). */
  written(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }

  u8(value: number): void {
    this.room(1);
    this.buffer[this.offset++] = value;
  }

  u16(value: number): void {
    this.room(2);
    this.offset = this.buffer.writeUInt16LE(value, this.offset);
  }

  u32(value: number): void {
    this.room(4);
    this.offset = this.buffer.writeUInt32LE(value, this.offset);
  }

  /** A double; NaN stands for undefined. */
  f64(value: number | undefined): void {
    this.room(8);
    this.offset = this.buffer.writeDoubleLE(value ?? NaN, this.offset);
  }

  /** Overwrites a u32 written earlier (a length known only later). */
  u32At(at: number, value: number): void {
    this.buffer.writeUInt32LE(value, at);
  }

  /** An unsigned integer in 7-bit groups, low first (up to 2^53). */
  varint(value: number): void {
    this.room(8);
    while (value >= 0x80) {
      this.buffer[this.offset++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.offset++] = value;
  }

  string(value: string | undefined): void {
    if (value === undefined) return this.u8(0);
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length + 1);
    this.room(length);
    this.offset += this.buffer.write(value, this.offset, 'utf8');
  }

  bytes(value: Buffer): void {
    this.room(4 + value.length);
    this.buffer.writeUInt32LE(value.length, this.offset);
    this.buffer.set(value, this.offset + 4);
    this.offset += 4 + value.length;
  }
}

export class ByteReader {
  constructor(
    private readonly buffer: Buffer,
    public offset = 0,
  ) {}

  u8(): number {
    return this.buffer[this.offset++]!;
  }

  u16(): number {
    const value = this.buffer.readUInt16LE(this.offset);
    this.offset += 2;
    return value;
  }

  u32(): number {
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  f64(): number | undefined {
    const value = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    return Number.isNaN(value) ? undefined : value;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.buffer[this.offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }

  string(): string | undefined {
    const count = this.varint();
    if (count === 0) return undefined;
    const length = count - 1;
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A view of the bytes (no copy). */
  bytes(): Buffer {
    const length = this.u32();
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  skipBytes(): void {
    this.offset += 4 + this.buffer.readUInt32LE(this.offset);
  }
}
