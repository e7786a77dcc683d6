// Routes need stable ids for update/delete. A route the user wrote without one is named by
// its host and prefix (stable across reloads of an untouched file); ones made through the
// UI or API get a short random id, written to the file.
import { randomUUID } from 'node:crypto';
import type { Route } from '../contract/index.js';

/** Routes added with --route live for this run only; their ids say so. */
export const OVERLAY_PREFIX = 'run:';

export const routeId = (route: Route): string => route.id ?? `${route.host}${route.pathPrefix ?? ''}`;

export const withId = (route: Route, prefix = ''): Route => ({ ...route, id: prefix + routeId(route) });

export const newRouteId = (): string => randomUUID().slice(0, 8);

/** The routes in force: the file's plus the overlay, which replaces a file route for the same host and prefix. */
export function effectiveRoutes(fileRoutes: readonly Route[], overlay: readonly Route[]): Route[] {
  const key = (r: Route) => `${r.host} ${r.pathPrefix ?? '/'}`;
  const overridden = new Set(overlay.map(key));
  return [...fileRoutes.filter((r) => !overridden.has(key(r))).map((r) => withId(r)), ...overlay.map((r) => withId(r, OVERLAY_PREFIX))];
}
