// Live traffic, kept as id → exchange plus the ids in arrival order. Batches arrive from
// the frame queue (traffic-queue.ts) at most once per animation frame.
import type { StateCreator } from 'zustand';
import type { Exchange } from '../../../proxy-core/contract/index.js';
import type { Facets, State, TrafficFilters, TrafficSlice } from './types.js';

export const EMPTY_FILTERS: TrafficFilters = { host: '', method: '', status: '', text: '', errorsOnly: false };

export const trafficSlice: StateCreator<State, [], [], TrafficSlice> = (set, get) => ({
  traffic: { byId: new Map(), ids: [], version: 0 },
  facets: { hosts: [], methods: [] },
  filters: EMPTY_FILTERS,
  paused: false,

  loadTraffic: (list) => {
    const byId = new Map<string, Exchange>();
    for (const exchange of list) byId.set(exchange.id, exchange);
    set((s) => ({ traffic: { byId, ids: [...byId.keys()], version: s.traffic.version + 1 }, facets: facetsOf(list, undefined) }));
  },

  applyTraffic: (items) => {
    const { byId } = get().traffic;
    let ids = get().traffic.ids;
    let added: string[] = [];
    let gone: Set<string> | undefined;
    let selectedGone = false;
    const selected = get().selectedId;
    for (const item of items) {
      if (item.kind === 'cleared') {
        byId.clear();
        ids = [];
        added = [];
        gone = undefined;
        selectedGone = selected !== undefined;
        continue;
      }
      for (const id of item.evicted) {
        if (!byId.delete(id)) continue;
        (gone ??= new Set()).add(id);
        if (id === selected) selectedGone = true;
      }
      // Upsert by id: one exchange may be started, updated and finished across batches.
      for (const list of [item.started, item.updated, item.finished]) {
        for (const exchange of list) {
          if (!byId.has(exchange.id)) added.push(exchange.id);
          byId.set(exchange.id, exchange);
        }
      }
    }
    if (gone) ids = withoutIds(ids, gone);
    if (gone && added.length > 0) added = withoutIds(added, gone);
    if (added.length > 0) ids = ids.concat(added);
    const cleared = items.some((item) => item.kind === 'cleared');
    const fresh = added.map((id) => byId.get(id)!);
    set((s) => ({
      traffic: { byId, ids, version: s.traffic.version + 1 },
      facets: facetsOf(fresh, cleared ? undefined : s.facets),
      ...(selectedGone && { selectedId: undefined, detailOpen: false }),
    }));
  },

  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  setPaused: (paused) => set({ paused }),
});

/**
 * Hosts and methods seen, for the filter menus. Grown as new rows come (evicted ones stay
 * listed until a clear): scanning 100,000 exchanges per frame to shrink them is not worth it.
 */
function facetsOf(list: readonly Exchange[], old: Facets | undefined): Facets {
  const hosts = new Set(old?.hosts);
  const methods = new Set(old?.methods);
  for (const x of list) {
    hosts.add(x.host);
    methods.add(x.method);
  }
  if (old && hosts.size === old.hosts.length && methods.size === old.methods.length) return old;
  return { hosts: [...hosts].sort(), methods: [...methods].sort() };
}

/**
 * `ids` minus `gone`. The store evicts the oldest first, so `gone` is nearly always a
 * prefix of the list: a slice then, instead of a pass over 100,000 ids every frame.
 */
function withoutIds(ids: string[], gone: Set<string>): string[] {
  let prefix = 0;
  while (prefix < ids.length && gone.has(ids[prefix]!)) prefix++;
  if (prefix === gone.size) return ids.slice(prefix);
  return ids.filter((id) => !gone.has(id));
}
