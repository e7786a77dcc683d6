// What a WebSocket that fell behind has not been sent yet, merged rather than queued: the
// newest summary per exchange and the ids evicted meanwhile. When its socket drains it gets
// the merge in a few events, however long it was behind, instead of reloading the whole
// list (about 55 MB of JSON at 100,000 rows). Past `limit` exchanges the merge is dropped
// and the reader told to load the list again: a frozen tab must not hold the engine's memory.
import type { EventPayload, ExchangeSummary } from '../contract/index.js';

type Batch = EventPayload<'traffic'>;
type Kind = 'started' | 'updated' | 'finished';

/** How many exchanges one caught-up event carries at most. */
const PER_EVENT = 2_000;

export class TrafficBacklog {
  private readonly latest = new Map<string, { summary: ExchangeSummary; kind: Kind }>();
  private readonly evicted = new Set<string>();
  /** More came than `limit`: what was merged is gone, the reader must reload the list. */
  overflowed = false;

  constructor(private readonly limit: number) {}

  add(batch: Batch): void {
    if (this.overflowed) return;
    for (const id of batch.evicted) {
      // Announced and evicted while the reader was away: it never hears of it.
      if (this.latest.get(id)?.kind !== 'started') this.evicted.add(id);
      this.latest.delete(id);
    }
    for (const kind of ['started', 'updated', 'finished'] as const) {
      for (const summary of batch[kind]) {
        const before = this.latest.get(summary.id)?.kind;
        // New to the reader stays "started" until it is "finished", as the batcher sends it.
        const merged = before === 'finished' || kind === 'finished' ? 'finished' : (before ?? kind);
        this.latest.set(summary.id, { summary, kind: merged });
      }
    }
    if (this.latest.size + this.evicted.size > this.limit) {
      this.overflowed = true;
      this.latest.clear();
      this.evicted.clear();
    }
  }

  /** The store was cleared (and the reader told so): nothing from before matters any more. */
  cleared(): void {
    this.latest.clear();
    this.evicted.clear();
    this.overflowed = false;
  }

  /** The merge as traffic events (evictions first, in the first one), and empties it. */
  take(): Batch[] {
    const batches: Batch[] = [];
    let batch: Batch = { started: [], updated: [], finished: [], evicted: [...this.evicted] };
    let size = 0;
    for (const { summary, kind } of this.latest.values()) {
      if (size === PER_EVENT) {
        batches.push(batch);
        batch = { started: [], updated: [], finished: [], evicted: [] };
        size = 0;
      }
      batch[kind].push(summary);
      size++;
    }
    if (size > 0 || batch.evicted.length > 0) batches.push(batch);
    this.latest.clear();
    this.evicted.clear();
    return batches;
  }
}
