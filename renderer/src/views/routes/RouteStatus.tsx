// Is the backend there? From route.health events or, failing those, the traffic through it.
import { routeTargets, type Route } from '../../../../proxy-core/contract/index.js';
import { useStore } from '../../store/store.js';
import { healthKey } from '../../store/health-key.js';

function origin(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}

export function RouteStatus({ route }: { route: Route }) {
  // One string per render so the selector returns a primitive.
  const summary = useStore((s) => {
    if (!route.enabled) return 'off|Off';
    if (route.redirect) return 'off|No backend: answers with a redirect';
    const states = routeTargets(route).map((t) => s.health[healthKey(route.host, origin(t))]);
    const down = states.filter((h) => h && !h.up);
    // Several targets: the card lists each one's error; the summary says how many.
    if (down.length > 0 && states.length > 1) return `down|${down.length} of ${states.length} targets down`;
    if (down.length > 0) return `down|${down[0]!.lastError ?? 'Backend not answering'}`;
    if (states.some((h) => h?.up)) return 'up|Backend answering';
    return 'unknown|No requests yet';
  });
  const [kind, text] = summary.split('|') as [string, string];
  return (
    <span className="route-status" title={text}>
      <span className={`dot ${kind}`} aria-hidden="true" />
      <span className={kind === 'down' ? 'status-text bad' : 'status-text muted'}>{text}</span>
    </span>
  );
}
