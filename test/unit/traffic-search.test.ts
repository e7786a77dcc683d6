import { describe, expect, it, vi } from 'vitest';
import type { Exchange } from '../../proxy-core/contract/index.js';
import { NO_FILTERS, row } from '../fixtures/traffic-rows.js';
import { summarize } from '../../proxy-core/contract/index.js';
import { searchExchanges, searchExchangesInSlices } from '../../proxy-core/service/traffic-search.js';
import { EngineSearch } from '../../renderer/src/store/engine-search.js';
import { predicateOf } from '../../renderer/src/store/filters.js';
import { LiveFilter } from '../../renderer/src/store/live-filter.js';

const NONE = NO_FILTERS;

/** The engine's side: exchanges as the store hands them to the search. */
const stored = (list: Exchange[]) => list.map((x) => ({ id: x.id, snapshot: () => x }));

describe('the engine search', () => {
  const list = [row(1, { requestHeaders: [['authorization', 'Bearer abc']] }), row(2, { url: '/login' }), row(3, { marks: { cache: 'HIT' } }), row(4)];

  it('finds the text in header names and values, the URL and the marks, case-insensitively', () => {
    expect(searchExchanges(stored(list), { text: 'BEARER' })).toEqual(['x1']);
    expect(searchExchanges(stored(list), { text: 'login' })).toEqual(['x2']);
    expect(searchExchanges(stored(list), { text: 'cache: hit' })).toEqual(['x3']);
    expect(searchExchanges(stored(list), { text: 'bearer', headers: false })).toEqual([]);
  });

  it('leaves pseudo-headers out unless the text starts with header:, which searches headers alone', () => {
    expect(searchExchanges(stored(list), { text: 'authority' })).toEqual([]);
    expect(searchExchanges(stored(list), { text: 'header: :authority' })).toEqual(['x2', 'x3', 'x4']);
    expect(searchExchanges(stored(list), { text: 'header:login' })).toEqual([]);
  });

  it('with headersAlone names only what the headers match and the URL and marks do not', () => {
    const both = row(5, { url: '/bearer', requestHeaders: [['authorization', 'Bearer x']] });
    expect(searchExchanges(stored([...list, both]), { text: 'bearer', headersAlone: true })).toEqual(['x1']);
    expect(searchExchanges(stored(list), { text: 'login', headersAlone: true })).toEqual([]);
    expect(searchExchanges(stored(list), { text: 'cache: hit', headersAlone: true })).toEqual([]);
    // header: searches header lines only, so the URL takes nothing away.
    expect(searchExchanges(stored(list), { text: 'header: :authority', headersAlone: true })).toEqual(['x2', 'x3', 'x4']);
  });
});

describe('the engine search in slices', () => {
  it('finds what the one-go search finds, giving the event loop turns in between', async () => {
    const list = Array.from({ length: 3000 }, (_, i) => row(i, i % 11 === 0 ? { responseHeaders: [['x-found', 'yes']] } : {}));
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const ids = await searchExchangesInSlices(stored(list), { text: 'x-found' }, 0);
    clearInterval(ticking);
    expect(ids).toEqual(searchExchanges(stored(list), { text: 'x-found' }));
    expect(ids).toHaveLength(273);
    expect(turns).toBeGreaterThan(0);
  });

  it('holds the event loop at most a few milliseconds at a time, so requests proxied meanwhile wait little', async () => {
    // 20,000 exchanges that take 5 µs each to decode, like archived ones: 100 ms in all.
    const list = stored(Array.from({ length: 20_000 }, (_, i) => row(i)));
    const slow = list.map((x) => ({
      id: x.id,
      snapshot: () => {
        const until = performance.now() + 0.005;
        while (performance.now() < until);
        return x.snapshot();
      },
    }));
    // The stretches between two turns of the event loop while the search runs: the typical
    // one (the median; a busy machine stretches a few) is what a request waits.
    const gaps: number[] = [];
    let last = performance.now();
    let running = true;
    const tick = () => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await searchExchangesInSlices(slow, { text: 'nothing' });
    running = false;
    gaps.sort((a, b) => a - b);
    expect(gaps.length).toBeGreaterThan(10);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(5);
  });
});

describe('the text filter merged with the engine search', () => {
  it('ends with the rows matching on URL or headers, old and new, once the answers are in', async () => {
    const all = new Map<string, Exchange>();
    const byId = new Map<string, ReturnType<typeof summarize>>();
    const add = (x: Exchange) => {
      all.set(x.id, x);
      byId.set(x.id, summarize(x));
    };
    for (let i = 0; i < 50; i++) add(row(i, i % 7 === 0 ? { responseHeaders: [['x-trace', 'needle']] } : {}));
    add(row(50, { url: '/needle' }));

    const live = new LiveFilter(
      (id) => byId.get(id),
      (id) => byId.get(id)?.startedAt ?? 0,
    );
    const search = new EngineSearch(
      (ids) => live.apply({ added: [], updated: ids, gone: undefined }),
      async ({ text, ids, headersAlone }) => ({
        ids: searchExchanges(stored(ids ? ids.map((id) => all.get(id)!) : [...all.values()]), { text, headersAlone }),
      }),
    );
    const f = { ...NONE, text: 'needle' };
    search.restart('needle');
    live.reset([...byId.keys()], predicateOf(f, search.matches));
    while (!live.step(1_000));
    // Before the engine answers, only the URL match shows.
    expect(live.ids).toEqual(['x50']);

    // Rows arriving while the answer is on its way: one matches by header, one by URL.
    add(row(60, { requestHeaders: [['cookie', 'NEEDLE=1']] }));
    add(row(61, { url: '/needle/2' }));
    add(row(62));
    live.apply({ added: ['x60', 'x61', 'x62'], updated: [], gone: undefined });
    search.rowsChanged(['x60', 'x61', 'x62']);

    const want = ['x0', 'x7', 'x14', 'x21', 'x28', 'x35', 'x42', 'x49', 'x50', 'x60', 'x61'];
    await expect.poll(() => live.ids).toEqual(want);
  });

  it('asks the engine only for header matches: the URL and marks it matches itself', async () => {
    const asked: unknown[] = [];
    const search = new EngineSearch(
      () => {},
      async (input) => {
        asked.push(input);
        return { ids: [] };
      },
    );
    search.restart('items');
    await expect.poll(() => asked).toEqual([{ text: 'items', headersAlone: true }]);
    search.rowsChanged(['x1']);
    await expect.poll(() => asked).toHaveLength(2);
    expect(asked[1]).toEqual({ text: 'items', ids: ['x1'], headersAlone: true });
  });

  /** A search whose engine answers nothing and notes the text of every question. */
  function searchNotingTexts() {
    const asked: string[] = [];
    const search = new EngineSearch(
      () => {},
      async ({ text }) => {
        asked.push(text);
        return { ids: [] };
      },
    );
    return { asked, search };
  }

  it('asks the engine once the text has settled, not on every key', async () => {
    const { asked, search } = searchNotingTexts();
    for (const text of ['i', 'it', 'ite', 'item', 'items']) search.restart(text);
    await expect.poll(() => asked).toEqual(['items']);
  });

  it('asks once when keys come 150 ms apart, as a fast typist types', () => {
    vi.useFakeTimers();
    try {
      const { asked, search } = searchNotingTexts();
      for (const text of ['i', 'it', 'ite', 'item', 'items']) {
        search.restart(text);
        vi.advanceTimersByTime(150);
      }
      vi.advanceTimersByTime(1_000);
      expect(asked).toEqual(['items']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops the answer to an older text', async () => {
    const answers: ((ids: string[]) => void)[] = [];
    const found: string[][] = [];
    const search = new EngineSearch(
      (ids) => found.push(ids),
      () => new Promise((resolve) => answers.push((ids) => resolve({ ids }))),
    );
    search.restart('old');
    await expect.poll(() => answers.length).toBe(1);
    search.restart('new');
    await expect.poll(() => answers.length).toBe(2);
    answers[0]!(['x1']);
    answers[1]!(['x2']);
    await expect.poll(() => found).toEqual([['x2']]);
    expect([...search.matches]).toEqual(['x2']);
  });
});
