// One route: what it matches, where it goes, whether that answers, how to open it.
import * as Switch from '@radix-ui/react-switch';
import { routeTargets, type Route } from '../../../../proxy-core/contract/index.js';
import { deleteRoute, toggleRoute } from './actions.js';
import { RouteStatus } from './RouteStatus.js';
import { RouteUrls } from './RouteUrls.js';

export function RouteCard({ route, onEdit }: { route: Route; onEdit: (route: Route) => void }) {
  const name = `${route.host}${route.pathPrefix ?? ''}`;
  const thisRunOnly = route.id?.startsWith('run:') ?? false;
  return (
    <li className={route.enabled ? 'card route' : 'card route disabled'} aria-label={name}>
      <div className="route-main">
        <div className="row-flex">
          <Switch.Root
            className="switch"
            checked={route.enabled}
            onCheckedChange={(on) => toggleRoute(route, on)}
            aria-label={`Serve ${name}`}
          >
            <Switch.Thumb className="switch-thumb" />
          </Switch.Root>
          <h3 className="route-name mono">{name}</h3>
          {thisRunOnly && <span className="tag" title="Added with --route: not saved to the config file">this run only</span>}
          {route.https !== 'both' && <span className="tag">{route.https === 'off' ? 'HTTP only' : 'HTTP → HTTPS'}</span>}
          {route.changeOrigin && <span className="tag">changeOrigin</span>}
          <span className="spacer" />
          <RouteStatus route={route} />
        </div>
        <div className="route-targets mono">
          <span aria-hidden="true">→ </span>
          <span className="visually-hidden">Targets: </span>
          {routeTargets(route).join(', ')}
        </div>
        {route.enabled && <RouteUrls route={route} />}
      </div>
      <div className="route-actions">
        <button type="button" className="btn small" onClick={() => onEdit(route)} aria-label={`Edit ${name}`}>
          Edit
        </button>
        <button type="button" className="btn small danger" onClick={() => deleteRoute(route)} aria-label={`Delete ${name}`}>
          Delete
        </button>
      </div>
    </li>
  );
}
