import type { StateCreator } from 'zustand';
import type { RouteStats, TargetHealth } from '../../../proxy-core/contract/index.js';
import { healthKey } from './health-key.js';
import type { Health, RoutesSlice, State } from './types.js';

/** The same value as before, or the new one: polled rows that did not move keep their object. */
const same = <T>(old: T | undefined, next: T): boolean => old !== undefined && JSON.stringify(old) === JSON.stringify(next);

export const routesSlice: StateCreator<State, [], [], RoutesSlice> = (set) => ({
  routes: undefined,
  health: {},
  routeStats: {},
  targets: {},
  setRoutes: (routes) => set({ routes }),
  setRouteStats: (list) =>
    set((s) => {
      // Polled every second: a route whose numbers did not move keeps its object (no render).
      let changed = list.length !== Object.keys(s.routeStats).length;
      const next: Record<string, RouteStats> = {};
      for (const stats of list) {
        const old = s.routeStats[stats.route];
        const kept = same(old, stats);
        next[stats.route] = kept ? old! : stats;
        changed ||= !kept;
      }
      return changed ? { routeStats: next } : s;
    }),
  setTargets: (list: TargetHealth[]) =>
    set((s) => {
      let changed = list.length !== Object.keys(s.targets).length;
      const targets: Record<string, TargetHealth> = {};
      let health: Record<string, Health> | undefined;
      for (const row of list) {
        const old = s.targets[row.target];
        const kept = same(old, row);
        targets[row.target] = kept ? old! : row;
        changed ||= !kept;
        // The engine keeps one record per backend: every route that uses it sees the same
        // state, including routes whose own traffic never met the failure. A record that
        // never changed and never failed says nothing yet ("not used yet" stays).
        if (row.since === undefined && row.lastError === undefined) continue;
        for (const route of row.routes) {
          const key = healthKey(route, row.target);
          const now = { up: row.up, ...(!row.up && { lastError: row.lastError }), at: row.since ?? Date.now() };
          const was = (health ?? s.health)[key];
          if (was && was.up === now.up && was.lastError === now.lastError) continue;
          health = { ...(health ?? s.health), [key]: now };
        }
      }
      if (!changed && !health) return s;
      return { ...(changed && { targets }), ...(health && { health }) };
    }),
  setHealth: (key, health) =>
    set((s) => {
      const old = s.health[key];
      // Traffic reports health on every request: only a change is worth a render.
      if (old && old.up === health.up && old.lastError === health.lastError) return s;
      return { health: { ...s.health, [key]: health } };
    }),
});
