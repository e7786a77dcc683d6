// The small slices: certificates, settings (with the UI theme), and UI state.
import type { StateCreator } from 'zustand';
import type { CertificatesSlice, SettingsSlice, State, Theme, UiSlice } from './types.js';

const THEME_KEY = 'portico.theme';

function savedTheme(): Theme {
  const value = localStorage.getItem(THEME_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export const certificatesSlice: StateCreator<State, [], [], CertificatesSlice> = (set) => ({
  ca: undefined,
  caError: undefined,
  setCa: (ca, caError) => set({ ca, caError }),
});

export const settingsSlice: StateCreator<State, [], [], SettingsSlice> = (set) => ({
  settings: undefined,
  status: undefined,
  // A property of this window, not of the engine: kept in localStorage, not the config.
  theme: savedTheme(),
  lan: undefined,
  setSettings: (settings) => set({ settings }),
  setLan: (lan) => set({ lan }),
  setStatus: (status) => set({ status, paused: status.capture.paused }),
  setTheme: (theme) => {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
});

let nextToastId = 1;

export const uiSlice: StateCreator<State, [], [], UiSlice> = (set, get) => ({
  view: 'routes',
  connection: 'connecting',
  fatal: undefined,
  selectedId: undefined,
  detailOpen: false,
  toasts: [],
  setView: (view) => set({ view }),
  setConnection: (connection) => set({ connection }),
  setFatal: (fatal) => set({ fatal }),
  select: (selectedId, open) => set(open === undefined ? { selectedId } : { selectedId, detailOpen: open }),
  setDetailOpen: (detailOpen) => set({ detailOpen }),
  toast: (toast, ms = 6_000) => {
    const id = nextToastId++;
    // Newest last; at most three on screen, so a burst of errors cannot cover the UI.
    set((s) => ({ toasts: [...s.toasts.slice(-2), { ...toast, id }] }));
    setTimeout(() => get().dismissToast(id), ms);
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
});
