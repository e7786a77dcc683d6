import type { StateCreator } from 'zustand';
import type { RouteStats } from '../../../proxy-core/contract/index.js';
import type { RoutesSlice, State } from './types.js';

export const routesSlice: StateCreator<State, [], [], RoutesSlice> = (set) => ({
  routes: undefined,
  health: {},
  routeStats: {},
  setRoutes: (routes) => set({ routes }),
  setRouteStats: (list) =>
    set((s) => {
      // Polled every second: a route whose numbers did not move keeps its object (no render).
      let changed = list.length !== Object.keys(s.routeStats).length;
      const next: Record<string, RouteStats> = {};
      for (const stats of list) {
        const old = s.routeStats[stats.route];
        const same = old !== undefined && JSON.stringify(old) === JSON.stringify(stats);
        next[stats.route] = same ? old : stats;
        changed ||= !same;
      }
      return changed ? { routeStats: next } : s;
    }),
  setHealth: (key, health) =>
    set((s) => {
      const old = s.health[key];
      // Traffic reports health on every request: only a change is worth a render.
      if (old && old.up === health.up && old.lastError === health.lastError) return s;
      return { health: { ...s.health, [key]: health } };
    }),
});
