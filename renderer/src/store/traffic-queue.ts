// Traffic events are queued and applied to the store once per animation frame: a burst of
// batches costs one store update and one render, whatever the rate. A hidden window gets
// no frames, so it falls back to a timer there (the queue must not grow without bound).
import { useStore } from './store.js';
import type { TrafficItem } from './types.js';

const HIDDEN_INTERVAL_MS = 250;
let queue: TrafficItem[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const items = queue;
  queue = [];
  if (items.length > 0) useStore.getState().applyTraffic(items);
}

export function enqueueTraffic(item: TrafficItem): void {
  queue.push(item);
  if (scheduled) return;
  scheduled = true;
  if (document.visibilityState === 'hidden') setTimeout(flush, HIDDEN_INTERVAL_MS);
  else requestAnimationFrame(flush);
}

/** Drops whatever is queued (a full reload of the list replaces it). */
export function dropQueuedTraffic(): void {
  queue = [];
}
