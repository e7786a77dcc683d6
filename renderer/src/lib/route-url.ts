// The URL a developer opens for a route, as `portico serve` prints it: https when the
// engine listens for HTTPS and the route does not turn it off, the port only when it is
// not the scheme's default. (Same rule as proxy-core/cli/banner.ts, which the renderer
// may not import.)
import type { Route } from '../../../proxy-core/contract/index.js';

export interface Ports {
  http: number;
  https?: number | undefined;
}

export function routeUrls(route: Pick<Route, 'host' | 'pathPrefix' | 'https'>, ports: Ports): string[] {
  // A wildcard has no single address to open; show its bare parent's subdomain "app.".
  const host = route.host.startsWith('*.') ? `app.${route.host.slice(2)}` : route.host;
  const path = route.pathPrefix ?? '/';
  const url = (scheme: 'http' | 'https', port: number) => `${scheme}://${host}${port === (scheme === 'https' ? 443 : 80) ? '' : `:${port}`}${path}`;
  const urls: string[] = [];
  if (ports.https !== undefined && route.https !== 'off') urls.push(url('https', ports.https));
  // "redirect" answers plain HTTP with a redirect: not a URL to offer.
  if (route.https !== 'redirect' || ports.https === undefined) urls.push(url('http', ports.http));
  return urls;
}
