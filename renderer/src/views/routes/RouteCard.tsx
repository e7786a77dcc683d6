// One route: what it matches, where it goes and whether each target answers, how to open
// it, and its switches with their numbers.
import * as Switch from '@radix-ui/react-switch';
import type { Route } from '../../../../proxy-core/contract/index.js';
import { deleteRoute, toggleRoute } from './actions.js';
import { RouteStatus } from './RouteStatus.js';
import { RouteUrls } from './RouteUrls.js';
import { SwitchCards } from './switches/SwitchCards.js';
import { TargetHealth } from './TargetHealth.js';
import { isProcessRoute, ProcessTag } from './ProcessTag.js';

export function RouteCard({ route, onEdit }: { route: Route; onEdit: (route: Route) => void }) {
  const name = `${route.host}${route.pathPrefix ?? ''}`;
  const thisRunOnly = (route.id?.startsWith('run:') ?? false) && !isProcessRoute(route);
  return (
    <li className={route.enabled ? 'card route' : 'card route disabled'} aria-label={name}>
      <div className="route-main">
        <div className="row-flex">
          <Switch.Root className="switch" checked={route.enabled} onCheckedChange={(on) => toggleRoute(route, on)} aria-label={`Serve ${name}`}>
            <Switch.Thumb className="switch-thumb" />
          </Switch.Root>
          <h3 className="route-name mono">{name}</h3>
          {thisRunOnly && (
            <span className="tag" title="Added with --route: not saved to the config file">
              this run only
            </span>
          )}
          <ProcessTag route={route} />
          {route.https !== 'both' && <span className="tag">{route.https === 'off' ? 'HTTP only' : 'HTTP → HTTPS'}</span>}
          {route.changeOrigin && <span className="tag">changeOrigin</span>}
          <span className="spacer" />
          <RouteStatus route={route} />
        </div>
        <TargetHealth route={route} />
        {route.enabled && <RouteUrls route={route} />}
        <SwitchCards route={route} />
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
