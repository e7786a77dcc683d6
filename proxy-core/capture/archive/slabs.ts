// Large buffers that finished exchanges are copied into, outside the JS heap: the garbage
// collector sees one object per slab instead of dozens per exchange. A slab is dropped
// when every record in it has been evicted; records leave roughly in the order they were
// written, so memory comes back slab by slab.
//
// A full slab is packed with zstd on libuv's thread pool (not the event loop): headers repeat
// from one exchange to the next and dev traffic is mostly text (JSON, HTML, scripts), so a
// slab typically shrinks several times over and the same memory keeps that much more history.
// Reading a packed slab unpacks it whole; the last few unpacked slabs are kept, since readers
// go through the store in order (the list, search, HAR export) or look at recent exchanges.
import zlib from 'node:zlib';
import type { ByteWriter, Overflow } from './bytes.js';

/** Big enough that a typical exchange (a few KiB) uses a sliver of one. */
export const SLAB_BYTES = 1024 * 1024;

/** A packed slab is kept only when it saves at least this share of the raw bytes. */
const PACKING_WORTH = 0.75;
/** Unpacked slabs kept for the next reads. */
const UNPACKED_KEPT = 3;
const ZSTD_FAST = { params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } };

interface Slab {
  /** The raw bytes: always while being written, until packed after that. */
  raw: Buffer | undefined;
  packed: Buffer | undefined;
  /** Bytes written so far. */
  used: number;
  /** Records in it not yet released. */
  live: number;
  /** Released or cleared: a packing that finishes late is thrown away. */
  gone: boolean;
}

/** Where a record sits: slab number and byte offset. */
export interface SlabPlace {
  slab: number;
  offset: number;
}

export class Slabs {
  /** Slab number `first + i` is `slabs[i]`; released slabs become holes, trimmed at the front. */
  private slabs: (Slab | undefined)[] = [];
  private first = 0;
  /** Bytes held by slabs (what the process holds, free room included). */
  heldBytes = 0;
  /** Packings under way on the thread pool, and who waits for them to finish. */
  private packing = 0;
  private readonly onPacked: (() => void)[] = [];
  private unpacked = new Map<number, Buffer>();

  constructor(private readonly pack = typeof zlib.zstdCompress === 'function') {}

  /**
   * Points `w` at the free end of the newest slab: the record is encoded in place, with no
   * copy. When it outgrows the room left, it moves to a new slab (of its own size if larger).
   */
  begin(w: ByteWriter): void {
    const slab = this.slabs.at(-1) ?? this.newSlab(SLAB_BYTES);
    w.begin(slab.raw!, slab.used, this.overflow);
  }

  /** The record being written moves on: to a new slab, or a bigger one if its slab is its alone. */
  private readonly overflow: Overflow = (partial, more) => {
    const newest = this.slabs.at(-1)!;
    // A slab made for this record alone grows (doubling), so a huge record moves a few times, not on every write.
    const alone = newest.live === 0 && newest.used === 0 && partial.buffer === newest.raw!.buffer;
    const bytes = Math.max(SLAB_BYTES, partial.length + more, alone ? 2 * newest.raw!.length : 0);
    const raw = alone ? this.regrow(newest, bytes) : this.newSlab(bytes).raw!;
    raw.set(partial, 0);
    return raw;
  };

  /** The record `w` wrote since begin() is complete: says where it went. */
  end(w: ByteWriter): SlabPlace {
    const slab = this.slabs.at(-1)!;
    const { buffer, start, end } = w.place;
    if (buffer !== slab.raw) throw new Error('the record was not written into the newest slab');
    slab.used = end;
    slab.live++;
    return { slab: this.first + this.slabs.length - 1, offset: start };
  }

  /** The bytes of a record (a view: no copy). */
  read(slab: number, offset: number, length: number): Buffer {
    const found = this.slabs[slab - this.first];
    if (!found) throw new Error(`slab ${slab} was released`);
    const bytes = found.raw ?? this.unpack(slab, found.packed!);
    return bytes.subarray(offset, offset + length);
  }

  /** One record of `slab` left the store; an empty slab that is not being written is freed. */
  release(slab: number): void {
    const index = slab - this.first;
    const found = this.slabs[index];
    if (!found) return;
    found.live--;
    if (found.live > 0 || index === this.slabs.length - 1) return;
    this.slabs[index] = undefined;
    this.forget(slab, found);
    while (this.slabs.length > 1 && this.slabs[0] === undefined) {
      this.slabs.shift();
      this.first++;
    }
  }

  /** Forgets every slab. */
  clear(): void {
    for (const [i, slab] of this.slabs.entries()) if (slab) this.forget(this.first + i, slab);
    this.first += this.slabs.length;
    this.slabs = [];
    this.heldBytes = 0;
  }

  get count(): number {
    return this.slabs.filter(Boolean).length;
  }

  /** Resolves once every packing started so far has finished (for tests and measurements). */
  packed(): Promise<void> {
    return this.packing === 0 ? Promise.resolve() : new Promise((resolve) => this.onPacked.push(resolve));
  }

  /** A new newest slab; the one before it is full and goes to be packed. */
  private newSlab(bytes: number): Slab {
    const full = this.slabs.at(-1);
    if (full && this.pack) this.startPacking(full);
    const slab: Slab = { raw: Buffer.allocUnsafeSlow(bytes), packed: undefined, used: 0, live: 0, gone: false };
    this.slabs.push(slab);
    this.heldBytes += bytes;
    return slab;
  }

  private regrow(slab: Slab, bytes: number): Buffer {
    this.heldBytes += bytes - slab.raw!.length;
    slab.raw = Buffer.allocUnsafeSlow(bytes);
    return slab.raw;
  }

  private startPacking(slab: Slab): void {
    const raw = slab.raw!.subarray(0, slab.used);
    this.packing++;
    zlib.zstdCompress(raw, ZSTD_FAST, (error, packed) => {
      if (!error && !slab.gone && packed.length <= raw.length * PACKING_WORTH) {
        this.heldBytes += packed.length - slab.raw!.length;
        slab.packed = packed;
        slab.raw = undefined;
      }
      if (--this.packing === 0) for (const resolve of this.onPacked.splice(0)) resolve();
    });
  }

  private unpack(number: number, packed: Buffer): Buffer {
    let bytes = this.unpacked.get(number);
    if (bytes) {
      // Most recently used last: the map's order is the eviction order.
      this.unpacked.delete(number);
    } else {
      bytes = zlib.zstdDecompressSync(packed);
      if (this.unpacked.size >= UNPACKED_KEPT) this.unpacked.delete(this.unpacked.keys().next().value!);
    }
    this.unpacked.set(number, bytes);
    return bytes;
  }

  private forget(number: number, slab: Slab): void {
    slab.gone = true;
    this.unpacked.delete(number);
    this.heldBytes -= slab.raw?.length ?? slab.packed!.length;
  }
}
