// Large buffers that finished exchanges are copied into, outside the JS heap: the garbage
// collector sees one object per slab instead of dozens per exchange. A slab is dropped
// when every record in it has been evicted; records leave roughly in the order they were
// written, so memory comes back slab by slab.

/** Big enough that a typical exchange (a few KiB) uses a sliver of one. */
export const SLAB_BYTES = 1024 * 1024;

interface Slab {
  readonly buffer: Buffer;
  /** Bytes written so far. */
  used: number;
  /** Records in it not yet released. */
  live: number;
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

  /** Copies `record` into the newest slab (or a new one) and says where it went. */
  write(record: Buffer): SlabPlace {
    let number = this.first + this.slabs.length - 1;
    let slab = this.slabs.at(-1);
    if (!slab || slab.buffer.length - slab.used < record.length) {
      // A record larger than a slab gets a slab of its own size.
      const buffer = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, record.length));
      slab = { buffer, used: 0, live: 0 };
      this.slabs.push(slab);
      this.heldBytes += buffer.length;
      number = this.first + this.slabs.length - 1;
    }
    const offset = slab.used;
    record.copy(slab.buffer, offset);
    slab.used += record.length;
    slab.live++;
    return { slab: number, offset };
  }

  /** The bytes of a record (a view: no copy). */
  read(slab: number, offset: number, length: number): Buffer {
    const found = this.slabs[slab - this.first];
    if (!found) throw new Error(`slab ${slab} was released`);
    return found.buffer.subarray(offset, offset + length);
  }

  /** One record of `slab` left the store; an empty slab that is not being written is freed. */
  release(slab: number): void {
    const index = slab - this.first;
    const found = this.slabs[index];
    if (!found) return;
    found.live--;
    if (found.live > 0 || index === this.slabs.length - 1) return;
    this.slabs[index] = undefined;
    this.heldBytes -= found.buffer.length;
    while (this.slabs.length > 1 && this.slabs[0] === undefined) {
      this.slabs.shift();
      this.first++;
    }
  }

  /** Forgets every slab. */
  clear(): void {
    this.first += this.slabs.length;
    this.slabs = [];
    this.heldBytes = 0;
  }

  get count(): number {
    return this.slabs.filter(Boolean).length;
  }
}
