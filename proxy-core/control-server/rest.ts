// The plain-HTTP API for scripts: a few REST paths for the common jobs, and every command
// at POST /api/commands/<name> so nothing in the contract is out of reach.
import { COMMAND_NAMES, type CommandName } from '../contract/index.js';

export interface RestRoute {
  command: CommandName;
  params: unknown;
  /** Answer 201 (a route was made). */
  created?: boolean;
  /** Offer the answer as a file download with this name. */
  download?: string;
}

/** `?sensitive=1` (or `true`): the HAR with credentials; without it the sanitized one. */
function harExport(query: URLSearchParams): RestRoute {
  const sensitive = ['1', 'true'].includes(query.get('sensitive') ?? '');
  return sensitive
    ? { command: 'traffic.exportHar', params: { sensitive: true }, download: 'portico-traffic-sensitive.har' }
    : { command: 'traffic.exportHar', params: undefined, download: 'portico-traffic.har' };
}

/** A route id from the path; undefined for malformed percent-encoding (then no API matches). */
function decodedId(raw: string | undefined): string | undefined {
  try {
    return raw === undefined ? undefined : decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function restRoute(method: string, pathname: string, body: unknown, query = new URLSearchParams()): RestRoute | undefined {
  const routeId = decodedId(/^\/api\/routes\/([^/]+)$/.exec(pathname)?.[1]);
  if (pathname === '/api/routes' && method === 'GET') return { command: 'routes.list', params: undefined };
  if (pathname === '/api/routes' && method === 'POST') return { command: 'routes.create', params: body, created: true };
  if (routeId !== undefined && method === 'PUT') return { command: 'routes.update', params: { id: routeId, route: body } };
  if (routeId !== undefined && method === 'DELETE') return { command: 'routes.delete', params: { id: routeId } };
  if (pathname === '/api/traffic.har' && method === 'GET') return harExport(query);
  const name = /^\/api\/commands\/([a-zA-Z.]+)$/.exec(pathname)?.[1];
  if (name !== undefined && method === 'POST' && COMMAND_NAMES.includes(name as CommandName)) return { command: name as CommandName, params: body };
  return undefined;
}
