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
  it('changes the list of 100,000 ids in place, never copying it, when an update evicts the oldest and adds new rows', () => {
    useStore.getState().loadTraffic(Array.from({ length: N }, (_, i) => row(i)) as ExchangeSummary[]);
    // Counts copies of the whole list made by slice or concat.
    let copies = 0;
    const { slice, concat } = Array.prototype;
    vi.spyOn(Array.prototype, 'slice').mockImplementation(function (this: unknown[], ...args: [number?, number?]) {
      const out = slice.apply(this, args);
      if (out.length >= N - 1_000) copies++;
      return out;
    });
    vi.spyOn(Array.prototype, 'concat').mockImplementation(function (this: unknown[], ...args: unknown[]) {
      const out = concat.apply(this, args) as unknown[];
      if (out.length >= N - 1_000) copies++;
      return out;
    });
    const fresh = Array.from({ length: 200 }, (_, i) => row(N + i)) as ExchangeSummary[];
    const { version, ids: before } = useStore.getState().traffic;
    useStore.getState().applyTraffic([{ kind: 'batch', started: [], updated: [], finished: fresh, evicted: Array.from({ length: 200 }, (_, i) => `x${i}`) }]);
    expect(useStore.getState().traffic.ids).toHaveLength(N);
    expect(useStore.getState().traffic.ids.at(-1)).toBe(`x${N + 199}`);
    expect(useStore.getState().traffic.ids[0]).toBe('x200');
    expect(copies).toBe(0);
    expect(useStore.getState().traffic.ids).toBe(before);
    expect(useStore.getState().traffic.version).toBe(version + 1);
  });
});
