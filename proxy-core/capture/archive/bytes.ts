// A cursor that writes numbers, strings and bytes straight into a buffer it is given (the
// archive's newest slab), and one that reads them back. Strings are UTF-8 behind a
// variable-length count (one byte for the short strings most headers are): the count is the
// length plus one, zero for `undefined`, so optional fields round-trip exactly.

/**
 * Called when the record being written does not fit: returns a buffer with the record so far
 * (`partial`) copied to its start and room for `more` bytes after it.
 */
export type Overflow = (partial: Buffer, more: number) => Buffer;

const unbegun: Overflow = () => {
  throw new Error('ByteWriter: begin() comes first');
};

/** Strings shorter than this take the ASCII fast path: their count (length + 1) fits one byte. */
const SHORT_STRING = 0x7f;

export class ByteWriter {
  private buffer: Buffer = Buffer.alloc(0);
  /** Where the record being written starts in `buffer`. */
  private start = 0;
  /** Where the next byte goes. */
  private next = 0;
  private overflow: Overflow = unbegun;

  /** Writes the next record into `buffer` from `at` on; `overflow` moves it when it outgrows the buffer. */
  begin(buffer: Buffer, at: number, overflow: Overflow): void {
    this.buffer = buffer;
    this.start = this.next = at;
    this.overflow = overflow;
  }

  /** Bytes written into the current record. */
  get offset(): number {
    return this.next - this.start;
  }

  /** The buffer holding the current record and where in it the record starts. */
  get place(): { buffer: Buffer; start: number; end: number } {
    return { buffer: this.buffer, start: this.start, end: this.next };
  }

  private room(bytes: number): void {
    if (this.next + bytes <= this.buffer.length) return;
    const length = this.offset;
    this.buffer = this.overflow(this.buffer.subarray(this.start, this.next), bytes);
    this.start = 0;
    this.next = length;
  }

  u8(value: number): void {
    this.room(1);
    this.buffer[this.next++] = value;
  }

  u16(value: number): void {
    this.room(2);
    this.next = this.buffer.writeUInt16LE(value, this.next);
  }

  u32(value: number): void {
    this.room(4);
    this.next = this.buffer.writeUInt32LE(value, this.next);
  }

  /** A double; NaN stands for undefined. */
  f64(value: number | undefined): void {
    this.room(8);
    this.next = this.buffer.writeDoubleLE(value ?? NaN, this.next);
  }

  /** Overwrites a u32 written earlier (a length known only later). */
  u32At(at: number, value: number): void {
    this.buffer.writeUInt32LE(value, this.start + at);
  }

  /** An unsigned integer in 7-bit groups, low first (up to 2^53). */
  varint(value: number): void {
    this.room(8);
    while (value >= 0x80) {
      this.buffer[this.next++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.next++] = value;
  }

  string(value: string | undefined): void {
    if (value === undefined) return this.u8(0);
    // Most strings (header names and values, methods, hosts) are short and ASCII: copied
    // here a byte per character, without two calls into Buffer's native code each.
    if (value.length < SHORT_STRING && this.ascii(value)) return;
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length + 1);
    this.room(length);
    this.next += this.buffer.write(value, this.next, 'utf8');
  }

  /** Writes `value` (shorter than SHORT_STRING) when it is all ASCII; false, and nothing written, when not. */
  private ascii(value: string): boolean {
    const length = value.length;
    this.room(1 + length);
    const buffer = this.buffer;
    const at = this.next + 1;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) return false;
      buffer[at + i] = code;
    }
    buffer[this.next] = length + 1; // the varint count: one byte below 0x80
    this.next = at + length;
    return true;
  }

  bytes(value: Buffer): void {
    this.room(4 + value.length);
    this.buffer.writeUInt32LE(value.length, this.next);
    this.buffer.set(value, this.next + 4);
    this.next += 4 + value.length;
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
