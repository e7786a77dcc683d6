// Giving memory back when traffic goes quiet: a real memory-reducing collection (only what
// nothing holds is gone, gc stays out of the global scope), run once the event loop has been
// quiet for a second after work — never while it is busy, once per quiet spell.
import { setTimeout as sleep, setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectGarbageNow, collectGarbageWhenIdle } from '../../proxy-core/system/idle-garbage.js';

/** Keeps the event loop busy for `ms`, in 20 ms slices so timers still fire between them. */
async function busyFor(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const slice = Date.now() + 20;
    while (Date.now() < slice);
    await nextTurn();
  }
}

describe('collectGarbageNow', () => {
  it('frees what nothing holds any more, without exposing gc to the process', async () => {
    const exposedBefore = 'gc' in globalThis;
    // Made in a function of its own, so no binding here keeps it alive.
    const weak = ((): WeakRef<object> => new WeakRef({ startup: new Array(1000).fill('parsed config') }))();
    // A WeakRef keeps its target alive until the current job ends.
    await nextTurn();
    collectGarbageNow();
    expect(weak.deref()).toBeUndefined();
    expect('gc' in globalThis).toBe(exposedBefore);
  });
});

describe('collectGarbageWhenIdle', () => {
  it('collects once after start-up when the loop is quiet, and not again while it stays quiet', async () => {
    let collections = 0;
    const stop = collectGarbageWhenIdle(() => collections++);
    await sleep(2_500);
    expect(collections).toBe(1);
    await sleep(1_200);
    expect(collections).toBe(1);
    stop();
  });

  it('never collects while the loop is busy, and collects once it quiets down', async () => {
    let collections = 0;
    const stop = collectGarbageWhenIdle(() => collections++);
    await busyFor(2_500);
    expect(collections).toBe(0);
    await sleep(2_500);
    expect(collections).toBe(1);
    stop();
  });
});
