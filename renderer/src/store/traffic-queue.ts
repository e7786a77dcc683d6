// The page's one traffic queue (frame-queue.ts): traffic events and clears, applied to the
// store at the list's cadence.
import { useStore } from './store.js';
import { frameQueue, type FrameEnv } from './frame-queue.js';
import type { TrafficItem } from './types.js';

const pageEnv: FrameEnv = {
  frame: (callback) => void requestAnimationFrame(callback),
  later: (callback, ms) => void setTimeout(callback, ms),
  hidden: () => document.visibilityState === 'hidden',
  now: () => performance.now(),
};

const queue = frameQueue((items) => useStore.getState().applyTraffic(items), pageEnv);

export function enqueueTraffic(item: TrafficItem): void {
  queue.enqueue(item);
}

/** Drops whatever is queued (a full reload of the list replaces it). */
export function dropQueuedTraffic(): void {
  queue.drop();
}
