// Turns the store's stream of changes into one `traffic` event at most every 50 ms, each
// exchange once, under its newest state: a busy dev server cannot flood the UI.
import type { EventPayload } from '../contract/index.js';
import type { RecordChange, StoreListener } from './capture-store.js';
import type { ExchangeRecord } from './exchange-record.js';

export const BATCH_MS = 50;

export class TrafficBatcher implements StoreListener {
  private readonly pending = new Map<string, { record: ExchangeRecord; change: RecordChange; isNew: boolean }>();
  private evictedIds: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly emit: (payload: EventPayload<'traffic'>) => void) {}

  changed(record: ExchangeRecord, change: RecordChange): void {
    const seen = this.pending.get(record.id);
    // "started" is kept as the category until it finishes, so a new row is never sent as an update.
    const isNew = seen ? seen.isNew : change === 'started';
    this.pending.set(record.id, { record, change: change === 'finished' ? 'finished' : isNew ? 'started' : 'updated', isNew });
    this.schedule();
  }

  evicted(ids: string[]): void {
    for (const id of ids) {
      // Never announce an exchange that is already gone.
      if (this.pending.delete(id)) continue;
      this.evictedIds.push(id);
    }
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0 && this.evictedIds.length === 0) return;
    const payload: EventPayload<'traffic'> = { started: [], updated: [], finished: [], evicted: this.evictedIds };
    for (const { record, change } of this.pending.values()) payload[change].push(record.snapshot());
    this.pending.clear();
    this.evictedIds = [];
    this.emit(payload);
  }

  /** Drops whatever is pending (after a clear). */
  reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.evictedIds = [];
  }
}
