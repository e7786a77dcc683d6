// Routes: every dev host, its switch and addresses, and the form to add or edit one.
import { useState } from 'react';
import type { Route } from '../../../../proxy-core/contract/index.js';
import { useStore } from '../../store/store.js';
import { RouteCard } from './RouteCard.js';
import { RouteForm } from './RouteForm.js';
import { purgeCache } from './actions.js';
import { useRouteStats } from './useRouteStats.js';

type Editing = { route: Route | undefined } | undefined;

export function RoutesView() {
  const routes = useStore((s) => s.routes);
  const [editing, setEditing] = useState<Editing>(undefined);
  useRouteStats();
  return (
    <div className="page">
      <div className="page-head">
        <h2>Routes</h2>
        <span className="muted">{routes ? `${routes.length} ${routes.length === 1 ? 'route' : 'routes'}` : 'Loading…'}</span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => purgeCache({}, 'every route')}>
          Purge cache
        </button>
        <button type="button" className="btn primary" onClick={() => setEditing({ route: undefined })}>
          Add route
        </button>
      </div>
      {routes?.length === 0 && (
        <div className="empty">
          <p className="empty-title">No routes yet — map shop.localhost to http://localhost:3000</p>
          <p className="muted">
            A route sends a dev host name to a server on this machine. <code>*.localhost</code> names work in every browser with no setup.
          </p>
          <button type="button" className="btn primary" onClick={() => setEditing({ route: undefined })}>
            Add your first route
          </button>
        </div>
      )}
      {routes && routes.length > 0 && (
        <ul className="routes" aria-label="Routes">
          {routes.map((route) => (
            <RouteCard key={route.id ?? route.host} route={route} onEdit={(r) => setEditing({ route: r })} />
          ))}
        </ul>
      )}
      {editing && <RouteForm route={editing.route} onClose={() => setEditing(undefined)} />}
    </div>
  );
}
