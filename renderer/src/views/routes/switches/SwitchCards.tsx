// The switches on a route card: what is on, with its numbers from routes.stats.
import type { Route } from '../../../../../proxy-core/contract/index.js';
import { useStore } from '../../../store/store.js';
import { ROUTE_SWITCHES } from './index.js';

export function SwitchCards({ route }: { route: Route }) {
  const defaults = useStore((s) => s.settings?.defaults);
  const stats = useStore((s) => (route.id ? s.routeStats[route.id] : undefined));
  return (
    <div className="switch-cards">
      {ROUTE_SWITCHES.map(({ key, Card }) => (
        <Card key={key} route={route} defaults={defaults} stats={stats} />
      ))}
    </div>
  );
}
