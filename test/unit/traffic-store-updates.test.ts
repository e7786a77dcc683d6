import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExchangeSummary } from '../../proxy-core/contract/index.js';
import { row } from '../fixtures/traffic-rows.js';
import type { useStore as Store } from '../../renderer/src/store/store.js';

let useStore: typeof Store;
beforeAll(async () => {
  // The store reads the saved theme at start-up; node has neither storage nor a document.
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} });
  vi.stubGlobal('document', { documentElement: { dataset: {} } });
  ({ useStore } = await import('../../renderer/src/store/store.js'));
});
afterEach(() => vi.restoreAllMocks());

const N = 100_000;

describe('the traffic store under a stream', () => {
  it('copies the list of 100,000 ids once per update that evicts the oldest and adds new rows', () => {
    useStore.getState().loadTraffic(Array.from({ length: N }, (_, i) => row(i)) as ExchangeSummary[]);
    // Counts copies of the whole list, whichever way they are made.
    let copies = 0;
    const slice = Array.prototype.slice;
    vi.spyOn(Array.prototype, 'slice').mockImplementation(function (this: unknown[], ...args: [number?, number?]) {
      const out = slice.apply(this, args);
      if (out.length >= N - 1_000) copies++;
      return out;
    });
    const fresh = Array.from({ length: 200 }, (_, i) => row(N + i)) as ExchangeSummary[];
    useStore.getState().applyTraffic([{ kind: 'batch', started: [], updated: [], finished: fresh, evicted: Array.from({ length: 200 }, (_, i) => `x${i}`) }]);
    expect(useStore.getState().traffic.ids).toHaveLength(N);
    expect(useStore.getState().traffic.ids.at(-1)).toBe(`x${N + 199}`);
    expect(useStore.getState().traffic.ids[0]).toBe('x200');
    expect(copies).toBe(1);
  });
});
