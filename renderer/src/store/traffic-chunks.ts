// Cutting a backlog of traffic batches into frame-sized pieces (see frame-queue.ts).
import type { TrafficItem } from './types.js';

const sizeOf = (item: TrafficItem) => (item.kind === 'cleared' ? 0 : item.started.length + item.updated.length + item.finished.length);

/** Takes up to `limit` exchanges off the front of `items`, splitting a batch if needed. */
export function takeChunk(items: TrafficItem[], limit: number): TrafficItem[] {
  const taken: TrafficItem[] = [];
  let room = limit;
  while (items.length > 0 && room > 0) {
    const item = items[0]!;
    const size = sizeOf(item);
    if (size <= room || item.kind === 'cleared') {
      taken.push(items.shift()!);
      room -= size;
      continue;
    }
    // Evictions go with the first part: they name rows the list already has.
    const part: TrafficItem = { kind: 'batch', started: [], updated: [], finished: [], evicted: item.evicted };
    const rest: TrafficItem = { ...item, evicted: [] };
    for (const key of ['started', 'updated', 'finished'] as const) {
      const n = Math.min(room, rest[key].length);
      part[key] = rest[key].slice(0, n);
      rest[key] = rest[key].slice(n);
      room -= n;
    }
    items[0] = rest;
    taken.push(part);
  }
  return taken;
}
