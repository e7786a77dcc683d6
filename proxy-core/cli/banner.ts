// What `portico serve` prints once it is listening: where it listens and, for each route,
// the URL to open and where it goes. Pure, so a later reload can print the table again.
import { routeTargets, type Config, type Route } from '../contract/index.js';
import type { ListenerAddress } from '../engine/index.js';
import { OVERLAY_PREFIX } from '../service/route-ids.js';

export function listenerUrl(scheme: 'http' | 'https', address: ListenerAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${scheme}://${host}:${address.port}`;
}

export interface Ports {
  http: number;
  /** Undefined when HTTPS is not listening. */
  https?: number | undefined;
}

/**
 * The URL a developer opens for a route: https when it is served there, else http; the
 * port is shown unless it is the scheme's default.
 */
export function routeUrl(route: Pick<Route, 'host' | 'pathPrefix'> & Partial<Pick<Route, 'https'>>, ports: Ports): string {
  const secure = ports.https !== undefined && route.https !== 'off';
  const port = secure ? ports.https : ports.http;
  const shown = port === (secure ? 443 : 80) ? '' : `:${port}`;
  return `${secure ? 'https' : 'http'}://${route.host}${shown}${route.pathPrefix ?? '/'}`;
}

export interface RouteLine {
  route: Route;
  /** Added by --route for this run only. */
  fromFlag: boolean;
}

export function routeTable(routes: readonly RouteLine[], ports: Ports): string[] {
  const urls = routes.map(({ route }) => routeUrl(route, ports));
  const width = Math.max(0, ...urls.map((url) => url.length));
  return routes.map(({ route, fromFlag }, i) => {
    const notes = [route.enabled ? '' : 'disabled', fromFlag ? 'this run only' : ''].filter(Boolean);
    const suffix = notes.length ? `  (${notes.join(', ')})` : '';
    const to = route.redirect ? `${route.redirect.status} ${route.redirect.to}` : routeTargets(route).join(', ');
    return `  ${(urls[i] ?? '').padEnd(width)}  →  ${to}${suffix}`;
  });
}

export function startBanner(options: {
  version: string;
  configFile: string;
  configFound: boolean;
  http: ListenerAddress;
  https: ListenerAddress | undefined;
  /** The root certificate to trust, shown with the command that prints it. */
  caFile: string;
  config: Config;
  /** The browser UI's address with its token, when the control server runs. */
  ui?: string | undefined;
  tokenFile?: string | undefined;
  notes: readonly string[];
}): string {
  const { config, http } = options;
  const lines = [
    `Portico ${options.version}`,
    `Config  ${options.configFile}${options.configFound ? '' : ' (not found: using defaults)'}`,
    `HTTP    ${listenerUrl('http', http)}`,
    ...(options.https ? [`HTTPS   ${listenerUrl('https', options.https)}  (HTTP/2 and HTTP/1.1)`] : []),
    `CA      ${options.caFile}  (print it with: portico ca export)`,
    ...(options.ui ? [`UI      ${options.ui}`, `Token   ${options.tokenFile}  (for scripts: Authorization: Bearer <token>)`] : []),
    ...options.notes,
    '',
  ];
  if (config.routes.length === 0) {
    lines.push(
      options.ui
        ? 'No routes yet: add one in the UI above (Routes → Add route), with --route HOST=URL, or in the config file.'
        : 'No routes yet: add one with --route HOST=URL or in the config file (or start with --control-port 0 for the UI).',
    );
  } else {
    lines.push('Routes:');
    const ports = { http: http.port, https: options.https?.port };
    lines.push(...routeTable(config.routes.map((route) => ({ route, fromFlag: route.id?.startsWith(OVERLAY_PREFIX) ?? false })), ports));
  }
  lines.push('', 'Press Ctrl+C to stop.');
  return lines.join('\n') + '\n';
}
