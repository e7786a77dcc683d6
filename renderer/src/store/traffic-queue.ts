// Traffic events are queued and applied to the store once per animation frame: a burst of
// batches costs one store update and one render, whatever the rate. A hidden window gets
// no frames, so it falls back to a timer there (the queue must not grow without bound).
// A frame applies at most CHUNK exchanges; a bigger backlog (a reconnect, a long stall)
// is spread over the next frames so that no single frame does too much.
import { useStore } from './store.js';
import { takeChunk } from './traffic-chunks.js';
import type { TrafficItem } from './types.js';

const HIDDEN_INTERVAL_MS = 250;
export const CHUNK = 4_000;
let queue: TrafficItem[] = [];
let scheduled = false;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  if (document.visibilityState === 'hidden') setTimeout(flush, HIDDEN_INTERVAL_MS);
  else requestAnimationFrame(flush);
}

function flush(): void {
  scheduled = false;
  const items = takeChunk(queue, CHUNK);
  if (items.length > 0) useStore.getState().applyTraffic(items);
  if (queue.length > 0) schedule();
}

export function enqueueTraffic(item: TrafficItem): void {
  queue.push(item);
  schedule();
}

/** Drops whatever is queued (a full reload of the list replaces it). */
export function dropQueuedTraffic(): void {
  queue = [];
}
