// Finished exchanges, off the JS heap: each one encoded once into a slab, found again by its
// number through two typed arrays. Reading builds the contract's objects on demand (a
// summary for the list, the whole exchange for the detail pane, HAR export and replay).
import type { ExchangeRecord } from '../exchange-record.js';
import { encodeExchange, encodedLength } from './codec.js';
import { ByteWriter } from './bytes.js';
import { HeaderStrings } from './header-strings.js';
import { Slabs } from './slabs.js';

const NOWHERE = -1;

export class Archive {
  readonly strings = new HeaderStrings();
  private readonly slabs = new Slabs();
  private readonly writer = new ByteWriter();
  /**
   * Exchange number `seq` sits in slab `slabOf[seq & mask]` at `offsetOf[seq & mask]`
   * (NOWHERE when not archived), for `base <= seq < end`: a ring indexed by number.
   */
  private slabOf = new Int32Array(1024).fill(NOWHERE);
  private offsetOf = new Uint32Array(1024);
  private mask = 1023;
  /** Every number below `base` has left the store. */
  private base = 1;
  private end = 1;

  /** Bytes the slabs hold (free room included). */
  get heldBytes(): number {
    return this.slabs.heldBytes;
  }

  get slabCount(): number {
    return this.slabs.count;
  }

  /** Resolves once the full slabs handed to the thread pool are packed (tests, measurements). */
  packed(): Promise<void> {
    return this.slabs.packed();
  }

  /** Copies a finished record in; returns the bytes it takes. */
  put(seq: number, record: ExchangeRecord): number {
    if (seq < this.base) throw new Error(`exchange ${seq} has already left the store`);
    if (seq - this.base >= this.slabOf.length) this.grow(seq - this.base + 1);
    // Numbers between the old end and this one are exchanges still in flight.
    for (; this.end <= seq; this.end++) this.slabOf[this.end & this.mask] = NOWHERE;
    this.slabs.begin(this.writer);
    const length = encodeExchange(this.writer, this.strings, record);
    const place = this.slabs.end(this.writer);
    this.slabOf[seq & this.mask] = place.slab;
    this.offsetOf[seq & this.mask] = place.offset;
    return length;
  }

  /** The record's bytes (a view into its slab), or undefined when `seq` is not archived. */
  get(seq: number): Buffer | undefined {
    if (!Number.isInteger(seq) || seq < this.base || seq >= this.end) return undefined;
    const slab = this.slabOf[seq & this.mask]!;
    if (slab === NOWHERE) return undefined;
    const offset = this.offsetOf[seq & this.mask]!;
    return this.slabs.read(slab, offset, encodedLength(this.slabs.read(slab, offset, 4)));
  }

  /**
   * `seq` left the store (evicted, archived or not): the store calls this oldest first.
   * Returns the bytes it took, 0 when it was not archived.
   */
  drop(seq: number): number {
    const bytes = this.get(seq);
    if (bytes) {
      this.slabs.release(this.slabOf[seq & this.mask]!);
      this.slabOf[seq & this.mask] = NOWHERE;
    }
    if (seq >= this.base) this.base = seq + 1;
    if (this.end < this.base) this.end = this.base;
    return bytes?.length ?? 0;
  }

  /** Forgets everything; numbers from `next` on come next. */
  clear(next: number): void {
    this.slabs.clear();
    this.base = this.end = next;
  }

  /** A ring big enough for `needed` numbers, entries kept at their new places. */
  private grow(needed: number): void {
    let length = this.slabOf.length;
    while (length < needed) length *= 2;
    const slabOf = new Int32Array(length).fill(NOWHERE);
    const offsetOf = new Uint32Array(length);
    const mask = length - 1;
    for (let seq = this.base; seq < this.end; seq++) {
      slabOf[seq & mask] = this.slabOf[seq & this.mask]!;
      offsetOf[seq & mask] = this.offsetOf[seq & this.mask]!;
    }
    this.slabOf = slabOf;
    this.offsetOf = offsetOf;
    this.mask = mask;
  }
}
