import type { StateCreator } from 'zustand';
import type { RoutesSlice, State } from './types.js';

export const routesSlice: StateCreator<State, [], [], RoutesSlice> = (set) => ({
  routes: undefined,
  health: {},
  setRoutes: (routes) => set({ routes }),
  setHealth: (key, health) =>
    set((s) => {
      const old = s.health[key];
      // Traffic reports health on every request: only a change is worth a render.
      if (old && old.up === health.up && old.lastError === health.lastError) return s;
      return { health: { ...s.health, [key]: health } };
    }),
});
