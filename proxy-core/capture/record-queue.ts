// The capture store's records, oldest first: a queue over a plain array, found by number.
// Records are numbered in the order they come (x1, x2, …) and leave oldest first, so a
// record's place is its number minus the oldest one's: no Map is needed. A Map churned
// by tens of thousands of short-lived entries kept evicted records (and their bodies)
// reachable from its old tables until a full collection, and its growing tables were
// copied on every rehash; an array's freed slots are simply cleared.
import type { ExchangeRecord } from './exchange-record.js';

/** How many freed slots at the front are tolerated before the array is compacted. */
const COMPACT_AFTER = 4096;

export class RecordQueue {
  private items: (ExchangeRecord | undefined)[] = [];
  private head = 0;
  /** The number of the record at `head`. */
  private headSeq = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds the newest record; its number must follow the previous one's. */
  push(record: ExchangeRecord, seq: number): void {
    if (this.size === 0) {
      this.items = [];
      this.head = 0;
      this.headSeq = seq;
    } else if (seq !== this.headSeq + this.size) {
      throw new Error(`record ${record.id} is out of order`);
    }
    this.items.push(record);
  }

  oldest(): ExchangeRecord | undefined {
    return this.items[this.head];
  }

  /** Takes the oldest record out. */
  shift(): ExchangeRecord | undefined {
    if (this.size === 0) return undefined;
    const record = this.items[this.head];
    this.items[this.head++] = undefined;
    this.headSeq++;
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return record;
  }

  get(seq: number): ExchangeRecord | undefined {
    const index = seq - this.headSeq;
    return Number.isInteger(index) && index >= 0 && index < this.size ? this.items[this.head + index] : undefined;
  }

  /** Oldest first. */
  *values(): IterableIterator<ExchangeRecord> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }

  /** The newest `count` (all when undefined), oldest first. */
  newest(count?: number): ExchangeRecord[] {
    const from = count === undefined ? this.head : Math.max(this.head, this.items.length - count);
    return this.items.slice(from) as ExchangeRecord[];
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
