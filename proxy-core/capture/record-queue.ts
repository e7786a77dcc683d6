// The capture store's exchanges by number, oldest first: a queue over a plain array.
// Exchanges are numbered in the order they come (x1, x2, …) and leave oldest first, so an
// exchange's place is its number minus the oldest one's: no Map is needed. A slot holds the
// live record while the exchange is in flight, and nothing once the exchange has moved to
// the archive (the store looks there for numbers in the queue with an empty slot).
// A Map churned by tens of thousands of short-lived entries kept evicted records reachable
// from its old tables until a full collection; an array's freed slots are simply cleared.
import type { ExchangeRecord } from './exchange-record.js';

/** How many freed slots at the front are tolerated before the array is compacted. */
const COMPACT_AFTER = 4096;

export class RecordQueue {
  private items: (ExchangeRecord | undefined)[] = [];
  private head = 0;
  /** The number of the exchange at `head`. */
  private headSeq = 1;

  get size(): number {
    return this.items.length - this.head;
  }

  /** The oldest exchange's number (the next one's when the queue is empty). */
  get oldestSeq(): number {
    return this.headSeq;
  }

  /** One past the newest exchange's number. */
  get endSeq(): number {
    return this.headSeq + this.size;
  }

  /** Adds the newest record; its number must follow the previous one's. */
  push(record: ExchangeRecord, seq: number): void {
    if (this.size === 0) {
      this.items = [];
      this.head = 0;
      this.headSeq = seq;
    } else if (seq !== this.endSeq) {
      throw new Error(`record ${record.id} is out of order`);
    }
    this.items.push(record);
  }

  /** Takes the oldest exchange out: its live record, or undefined when it was archived. */
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

  /** True when `seq` is in the queue (live or archived). */
  has(seq: number): boolean {
    return Number.isInteger(seq) && seq >= this.headSeq && seq < this.endSeq;
  }

  /** The live record numbered `seq`, if it is in the queue and not archived. */
  get(seq: number): ExchangeRecord | undefined {
    return this.has(seq) ? this.items[this.head + seq - this.headSeq] : undefined;
  }

  /** The exchange `seq` moved to the archive: its slot lets go of the record. */
  release(seq: number): void {
    if (this.has(seq)) this.items[this.head + seq - this.headSeq] = undefined;
  }

  /** The numbers of the newest `count` exchanges (all when undefined), oldest first, as [from, end). */
  newest(count?: number): [number, number] {
    const end = this.endSeq;
    return [count === undefined ? this.headSeq : Math.max(this.headSeq, end - count), end];
  }

  clear(): void {
    this.headSeq = this.endSeq;
    this.items = [];
    this.head = 0;
  }
}
