// Each target of a route with its own state: up, down (with the last error and since
// when) or not heard from yet, from route.health events, the traffic through it and the
// engine's record (health.list: requests in flight, the active check's path).
// (The route's status beside its name gives the summary.)
import { routeTargets, type Route } from '../../../../proxy-core/contract/index.js';
import { formatTime } from '../../lib/format.js';
import { healthKey } from '../../store/health-key.js';
import { useStore } from '../../store/store.js';

function origin(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}

/** "2 in flight · checks /health · down since 14:03:07": what the engine knows beyond up/down. */
function useDetails(route: Route, target: string, kind: string): string {
  return useStore((s) => {
    const row = s.targets[origin(target)];
    if (!row) return '';
    const parts = [];
    if (row.activeRequests > 0) parts.push(`${row.activeRequests} in flight`);
    // The check belongs to the route that set it, though the backend's record is shared.
    if (row.check && route.healthCheck) parts.push(`checks ${row.check}`);
    if (row.since !== undefined && (kind === 'up' || kind === 'down')) parts.push(`${kind} since ${formatTime(row.since).slice(0, 8)}`);
    return parts.join(' · ');
  });
}

function TargetRow({ route, target, showError }: { route: Route; target: string; showError: boolean }) {
  // Primitives only, so a health change elsewhere does not render this row.
  const up = useStore((s) => s.health[healthKey(route.host, origin(target))]?.up);
  const lastError = useStore((s) => s.health[healthKey(route.host, origin(target))]?.lastError);
  const kind = !route.enabled ? 'off' : up === undefined ? 'unknown' : up ? 'up' : 'down';
  const state = kind === 'off' ? 'off' : kind === 'unknown' ? 'not used yet' : kind === 'up' ? 'up' : 'down';
  const details = useDetails(route, target, kind);
  return (
    <li className="target-row">
      <span className={`dot ${kind}`} aria-hidden="true" />
      <span className="mono">{target}</span>
      <span className="visually-hidden">: {state}</span>
      {details && <span className="target-details">{details}</span>}
      {showError && kind === 'down' && lastError && (
        <span className="status-text bad" title={lastError}>
          {lastError}
        </span>
      )}
    </li>
  );
}

export function TargetHealth({ route }: { route: Route }) {
  const targets = routeTargets(route);
  return (
    <ul className="route-targets" aria-label={`Targets of ${route.host}${route.pathPrefix ?? ''}`}>
      {targets.map((target) => (
        // One target: the route's status already says its error.
        <TargetRow key={target} route={route} target={target} showError={targets.length > 1} />
      ))}
    </ul>
  );
}
