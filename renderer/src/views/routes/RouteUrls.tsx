// The addresses to open for a route, with copy and open buttons. Links open in a new tab
// (in the desktop app, in the user's browser).
import type { Route } from '../../../../proxy-core/contract/index.js';
import { CopyButton } from '../../components/CopyButton.js';
import { routeUrls } from '../../lib/route-url.js';
import { useStore } from '../../store/store.js';

export function RouteUrls({ route }: { route: Route }) {
  const http = useStore((s) => s.status?.http.port);
  const https = useStore((s) => s.status?.https?.port);
  if (http === undefined) return null;
  return (
    <ul className="route-urls">
      {routeUrls(route, { http, https }).map((url) => (
        <li key={url} className="row-flex">
          <a href={url} target="_blank" rel="noreferrer" className="mono">
            {url}
          </a>
          <CopyButton text={url} title={`Copy ${url}`} />
          <a className="btn small" href={url} target="_blank" rel="noreferrer" aria-label={`Open ${url}`}>
            Open
          </a>
        </li>
      ))}
    </ul>
  );
}
