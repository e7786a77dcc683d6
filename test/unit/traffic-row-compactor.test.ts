import { beforeAll, describe, expect, it, vi } from 'vitest';
import { summarize, type ExchangeSummary } from '../../proxy-core/contract/index.js';
import { RowCompactor, SHARED_STRINGS_LIMIT } from '../../renderer/src/store/compact-rows.js';
import type { useStore as Store } from '../../renderer/src/store/store.js';
import { row } from '../fixtures/traffic-rows.js';

/** Summaries as the page gets them: parsed from the JSON the engine sent, each its own copy. */
const received = (...rows: ExchangeSummary[]): ExchangeSummary[] => JSON.parse(JSON.stringify(rows)) as ExchangeSummary[];
const summary = (i: number, patch: Parameters<typeof row>[1] = {}) => summarize(row(i, patch));

describe('rows kept compact', () => {
  it('keeps every value of every row', () => {
    const rows = received(summary(1), summary(2, { marks: { cache: 'HIT' }, route: 'shop.localhost', target: 'http://127.0.0.1:3000' }));
    const before = structuredClone(rows);
    const compactor = new RowCompactor();
    expect(rows.map((x) => compactor.compact(x))).toEqual(before);
  });

  it('rows with no marks and no request body point to one frozen empty value each', () => {
    const [a, b] = received(summary(1), summary(2)) as [ExchangeSummary, ExchangeSummary];
    const compactor = new RowCompactor();
    compactor.compact(a);
    compactor.compact(b);
    expect(a.marks).toBe(b.marks);
    expect(a.request).toBe(b.request);
    expect(Object.isFrozen(a.marks) && Object.isFrozen(a.request)).toBe(true);
    // The response has a body: each row keeps its own.
    expect(a.response).not.toBe(b.response);
  });

  it('a row with marks keeps its own marks', () => {
    const [plain, marked] = received(summary(1), summary(2, { marks: { cache: 'HIT' } })) as [ExchangeSummary, ExchangeSummary];
    const compactor = new RowCompactor();
    compactor.compact(plain);
    compactor.compact(marked);
    expect(marked.marks).toEqual({ cache: 'HIT' });
    expect(marked.marks).not.toBe(plain.marks);
  });

  it('adds no property a row did not have', () => {
    // An exchange that matched no route has neither a route nor a target.
    const [x] = received(summary(1, { route: undefined, target: undefined })) as [ExchangeSummary];
    const keys = Object.keys(x);
    expect(keys).not.toContain('route');
    new RowCompactor().compact(x);
    expect(Object.keys(x)).toEqual(keys);
  });

  it('keeps a bounded table of strings, however many distinct values a backend sends', () => {
    const compactor = new RowCompactor();
    const types = Array.from({ length: SHARED_STRINGS_LIMIT + 100 }, (_, i) => `application/x-${i}`);
    for (const [i, type] of types.entries()) {
      const [x] = received({ ...summary(i), contentType: type }) as [ExchangeSummary];
      expect(compactor.compact(x).contentType).toBe(type);
    }
    expect(compactor.size).toBe(SHARED_STRINGS_LIMIT);
  });
});

describe('the traffic store', () => {
  let useStore: typeof Store;
  beforeAll(async () => {
    // The store reads the saved theme at start-up; node has neither storage nor a document.
    vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} });
    vi.stubGlobal('document', { documentElement: { dataset: {} } });
    ({ useStore } = await import('../../renderer/src/store/store.js'));
  });

  it('keeps loaded rows and rows from live batches compact', () => {
    useStore.getState().loadTraffic(received(summary(1), summary(2)));
    useStore.getState().applyTraffic([{ kind: 'batch', started: [], updated: [], finished: received(summary(3)), evicted: [] }]);
    const { byId } = useStore.getState().traffic;
    const [a, b, c] = ['x1', 'x2', 'x3'].map((id) => byId.get(id)!);
    expect(a!.marks).toBe(b!.marks);
    expect(c!.marks).toBe(a!.marks);
    expect(c!.request).toBe(a!.request);
  });
});
