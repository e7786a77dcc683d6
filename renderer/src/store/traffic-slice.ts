// Live traffic, kept as id → exchange plus the ids in start-time order, and the filtered
// list beside it (live-filter.ts), both updated a batch at a time. Batches arrive from the
// frame queue (frame-queue.ts): in an animation frame, at most ten times a second.
import type { StateCreator } from 'zustand';
import type { ExchangeSummary } from '../../../proxy-core/contract/index.js';
import { RowCompactor } from './compact-rows.js';
import { EngineSearch, type SearchCall } from './engine-search.js';
import { narrows, predicateOf, searchTextOf } from './filters.js';
import { LiveFilter } from './live-filter.js';
import { removeInPlace, updateInPlace } from './ordered-ids.js';
import type { Facets, State, TrafficFilters, TrafficSlice } from './types.js';

/** Stores made so far hear of the engine's search command when sync starts. */
const searchCalls: ((call: SearchCall) => void)[] = [];
export function connectEngineSearch(call: SearchCall): void {
  for (const connect of searchCalls) connect(call);
}

export const EMPTY_FILTERS: TrafficFilters = { host: '', method: '', status: '', text: '', errorsOnly: false };

/** How long one slice of a full filter pass may hold the main thread. */
const FILTER_SLICE_MS = 6;

export const trafficSlice: StateCreator<State, [], [], TrafficSlice> = (set, get) => {
  const byId = new Map<string, ExchangeSummary>();
  /** Rows share their repeated strings and empty parts (compact-rows.ts says why). */
  const rows = new RowCompactor();
  const startOf = (id: string) => byId.get(id)?.startedAt ?? 0;
  const live = new LiveFilter((id) => byId.get(id), startOf);
  let passTimer: ReturnType<typeof setTimeout> | undefined;
  /** Shows the filtered list when the live filter changed it, or a pass began or ended. */
  const publish = () => {
    const { visible } = get();
    if (live.version !== visible.version || live.filtering !== visible.filtering)
      set({ visible: { ids: live.ids, version: live.version, filtering: live.filtering } });
  };
  // Header matches come from the engine: re-test those rows when its answer arrives.
  const search = new EngineSearch((ids) => {
    live.apply({ added: [], updated: ids, gone: undefined });
    publish();
  });
  searchCalls.push((call) => (search.call = call));

  /**
   * Runs the filter pass a slice at a time. The live filter publishes what it found so far
   * only now and then (each showing re-renders the list), so the list is rendered when its
   * ids changed, not after every slice.
   */
  const continuePass = () => {
    passTimer = undefined;
    const done = live.step(FILTER_SLICE_MS);
    publish();
    if (!done) passTimer = setTimeout(continuePass, 0);
  };
  /** `narrowing`: the new filters let through only rows the old ones did (filters.ts). */
  const restartFilter = (narrowing = false) => {
    clearTimeout(passTimer);
    search.restart(searchTextOf(get().filters));
    live.reset(get().traffic.ids, predicateOf(get().filters, search.matches), narrowing);
    continuePass();
  };

  return {
    traffic: { byId, ids: [], version: 0 },
    visible: { ids: [], version: 0, filtering: false },
    facets: { hosts: [], methods: [] },
    filters: EMPTY_FILTERS,
    paused: false,

    loadTraffic: (list) => {
      byId.clear();
      for (const exchange of list) byId.set(exchange.id, rows.compact(exchange));
      const ids = [...byId.keys()].sort((a, b) => startOf(a) - startOf(b));
      set((s) => ({ traffic: { byId, ids, version: s.traffic.version + 1 }, facets: facetsOf(list, undefined) }));
      restartFilter();
    },

    applyTraffic: (items) => {
      let ids = get().traffic.ids;
      let added: string[] = [];
      let fresh = new Set<string>();
      const updated: string[] = [];
      let gone: Set<string> | undefined;
      let cleared = false;
      const selected = get().selectedId;
      let selectedGone = false;
      for (const item of items) {
        if (item.kind === 'cleared') {
          byId.clear();
          ids = [];
          added = [];
          fresh = new Set();
          gone = undefined;
          cleared = true;
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
            if (!byId.has(exchange.id)) {
              added.push(exchange.id);
              fresh.add(exchange.id);
            } else if (!fresh.has(exchange.id)) updated.push(exchange.id);
            byId.set(exchange.id, rows.compact(exchange));
          }
        }
      }
      // The list is changed in place (ordered-ids.ts says why); `version` tells it changed.
      if (gone && added.length > 0) removeInPlace(added, gone);
      updateInPlace(ids, gone, added, startOf);
      search.rowsChanged(added);
      search.rowsChanged(updated);
      set((s) => ({
        traffic: { byId, ids, version: s.traffic.version + 1 },
        facets: facetsOf(
          added.map((id) => byId.get(id)!),
          cleared ? undefined : s.facets,
        ),
        ...(selectedGone && { selectedId: undefined, detailOpen: false }),
      }));
      if (cleared) return restartFilter();
      live.apply({ added, updated, gone });
      publish();
    },

    setFilters: (patch) => {
      const before = get().filters;
      set((s) => ({ filters: { ...s.filters, ...patch } }));
      restartFilter(narrows(before, get().filters));
    },
    setPaused: (paused) => set({ paused }),
  };
};

/**
 * Hosts and methods seen, for the filter menus. Grown as new rows come (evicted ones stay
 * listed until a clear): scanning 100,000 exchanges per frame to shrink them is not worth it.
 */
function facetsOf(list: readonly ExchangeSummary[], old: Facets | undefined): Facets {
  const hosts = new Set(old?.hosts);
  const methods = new Set(old?.methods);
  for (const x of list) {
    hosts.add(x.host);
    methods.add(x.method);
  }
  if (old && hosts.size === old.hosts.length && methods.size === old.methods.length) return old;
  return { hosts: [...hosts].sort(), methods: [...methods].sort() };
}
