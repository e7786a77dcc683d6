// The store's shape, one slice per concern. Slices are plain objects merged into one
// zustand store (store.ts), so a component subscribes to exactly the fields it reads.
import type { CaInfoSchema, StatusSchema } from '../../../proxy-core/contract/commands.js';
import type { ExchangeSummary, LanStatus, Route, RouteStats, Settings, TargetHealth } from '../../../proxy-core/contract/index.js';
import type { z } from 'zod';
import type { ConnectionState } from '../api/transport.js';

export type Status = z.output<typeof StatusSchema>;
export type CaInfo = z.output<typeof CaInfoSchema>;

/** A backend's last known state, from route.health events or the traffic through it. */
export interface Health {
  up: boolean;
  lastError?: string | undefined;
  at: number;
}

export interface RoutesSlice {
  routes: Route[] | undefined;
  /** Keyed by `${routeHostOrId} ${target}`. */
  health: Record<string, Health>;
  /** The engine's per-route counters (routes.stats) by route id, polled while Routes is open. */
  routeStats: Record<string, RouteStats>;
  /** The engine's record of each backend (health.list) by origin, polled while Routes is open. */
  targets: Record<string, TargetHealth>;
  setRoutes(routes: Route[]): void;
  setHealth(key: string, health: Health): void;
  setRouteStats(list: RouteStats[]): void;
  setTargets(list: TargetHealth[]): void;
}

export interface TrafficFilters {
  host: string;
  method: string;
  /** '', '1'…'5' (status class), 'pending' or 'failed'. */
  status: string;
  text: string;
  errorsOnly: boolean;
}

export interface Facets {
  hosts: string[];
  methods: string[];
}

export interface TrafficSlice {
  /**
   * The Map and `ids` (start-time order) are changed in place: 100,000 entries are too many
   * to copy per frame. `version` changes with every applied batch, so selectors can tell
   * that something changed (a new array after a load or a clear).
   */
  traffic: { byId: Map<string, ExchangeSummary>; ids: string[]; version: number };
  /**
   * The ids the filters let through, in list order (the same as `traffic.ids` content when
   * nothing is filtered), changed in place too: `version` changes with them; `filtering`
   * while a pass over every row is still under way.
   */
  visible: { ids: string[]; version: number; filtering: boolean };
  facets: Facets;
  filters: TrafficFilters;
  paused: boolean;
  loadTraffic(list: ExchangeSummary[]): void;
  applyTraffic(items: TrafficItem[]): void;
  setFilters(patch: Partial<TrafficFilters>): void;
  setPaused(paused: boolean): void;
}

/** What the frame queue hands the store: a batch, or a clear (kept in order with batches). */
export type TrafficItem =
  { kind: 'batch'; started: ExchangeSummary[]; updated: ExchangeSummary[]; finished: ExchangeSummary[]; evicted: string[] } | { kind: 'cleared' };

export interface CertificatesSlice {
  ca: CaInfo | undefined;
  caError: string | undefined;
  setCa(ca: CaInfo | undefined, error?: string): void;
}

export type Theme = 'system' | 'light' | 'dark';

export interface SettingsSlice {
  settings: Settings | undefined;
  status: Status | undefined;
  theme: Theme;
  /** Where shared routes are reachable from other devices (lan.status), loaded with the config. */
  lan: LanStatus | undefined;
  setSettings(settings: Settings): void;
  setLan(lan: LanStatus): void;
  setStatus(status: Status): void;
  setTheme(theme: Theme): void;
}

export type View = 'routes' | 'traffic' | 'rules' | 'certificates' | 'settings';

export interface Toast {
  id: number;
  text: string;
  action?: { label: string; run: () => void } | undefined;
  tone?: 'error' | undefined;
}

export interface UiSlice {
  view: View;
  connection: ConnectionState;
  /** A problem that stops the UI from working at all (no token). */
  fatal: string | undefined;
  selectedId: string | undefined;
  detailOpen: boolean;
  toasts: Toast[];
  setView(view: View): void;
  setConnection(state: ConnectionState): void;
  setFatal(problem: string | undefined): void;
  select(id: string | undefined, open?: boolean): void;
  setDetailOpen(open: boolean): void;
  toast(toast: Omit<Toast, 'id'>, ms?: number): void;
  dismissToast(id: number): void;
}

export type State = RoutesSlice & TrafficSlice & CertificatesSlice & SettingsSlice & UiSlice;
