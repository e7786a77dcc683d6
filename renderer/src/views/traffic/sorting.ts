// Sorting the list by a column. Unsorted, the list is in start-time order, kept
// incrementally by the store. Sorted, the order is computed from keys cached per exchange
// snapshot, and redone at most every RESORT_MS while rows stream in: sorting 100,000 rows
// every frame would stall the page, and a sorted view that reshuffles 60 times a second
// cannot be read anyway.
import { useEffect, useMemo, useRef, useState } from 'react';
import { create } from 'zustand';
import type { ExchangeSummary } from '../../../../proxy-core/contract/index.js';
import { useStore } from '../../store/store.js';
import { COLUMNS } from './columns.js';

export interface Sort {
  key: string;
  descending: boolean;
}

export const useSort = create<{ sort: Sort | undefined; toggle(key: string): void }>((set) => ({
  sort: undefined,
  // Ascending, descending, then back to start-time order.
  toggle: (key) =>
    set(({ sort }) => ({
      sort: sort?.key !== key ? { key, descending: false } : sort.descending ? undefined : { key, descending: true },
    })),
}));

const RESORT_MS = 500;
const keys = new WeakMap<ExchangeSummary, Map<string, string | number>>();

function keyOf(x: ExchangeSummary, column: string): string | number {
  let cached = keys.get(x);
  if (!cached) keys.set(x, (cached = new Map()));
  let key = cached.get(column);
  if (key === undefined) {
    const c = COLUMNS.find((c) => c.key === column);
    key = c?.sortKey ? c.sortKey(x) : (c?.value(x) ?? '');
    cached.set(column, key);
  }
  return key;
}

export function sortIds(ids: readonly string[], byId: ReadonlyMap<string, ExchangeSummary>, sort: Sort): string[] {
  const sign = sort.descending ? -1 : 1;
  const present = ids.filter((id) => byId.has(id));
  // Array.prototype.sort is stable: equal keys keep start-time order.
  return present.sort((a, b) => {
    const ka = keyOf(byId.get(a)!, sort.key);
    const kb = keyOf(byId.get(b)!, sort.key);
    return ka < kb ? -sign : ka > kb ? sign : 0;
  });
}

/**
 * `ids` in the chosen order (unchanged when unsorted). The store changes `ids` in place;
 * `version` says when it did.
 */
export function useSortedIds(ids: string[], version: number): string[] {
  const sort = useSort((s) => s.sort);
  const byId = useStore((s) => s.traffic.byId);
  const [, wake] = useState(0);
  const last = useRef<{ at: number; input: string[]; version: number; sort: Sort | undefined; output: string[] }>({
    at: 0,
    input: [],
    version: -1,
    sort: undefined,
    output: [],
  });
  const due = last.current.sort !== sort || performance.now() - last.current.at >= RESORT_MS;
  const sorted = useMemo(() => {
    if (!sort) return ids;
    if (!due && last.current.sort === sort) return last.current.output;
    const output = sortIds(ids, byId, sort);
    last.current = { at: performance.now(), input: ids, version, sort, output };
    return output;
  }, [ids, version, sort, byId, due]);
  // Rows that came since the last sort get their place when the wait is over.
  const stale = sort !== undefined && (last.current.input !== ids || last.current.version !== version);
  useEffect(() => {
    if (!stale) return;
    const timer = setTimeout(() => wake((n) => n + 1), RESORT_MS);
    return () => clearTimeout(timer);
  }, [stale]);
  return sorted;
}
