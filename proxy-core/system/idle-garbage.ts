// Giving memory back when traffic goes quiet. Under load V8 grows its young generation to
// its largest and keeps the pages it used in a pool for the next burst; an idle proxy then
// allocates too little to make it shrink again, so a process left running all day would sit
// on its busiest hour's memory. Measured with `npm run soak` (capture on, default bounds):
// at rest after load, about 225 MB resident with V8's ordinary collections and about 125 MB
// after one memory-reducing collection, which takes a few tens of milliseconds on a
// 20 MB heap. So: once the event loop has been idle for a moment after real work (start-up
// counts), run one such collection. Never during traffic, once per quiet spell.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How often the event loop's use is looked at. */
export const IDLE_CHECK_MS = 500;
/** Checks in a row under QUIET_USE before collecting: a second of quiet. */
const QUIET_CHECKS = 2;
/** Share of a check's time the loop may be busy and still count as quiet (timers, a stray request). */
const QUIET_USE = 0.01;
/** Share above which a check counts as work that left garbage behind. */
const BUSY_USE = 0.05;

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * Runs one memory-reducing collection (V8's "last resort": full collections until nothing
 * more is freed, the young generation shrunk, pooled pages released). The `gc` function
 * comes from a fresh context, so nothing else in the process sees it. Best effort: where
 * V8 refuses, nothing.
 */
export function collectGarbageNow(): void {
  try {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as Collect | undefined;
    collect?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    // an optimization only
  }
}

/**
 * Collects once the loop has been quiet for QUIET_CHECKS checks after being busy (or after
 * start-up), then waits for the next busy spell. Keeps no process alive; returns a stop.
 */
export function collectGarbageWhenIdle(collect: () => void = collectGarbageNow): () => void {
  let last = performance.eventLoopUtilization();
  let worked = true;
  let quiet = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const use = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (use >= BUSY_USE) worked = true;
    quiet = use < QUIET_USE ? quiet + 1 : 0;
    if (!worked || quiet < QUIET_CHECKS) return;
    worked = false;
    quiet = 0;
    collect();
    // The collection's own time is not work that needs another one.
    last = performance.eventLoopUtilization();
  }, IDLE_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
