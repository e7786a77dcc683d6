// The archive's byte cursor gives back every string exactly as written: short ASCII ones
// (written a byte per character), the lengths around where the one-byte count ends, text
// with characters beyond ASCII anywhere in it, empty and missing strings, and a record that
// outgrows its buffer in the middle of a string.
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../../proxy-core/capture/archive/bytes.js';

const STRINGS: (string | undefined)[] = [
  undefined,
  '',
  'a',
  'content-type',
  'x'.repeat(125),
  'x'.repeat(126),
  'x'.repeat(127),
  'x'.repeat(128),
  'y'.repeat(300),
  'é',
  'ünïcode host',
  `${'a'.repeat(100)}😀`,
  `😀${'b'.repeat(120)}`,
  '\u007f\u0000\u0080',
];

/** Writes the strings into a buffer of `size` bytes that grows (copying the record so far) when full. */
function writeAll(size: number): Buffer {
  const w = new ByteWriter();
  let buffer = Buffer.alloc(size);
  w.begin(buffer, 0, (partial, more) => {
    buffer = Buffer.alloc(partial.length + more + 16);
    partial.copy(buffer);
    return buffer;
  });
  for (const s of STRINGS) w.string(s);
  return buffer.subarray(0, w.offset);
}

describe('the archive byte cursor', () => {
  it('reads back every string as written, whatever its length and characters', () => {
    const bytes = writeAll(64 * 1024);
    const r = new ByteReader(bytes);
    expect(STRINGS.map(() => r.string())).toEqual(STRINGS);
    expect(r.offset).toBe(bytes.length);
  });

  it('writes the same bytes when the record outgrows its buffer on the way', () => {
    expect(writeAll(7)).toEqual(writeAll(64 * 1024));
  });

  it('counts a string by its UTF-8 bytes, plus one (zero stands for a missing string)', () => {
    const w = new ByteWriter();
    const buffer = Buffer.alloc(64);
    w.begin(buffer, 0, () => {
      throw new Error('no overflow expected');
    });
    for (const s of [undefined, '', 'ab', 'é', '😀']) w.string(s);
    const r = new ByteReader(buffer);
    const counts = [0, 1, 2, 3, 4].map(() => {
      const count = r.varint();
      r.offset += Math.max(0, count - 1);
      return count;
    });
    expect(counts).toEqual([0, 1, 3, 3, 5]);
  });
});
