// Turns the store's stream of changes into one `traffic` event at most every 50 ms, each
// exchange once, under its newest state: a busy dev server cannot flood the UI.
// It is on the hot path (several changes per request), so it keeps flags on the records
// and a plain list rather than a map, and builds summaries (no header lists: the detail pane
// asks traffic.get for those) only when someone listens.
import type { EventPayload } from '../contract/index.js';
import type { RecordChange, StoreListener } from './capture-store.js';
import type { ExchangeRecord } from './exchange-record.js';

export const BATCH_MS = 50;

export class TrafficBatcher implements StoreListener {
  private pending: ExchangeRecord[] = [];
  private evictedIds: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (payload: EventPayload<'traffic'>) => void,
    /** Whether anyone receives the events; with no window open, nothing is built. */
    private readonly wanted: () => boolean = () => true,
  ) {}

  changed(record: ExchangeRecord, _change: RecordChange): void {
    // The change kind is read off the record when the batch goes out: its newest state.
    if (record.pending) return;
    record.pending = true;
    this.pending.push(record);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  evicted(records: readonly ExchangeRecord[], archivedIds: readonly string[]): void {
    // An exchange that came and went within one batch was never shown: say nothing of it.
    // Archived ones had their batch already.
    for (const record of records) if (record.announced || !record.pending) this.evictedIds.push(record.id);
    for (const id of archivedIds) this.evictedIds.push(id);
    if (this.evictedIds.length > 0) this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const records = this.pending;
    this.pending = [];
    const evicted = this.evictedIds;
    this.evictedIds = [];
    if (!this.wanted()) {
      // Whoever subscribes later asks for the list first; there is nothing to replay.
      for (const record of records) record.pending = false;
      return;
    }
    const payload: EventPayload<'traffic'> = { started: [], updated: [], finished: [], evicted };
    for (const record of records) {
      record.pending = false;
      if (record.evicted) continue;
      // "started" stays the category until the row has been sent once, so a new row is
      // never sent as an update; a finished exchange is sent as finished, new or not.
      const done = record.state === 'done' || record.state === 'failed';
      payload[done ? 'finished' : record.announced ? 'updated' : 'started'].push(record.summary());
      record.announced = true;
    }
    if (payload.started.length + payload.updated.length + payload.finished.length + evicted.length > 0) this.emit(payload);
  }

  /** Drops whatever is pending (after a clear). */
  reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const record of this.pending) record.pending = false;
    this.pending = [];
    this.evictedIds = [];
  }
}
