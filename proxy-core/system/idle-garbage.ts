// Start-up leaves garbage behind: the config parsed and validated, the CA read, every
// module's top-level work. Allocation that fast grows V8's young generation to its
// largest, and an idle proxy then makes no allocations that would shrink it again, so
// `portico serve` would sit on that memory all day. One full, shrinking collection once
// the listeners are up gives it back; later growth under traffic is V8's usual business.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How long after start-up to collect: after the first requests, not in their way. */
export const STARTUP_COLLECT_DELAY_MS = 500;

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * Runs one memory-reducing collection (V8's "last resort": full collections until nothing
 * more is freed, shrinking the young generation). The `gc` function comes from a fresh
 * context, so nothing else in the process sees it. Best effort: where V8 refuses, nothing.
 */
export function collectStartupGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as Collect | undefined;
    collect?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    // an optimization only
  }
}

/** Schedules the collection without keeping the process alive for it. */
export function collectStartupGarbageSoon(): void {
  setTimeout(collectStartupGarbage, STARTUP_COLLECT_DELAY_MS).unref();
}
