// Each target of a route with its own state: up, down (with the last error) or not heard
// from yet, from route.health events and the traffic through it.
// (The route's status beside its name gives the summary.)
import { routeTargets, type Route } from '../../../../proxy-core/contract/index.js';
import { useStore } from '../../store/store.js';
import { healthKey } from '../../store/sync.js';

function origin(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}

function TargetRow({ route, target, showError }: { route: Route; target: string; showError: boolean }) {
  // Primitives only, so a health change elsewhere does not render this row.
  const up = useStore((s) => s.health[healthKey(route.host, origin(target))]?.up);
  const lastError = useStore((s) => s.health[healthKey(route.host, origin(target))]?.lastError);
  const kind = !route.enabled ? 'off' : up === undefined ? 'unknown' : up ? 'up' : 'down';
  const state = kind === 'off' ? 'off' : kind === 'unknown' ? 'not used yet' : kind === 'up' ? 'up' : 'down';
  return (
    <li className="target-row">
      <span className={`dot ${kind}`} aria-hidden="true" />
      <span className="mono">{target}</span>
      <span className="visually-hidden">: {state}</span>
      {showError && kind === 'down' && lastError && <span className="status-text bad">{lastError}</span>}
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
