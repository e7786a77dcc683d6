// The collection `portico serve` runs once after start-up: a real full collection (what
// only garbage kept alive is gone afterwards), with the gc function kept out of the
// process's global scope.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectStartupGarbage } from '../../proxy-core/cli/startup-garbage.js';

describe('collectStartupGarbage', () => {
  it('frees what nothing holds any more, without exposing gc to the process', async () => {
    const exposedBefore = 'gc' in globalThis;
    // Made in a function of its own, so no binding here keeps it alive.
    const weak = ((): WeakRef<object> => new WeakRef({ startup: new Array(1000).fill('parsed config') }))();
    // A WeakRef keeps its target alive until the current job ends.
    await nextTurn();
    collectStartupGarbage();
    expect(weak.deref()).toBeUndefined();
    expect('gc' in globalThis).toBe(exposedBefore);
  });
});
