// The cadence at which traffic reaches the list. Batches are queued and applied in an
// animation frame, so a burst costs one store update and one render. While traffic keeps
// coming, updates are spaced at least MIN_INTERVAL_MS apart: every update re-renders,
// lays out and paints the rows in view, and at 2,000 exchanges a second doing that in
// every frame took about half a core of the page's main thread; on a machine whose cores
// the engine and the dev servers share, that was the difference between smooth frames and
// 200 ms stalls. Ten updates a second is as fast as rows scrolling by can be read; the
// first batch after a quiet spell still goes out in the next frame. A frame applies at
// most CHUNK exchanges; a bigger backlog (a long stall) is spread over the next updates.
// A hidden window gets no frames, so a timer stands in there (the queue must not grow
// without bound).
import { takeChunk } from './traffic-chunks.js';
import type { TrafficItem } from './types.js';

export const MIN_INTERVAL_MS = 100;
export const HIDDEN_INTERVAL_MS = 250;
export const CHUNK = 4_000;

/** What the queue needs from the page (traffic-queue.ts); tests pass their own clock and frames. */
export interface FrameEnv {
  frame(callback: (now: number) => void): void;
  later(callback: () => void, ms: number): void;
  hidden(): boolean;
  now(): number;
}

export interface FrameQueue {
  enqueue(item: TrafficItem): void;
  /** Drops whatever is queued (a full reload of the list replaces it). */
  drop(): void;
}

export function frameQueue(apply: (items: TrafficItem[]) => void, env: FrameEnv): FrameQueue {
  let queue: TrafficItem[] = [];
  let scheduled = false;
  let last = -Infinity;

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    if (env.hidden()) env.later(() => flush(env.now()), HIDDEN_INTERVAL_MS);
    else env.frame(onFrame);
  };
  // Too soon after the last update: wait for a later frame (an idle frame costs nothing).
  const onFrame = (now: number) => (now - last < MIN_INTERVAL_MS ? env.frame(onFrame) : flush(now));
  const flush = (now: number) => {
    scheduled = false;
    last = now;
    const items = takeChunk(queue, CHUNK);
    if (items.length > 0) apply(items);
    if (queue.length > 0) schedule();
  };

  return {
    enqueue(item) {
      queue.push(item);
      schedule();
    },
    drop() {
      queue = [];
    },
  };
}
