// What the engine reads off an incoming request before routing it: the scheme it came
// in on, the host it names (request target or Host header), and which headers belong to
// the client's hop only.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { hostnameOf } from './host.js';
import type { RoutingTable } from './routing-table.js';

export const isEncrypted = (req: IncomingMessage) => (req.socket as Socket & { encrypted?: boolean }).encrypted === true;

export function publicOrigin(req: IncomingMessage): string {
  return `${isEncrypted(req) ? 'https' : 'http'}://${req.headers.host}`;
}

/**
 * Links for the unknown-host page, using the scheme and port the client came in on, to a
 * path the host answers (a host with only an /api route links to /api, not to a 404).
 */
export function hostLinks(req: IncomingMessage, hosts: readonly string[], paths?: ReadonlyMap<string, string>) {
  const encrypted = isEncrypted(req);
  const port = req.socket.localPort;
  const portSuffix = port === undefined || port === (encrypted ? 443 : 80) ? '' : `:${port}`;
  return hosts.map((host) =>
    host.startsWith('*.') ? { label: host } : { label: host, href: `${encrypted ? 'https' : 'http'}://${host}${portSuffix}${paths?.get(host) ?? '/'}` },
  );
}

/** The host name to route on, or why the request is refused (no wrapper: this runs per request). */
export type Resolved = string | { refuse: { status: number; title: string; message: string } };

/**
 * Origin-form is the norm. Absolute-form (what a forward proxy receives) is honoured only
 * for our own hosts, with the Host header made to agree (RFC 9112 §3.2.2); anything else
 * is refused, so Portico can never be used as an open proxy.
 */
export function resolveHost(req: IncomingMessage, table: RoutingTable): Resolved {
  const url = req.url ?? '';
  if (url.charCodeAt(0) !== 47 /* / */) {
    const absolute = URL.canParse(url) ? new URL(url) : undefined;
    const hostname = absolute && (absolute.protocol === 'http:' || absolute.protocol === 'https:') ? hostnameOf(absolute.host) : undefined;
    if (!absolute || !hostname) {
      return { refuse: { status: 400, title: 'Bad request target', message: `"${url.slice(0, 200)}" is not a path Portico can route.` } };
    }
    if (!table.match(hostname, absolute.pathname)) {
      return {
        refuse: {
          status: 403,
          title: 'Not a forward proxy',
          message: `Portico only serves your dev hosts; it does not forward requests to ${hostname}.`,
        },
      };
    }
    req.url = absolute.pathname + absolute.search;
    req.headers.host = absolute.host;
    return hostname;
  }
  const hostname = hostnameOf(req.headers.host);
  if (!hostname) {
    return { refuse: { status: 400, title: 'Bad Host header', message: 'The request has no Host header or one that is not a host name.' } };
  }
  return hostname;
}

/**
 * `Connection` and the headers it names describe the client's hop, not ours (RFC 9110
 * §7.6.1). Forwarding a client's `Connection: close` would close the pooled upstream
 * socket after every request. Upgrades keep theirs: the backend needs `Connection: upgrade`.
 */
export function dropHopByHopHeaders(req: IncomingMessage): void {
  const headers = req.headers;
  const connection = headers.connection;
  if (connection === undefined) return;
  // What browsers send: harmless upstream (the pooled agent keeps alive anyway), so leave
  // the object alone — a `delete` turns it into a slow dictionary for every later copy.
  if (headers['keep-alive'] === undefined && headers['proxy-connection'] === undefined && /^\s*keep-alive\s*$/i.test(connection)) return;
  const drop = new Set(['connection', 'keep-alive', 'proxy-connection']);
  for (const name of connection.toLowerCase().split(',')) {
    const trimmed = name.trim();
    if (trimmed !== 'close' && trimmed !== 'keep-alive' && trimmed !== 'transfer-encoding') drop.add(trimmed);
  }
  // A fresh object rather than deletes, for the same reason.
  const kept: IncomingMessage['headers'] = {};
  for (const name in headers) if (!drop.has(name)) kept[name] = headers[name];
  req.headers = kept;
}
