// The health.list answer: one row per backend origin the enabled routes send traffic to,
// in config order, with every route that uses it.
import { routeTargets, type Route, type TargetHealth } from '../../contract/index.js';
import type { UpstreamPool } from './pool.js';

export function listHealth(routes: readonly Route[], pool: UpstreamPool, checkedPath: (origin: string) => string | undefined): TargetHealth[] {
  const rows = new Map<string, TargetHealth>();
  for (const route of routes) {
    if (!route.enabled) continue;
    for (const target of routeTargets(route)) {
      const { url, health, load } = pool.get(target);
      const row = rows.get(url.origin);
      if (row) {
        if (!row.routes.includes(route.host)) row.routes.push(route.host);
        continue;
      }
      const check = checkedPath(url.origin);
      rows.set(url.origin, {
        target: url.origin,
        routes: [route.host],
        up: health.up,
        activeRequests: load.active,
        ...(health.since !== undefined && { since: health.since }),
        ...(health.lastError !== undefined && { lastError: health.lastError, lastErrorAt: health.lastErrorAt }),
        ...(check !== undefined && { check }),
      });
    }
  }
  return [...rows.values()];
}
