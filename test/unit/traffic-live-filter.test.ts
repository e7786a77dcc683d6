import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../proxy-core/contract/index.js';
import { NO_FILTERS, row } from '../fixtures/traffic-rows.js';
import { narrows, predicateOf } from '../../renderer/src/store/filters.js';
import { LiveFilter, PARTIAL_EVERY_MS } from '../../renderer/src/store/live-filter.js';
import { removeInPlace, updateInPlace } from '../../renderer/src/store/ordered-ids.js';
import { takeChunk } from '../../renderer/src/store/traffic-chunks.js';
import type { TrafficFilters, TrafficItem } from '../../renderer/src/store/types.js';

const NONE = NO_FILTERS;
/** Every tenth row failed with a 500. */
const exchange = (i: number, patch: Partial<Exchange> = {}): Exchange => row(i, { status: i % 10 === 0 ? 500 : 200, ...patch });

/** A store stand-in: the exchanges by id, and the list in start order. */
function rows(n: number) {
  const byId = new Map<string, Exchange>();
  for (let i = 0; i < n; i++) byId.set(`x${i}`, exchange(i));
  // How often the filter read a row's place in the list: its work, counted rather than timed.
  let places = 0;
  let looks = 0;
  const filter = new LiveFilter(
    (id) => {
      looks++;
      return byId.get(id);
    },
    (id) => {
      places++;
      return byId.get(id)?.startedAt ?? 0;
    },
  );
  return { byId, ids: [...byId.keys()], filter, placesRead: () => places, rowsRead: () => looks };
}

const expected = (byId: Map<string, Exchange>, ids: string[], f: TrafficFilters) => ids.filter((id) => predicateOf(f)!(byId.get(id)!));

describe('the text filter', () => {
  it('does not match HTTP/2 pseudo-headers unless asked with header:, and leaves headers to the engine', () => {
    const x = exchange(1, { url: '/login' });
    expect(predicateOf({ ...NONE, text: 'auth' })!(x)).toBe(false);
    // Headers are not in a summary: "header:" matches only what the engine found.
    expect(predicateOf({ ...NONE, text: 'header: :authority' })!(x)).toBe(false);
    expect(predicateOf({ ...NONE, text: 'header: :authority' }, new Set(['x1']))!(x)).toBe(true);
    expect(predicateOf({ ...NONE, text: 'header:login' })!(x)).toBe(false);
  });

  it("matches marks and the URL itself, and header matches through the engine's answer", () => {
    const x = exchange(2, { marks: { cache: 'HIT' } });
    expect(predicateOf({ ...NONE, text: 'cache: hit' })!(x)).toBe(true);
    expect(predicateOf({ ...NONE, text: 'https://shop.localhost/items/2' })!(x)).toBe(true);
    expect(predicateOf({ ...NONE, text: 'bearer' })!(x)).toBe(false);
    expect(predicateOf({ ...NONE, text: 'bearer' }, new Set(['x2']))!(x)).toBe(true);
    // The engine's answer never lets through a row the other filters refuse.
    expect(predicateOf({ ...NONE, text: 'bearer', method: 'POST' }, new Set(['x2']))!(x)).toBe(false);
  });
});

describe('the live filter', () => {
  it('fills in a full pass a slice at a time and ends with exactly the matching rows', () => {
    const { byId, ids, filter } = rows(5_000);
    const f = { ...NONE, errorsOnly: true };
    filter.reset(ids, predicateOf(f));
    let clock = 0;
    let slices = 0;
    // Each lookup of the clock moves it 1 ms on: a 3 ms budget stops after a few chunks.
    while (!filter.step(3, () => clock++)) {
      slices++;
      expect(filter.filtering).toBe(true);
    }
    expect(slices).toBeGreaterThan(1);
    expect(filter.filtering).toBe(false);
    expect(filter.ids).toEqual(expected(byId, ids, f));
  });

  it('publishes the rows found so far at once, then at most every PARTIAL_EVERY_MS of a long pass', () => {
    const { byId, ids, filter } = rows(50_000);
    const f = { ...NONE, text: 'items' }; // every row: the biggest list to copy
    filter.reset(ids, predicateOf(f));
    let clock = 0;
    const published = new Set<number>();
    filter.step(3, () => clock++);
    expect(filter.ids.length).toBeGreaterThan(0);
    while (!filter.step(3, () => clock++)) published.add(filter.version);
    expect(filter.ids).toEqual(expected(byId, ids, f));
    // One publication per started PARTIAL_EVERY_MS of the pass's clock, however many slices it took.
    expect(published.size).toBeLessThanOrEqual(Math.ceil(clock / PARTIAL_EVERY_MS) + 1);
    expect(clock / 3).toBeGreaterThan(3 * published.size);
  });

  it('keeps up with added, evicted and updated rows without a full pass', () => {
    const { byId, ids, filter } = rows(100);
    const f = { ...NONE, status: '5' };
    filter.reset(ids, predicateOf(f));
    filter.step(1_000);
    // Evict the oldest 20, add 30, and turn x55 (a 200) into a 500 and x60 (a 500) into a 200.
    const gone = new Set(ids.slice(0, 20));
    for (const id of gone) byId.delete(id);
    const added = Array.from({ length: 30 }, (_, i) => `x${100 + i}`);
    for (let i = 100; i < 130; i++) byId.set(`x${i}`, exchange(i));
    byId.set('x55', exchange(55, { status: 503 }));
    byId.set('x60', exchange(60, { status: 200 }));
    filter.apply({ added, updated: ['x55', 'x60'], gone });
    const now = [...ids.slice(20), ...added];
    expect(filter.ids).toEqual(expected(byId, now, f));
    expect(filter.ids).toContain('x55');
    expect(filter.ids).not.toContain('x60');
  });

  it('applies batches that arrive while a full pass is under way', () => {
    const { byId, ids, filter } = rows(3_000);
    const f = { ...NONE, text: 'items/1' };
    filter.reset(ids, predicateOf(f));
    let clock = 0;
    filter.step(2, () => clock++);
    expect(filter.filtering).toBe(true);
    const gone = new Set(ids.slice(0, 50));
    for (const id of gone) byId.delete(id);
    for (let i = 3_000; i < 3_200; i++) byId.set(`x${i}`, exchange(i));
    byId.set('x2999', exchange(2999, { url: '/items/1-now' }));
    filter.apply({ added: Array.from({ length: 200 }, (_, i) => `x${3_000 + i}`), updated: ['x2999'], gone });
    while (!filter.step(2, () => clock++));
    expect(filter.ids).toEqual(
      expected(
        byId,
        [...byId.keys()].sort((a, b) => byId.get(a)!.startedAt - byId.get(b)!.startedAt),
        f,
      ),
    );
    expect(filter.ids).toContain('x2999');
  });

  it('lists a row once when it is new and changed within one batch', () => {
    const { byId, ids, filter } = rows(10);
    filter.reset(ids, predicateOf({ ...NONE, host: 'shop.localhost' }));
    filter.step(100);
    byId.set('x10', exchange(10));
    filter.apply({ added: ['x10'], updated: ['x10'], gone: undefined });
    expect(filter.ids.filter((id) => id === 'x10')).toHaveLength(1);
  });

  it('places a late row by its start time, not at the end', () => {
    const { byId, ids, filter } = rows(10);
    filter.reset(ids, predicateOf({ ...NONE, host: 'shop.localhost' }));
    filter.step(100);
    byId.set('late', exchange(0, { id: 'late', startedAt: 1004.5 }));
    filter.apply({ added: ['late'], updated: [], gone: undefined });
    expect(filter.ids.indexOf('late')).toBe(5);
  });
});

describe('the ordered id lists', () => {
  it('merges a batch in finishing order into place by start time, ties after the rows already listed', () => {
    const start = new Map<string, number>();
    const listed = Array.from({ length: 1_000 }, (_, i) => `x${i}`);
    listed.forEach((id, i) => start.set(id, i * 10));
    // Finished in this order; started at 9,995, 5, 9,990 (a tie with x999), 10,000 and 5.
    const batch = ['late', 'early', 'tie', 'new', 'early2'];
    [9_995, 5, 9_990, 10_000, 5].forEach((t, i) => start.set(batch[i]!, t));
    const ids = listed;
    expect(updateInPlace(ids, undefined, batch, (id) => start.get(id)!)).toBe(true);
    expect(ids).toBe(listed);
    expect(ids).toHaveLength(1_005);
    expect(ids.slice(0, 4)).toEqual(['x0', 'early', 'early2', 'x1']);
    expect(ids.slice(-4)).toEqual(['x999', 'tie', 'late', 'new']);
    const sorted = ids.map((id) => start.get(id)!);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
  });

  it('takes out the evicted, at the start or further in, in the same update that adds rows', () => {
    const start = new Map<string, number>();
    const listed = Array.from({ length: 100 }, (_, i) => `x${i}`);
    listed.forEach((id, i) => start.set(id, i));
    start.set('new', 50.5);
    const orderOf = (id: string) => start.get(id)!;
    const updated = (gone: Set<string> | undefined, added: string[]) => {
      const ids = listed.slice();
      return { changed: updateInPlace(ids, gone, added, orderOf), ids };
    };
    expect(updated(new Set(['x0', 'x1', 'x2']), ['new']).ids).toEqual([...listed.slice(3, 51), 'new', ...listed.slice(51)]);
    expect(updated(new Set(['x0', 'x60', 'never-listed']), ['new']).ids).toEqual([...listed.slice(1, 51), 'new', ...listed.slice(51, 60), ...listed.slice(61)]);
    expect(updated(new Set(['never-listed']), [])).toEqual({ changed: false, ids: listed });
    expect(updated(undefined, [])).toEqual({ changed: false, ids: listed });
  });
});

describe('counters of the list', () => {
  it('removeInPlace takes out an evicted prefix or scattered ids and says how many went', () => {
    const ids = ['a', 'b', 'c', 'd'];
    expect(removeInPlace(ids, new Set(['zz']))).toBe(0);
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
    expect(removeInPlace(ids, new Set(['a', 'c', 'zz']))).toBe(2);
    expect(ids).toEqual(['b', 'd']);
    expect(removeInPlace(ids, new Set(['b']))).toBe(1);
    expect(ids).toEqual(['d']);
  });

  it('a backlog is cut into frame-sized chunks that keep every exchange once, evictions first', () => {
    const batch = (from: number, n: number, evicted: string[] = []): TrafficItem => ({
      kind: 'batch',
      started: [],
      updated: [],
      finished: Array.from({ length: n }, (_, i) => exchange(from + i)),
      evicted,
    });
    const queue: TrafficItem[] = [batch(0, 2_500, ['old1']), { kind: 'cleared' }, batch(2_500, 1_000)];
    const chunks: TrafficItem[][] = [];
    while (queue.length) chunks.push(takeChunk(queue, 1_000));
    const count = (items: TrafficItem[]) => items.reduce((n, x) => n + (x.kind === 'batch' ? x.finished.length : 0), 0);
    expect(chunks.map(count)).toEqual([1_000, 1_000, 1_000, 500]);
    expect((chunks[0]![0] as { evicted: string[] }).evicted).toEqual(['old1']);
    expect(
      chunks
        .flat()
        .filter((x) => x.kind === 'batch')
        .flatMap((x) => (x.kind === 'batch' ? x.evicted : [])),
    ).toEqual(['old1']);
    expect(chunks[2]!.map((x) => x.kind)).toEqual(['batch', 'cleared', 'batch']);
  });
});

describe('the live filter under a stream', () => {
  it('finds a changed row by its place in the list: a one-row batch over 100,000 listed rows looks at a few dozen of them', () => {
    const { byId, ids, filter, placesRead } = rows(100_000);
    const f = { ...NONE, text: 'items' };
    filter.reset(ids, predicateOf(f));
    filter.step(60_000);
    // Every 100th changed row stops matching; the others stay.
    const changes = Array.from({ length: 1_000 }, (_, i) => (i * 97) % 100_000).map((n, i) => exchange(n, i % 100 === 0 ? { url: '/other' } : {}));
    const before = placesRead();
    for (const x of changes) {
      byId.set(x.id, x);
      filter.apply({ added: [], updated: [x.id], gone: undefined });
    }
    expect(filter.ids).toEqual(expected(byId, ids, f));
    // A binary search: about log2(100,000) = 17 places per changed row, never a pass over the list.
    const perRow = (placesRead() - before) / changes.length;
    expect(perRow).toBeGreaterThan(1);
    expect(perRow).toBeLessThan(40);
  });

  it('lists a row once when many changes name it twice', () => {
    const { byId, ids, filter } = rows(1_000);
    const f = { ...NONE, status: '5' };
    filter.reset(ids, predicateOf(f));
    filter.step(1_000);
    const updated = ids.filter((_, i) => i % 2 === 1);
    for (const id of updated) byId.set(id, exchange(Number(id.slice(1)), { status: 502 }));
    filter.apply({ added: [], updated: [...updated, ...updated], gone: undefined });
    expect(filter.ids).toEqual(expected(byId, ids, f));
  });
});

describe('the live filter and the engine answer', () => {
  it("takes the engine's answer naming every one of 100,000 listed rows in one pass, not a search per row", () => {
    const { byId, ids, filter, placesRead } = rows(100_000);
    const f = { ...NONE, text: 'items' };
    filter.reset(ids, predicateOf(f));
    filter.step(60_000);
    const before = placesRead();
    filter.apply({ added: [], updated: ids, gone: undefined });
    expect(placesRead() - before).toBeLessThan(ids.length);
    expect(filter.ids).toEqual(expected(byId, ids, f));
  });
});

describe('the live filter when the filters narrow', () => {
  it('knows which changes of the filter bar can only drop rows', () => {
    const at = (patch: Partial<TrafficFilters>) => ({ ...NONE, ...patch });
    expect(narrows(NONE, at({ text: 'i' }))).toBe(true);
    expect(narrows(at({ text: 'ite' }), at({ text: 'Items' }))).toBe(true);
    expect(narrows(at({ text: 'items' }), at({ text: 'item' }))).toBe(false);
    expect(narrows(at({ text: 'auth' }), at({ text: 'header: auth' }))).toBe(false);
    expect(narrows(at({ text: 'header: auth' }), at({ text: 'header: authorization' }))).toBe(true);
    expect(narrows(NONE, at({ host: 'shop.localhost', errorsOnly: true }))).toBe(true);
    expect(narrows(at({ host: 'shop.localhost' }), at({ host: 'api.localhost' }))).toBe(false);
    expect(narrows(at({ errorsOnly: true }), NONE)).toBe(false);
    expect(narrows(at({ status: '5' }), at({ status: '4' }))).toBe(false);
  });

  it('tests only the listed rows and keeps the same list on screen when one more letter drops nothing', () => {
    const { byId, ids, filter, rowsRead } = rows(20_000);
    const i = { ...NONE, text: 'items/1' };
    filter.reset(ids, predicateOf(i));
    filter.step(60_000);
    expect(filter.ids.length).toBeLessThan(ids.length);
    const before = rowsRead();
    filter.reset(ids, predicateOf({ ...i, text: 'items/' }), narrows(i, { ...i, text: 'items/' }));
    filter.step(60_000);
    // "items/" does not narrow "items/1": a full pass over every row.
    expect(rowsRead() - before).toBe(ids.length);
    filter.reset(ids, predicateOf(i), true);
    filter.step(60_000);
    const narrowed = rowsRead();
    const shown = { ids: filter.ids, version: filter.version };
    filter.reset(ids, predicateOf({ ...i, text: 'ITEMS/1' }), true);
    let clock = 0;
    // The same list all along: it is never emptied, refilled or re-rendered.
    while (!filter.step(1, () => clock++)) expect({ ids: filter.ids, version: filter.version }).toEqual(shown);
    expect(filter.ids).toBe(shown.ids);
    expect(filter.version).toBe(shown.version);
    expect(rowsRead() - narrowed).toBe(shown.ids.length);
    expect(filter.ids).toEqual(expected(byId, ids, i));
  });

  it('shows the wider list until a narrowing pass ends, then exactly the rows that match', () => {
    const { byId, ids, filter } = rows(20_000);
    filter.reset(ids, predicateOf(NONE));
    const f = { ...NONE, text: 'items/19' };
    filter.reset(ids, predicateOf(f), narrows(NONE, f));
    let clock = 0;
    // Nothing was filtered: every row stays listed while the pass runs, even with new rows
    // and evictions coming in.
    expect(filter.step(1, () => clock++)).toBe(false);
    expect(filter.ids).toEqual(ids);
    const gone = new Set(ids.slice(0, 100));
    for (const id of gone) byId.delete(id);
    byId.set('x20000', exchange(20_000, { url: '/items/19-new' }));
    filter.apply({ added: ['x20000'], updated: [], gone });
    expect(filter.ids).toEqual(ids.slice(100));
    while (!filter.step(1, () => clock++));
    expect(filter.ids).toEqual(expected(byId, [...ids.slice(100), 'x20000'], f));
    expect(filter.ids).toContain('x20000');
  });

  it("keeps the list on screen when a letter comes before the last letter's pass ended", () => {
    const { byId, ids, filter } = rows(20_000);
    filter.reset(ids, predicateOf(NONE));
    const i = { ...NONE, text: 'i' };
    filter.reset(ids, predicateOf(i), narrows(NONE, i));
    let clock = 0;
    filter.step(2, () => clock++);
    const shown = filter.ids;
    expect(shown).toEqual(ids);
    // The next letters while that pass runs, and a batch in between.
    const it2 = { ...NONE, text: 'it' };
    filter.reset(ids, predicateOf(it2), narrows(i, it2));
    filter.step(2, () => clock++);
    const gone = new Set(ids.slice(0, 10));
    for (const id of gone) byId.delete(id);
    filter.apply({ added: [], updated: [], gone });
    const items = { ...NONE, text: 'items/1' };
    filter.reset(ids, predicateOf(items), narrows(it2, items));
    // Until the pass ends, the list shown is the whole list (less what left the store).
    while (!filter.step(2, () => clock++)) expect(filter.ids).toBe(shown);
    expect(shown).toEqual(ids.slice(10));
    expect(filter.ids).toEqual(expected(byId, ids.slice(10), items));
  });

  it('narrows from a pass that had not finished: what it found, what it had not reached and what arrived', () => {
    const { byId, ids, filter, rowsRead } = rows(20_000);
    const wide = { ...NONE, text: 'items/1' };
    filter.reset(ids, predicateOf(wide));
    let clock = 0;
    filter.step(2, () => clock++);
    expect(filter.filtering).toBe(true);
    byId.set('x20000', exchange(20_000, { url: '/items/12-new' }));
    filter.apply({ added: ['x20000'], updated: [], gone: undefined });
    byId.set('x5', exchange(5, { url: '/items/12-changed' }));
    filter.apply({ added: [], updated: ['x5'], gone: undefined });
    const narrow = { ...NONE, text: 'items/12' };
    const before = rowsRead();
    filter.reset([...ids, 'x20000'], predicateOf(narrow), narrows(wide, narrow));
    while (!filter.step(2, () => clock++));
    // The rows the first slice had already turned away are not read again.
    expect(rowsRead() - before).toBeLessThan(ids.length - 500);
    expect(filter.ids).toEqual(expected(byId, [...ids, 'x20000'], narrow));
    expect(filter.ids).toContain('x20000');
    expect(filter.ids).toContain('x5');
  });
});
