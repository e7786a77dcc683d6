// One per-route switch (compression, cache, and the ones to come): the route field it
// edits, its field in the route form and in Settings' defaults, and its part of the route
// card. A new switch is one file exporting a RouteSwitch plus one line in index.ts.
import type { FC } from 'react';
import type { Route, RouteDefaults, RouteInput, RouteStats } from '../../../../../proxy-core/contract/index.js';

/** The route form (a switch may be left to the defaults) or Settings (it is the default). */
export type SwitchScope = 'route' | 'defaults';

export type { RouteDefaults };

export interface SwitchFieldProps {
  scope: SwitchScope;
  /** The route's switch fields (absent: follows the default), or settings.defaults. */
  values: Partial<RouteInput>;
  set(patch: Partial<RouteInput>): void;
  /** What a route that sets nothing gets (route scope only). */
  defaults: RouteDefaults | undefined;
  /** Validation messages by field path ("compression", "compression.threshold"…). */
  errors: Record<string, string>;
  /** The saved route's id, for switches that act at once through a command (passwords). */
  routeId?: string | undefined;
}

export interface SwitchCardProps {
  route: Route;
  defaults: RouteDefaults | undefined;
  /** The engine's counters for this route, when it counted anything yet. */
  stats: RouteStats | undefined;
}

export interface RouteSwitch {
  /** The route field it edits. */
  key: keyof RouteInput;
  /** Other route fields its form edits too (healthCheck beside balance). */
  moreKeys?: readonly (keyof RouteInput)[];
  /** Settings can set it for every route (settings.defaults has the same field). */
  inDefaults: boolean;
  /** Labels for validation messages, by field path. */
  labels: Record<string, string>;
  Field: FC<SwitchFieldProps>;
  /** On the route card: renders nothing while the switch is off. */
  Card: FC<SwitchCardProps>;
}
