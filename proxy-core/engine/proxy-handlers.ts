// The request's way through the engine: request target → host → route → upstream →
// http-proxy-3, with our own passes around it. One proxy instance serves every route;
// the per-route bits travel in the per-call options.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { createProxyServer, type ServerOptions } from 'http-proxy-3';
import type { Config } from '../contract/index.js';
import { addForwardedHeaders } from './forwarded.js';
import { hostnameOf } from './host.js';
import { sendPage, writeRawStatus } from './pages.js';
import { rewriteResponseHeaders } from './rewrite-response.js';
import type { RoutingTable } from './routing-table.js';
import { describeUpstreamError, RESPONSE_TIMEOUT } from './upstream-errors.js';
import type { Upstream } from './upstreams.js';

/** What a request needs from the engine; swapped whole on a config change. */
export interface ProxyState {
  readonly table: RoutingTable;
  readonly timeouts: Config['timeouts'];
  /** Where HTTPS listens, for `https: "redirect"` routes; undefined without HTTPS. */
  readonly httpsPort?: number | undefined;
}

interface Routed extends IncomingMessage {
  // Set once routed, read by the response pass and the error page.
  porticoUpstream?: Upstream;
  porticoRouteHost?: string;
  porticoTimeouts?: Config['timeouts'];
}

const isEncrypted = (req: IncomingMessage) => (req.socket as Socket & { encrypted?: boolean }).encrypted === true;

function publicOrigin(req: IncomingMessage): string {
  return `${isEncrypted(req) ? 'https' : 'http'}://${req.headers.host}`;
}

/** Links for the unknown-host page, using the scheme and port the client came in on. */
function hostLinks(req: IncomingMessage, hosts: readonly string[]) {
  const encrypted = isEncrypted(req);
  const port = req.socket.localPort;
  const portSuffix = port === undefined || port === (encrypted ? 443 : 80) ? '' : `:${port}`;
  return hosts.map((host) =>
    host.startsWith('*.') ? { label: host } : { label: host, href: `${encrypted ? 'https' : 'http'}://${host}${portSuffix}/` },
  );
}

type Resolved = { hostname: string } | { refuse: { status: number; title: string; message: string } };

/**
 * Origin-form is the norm. Absolute-form (what a forward proxy receives) is honoured only
 * for our own hosts, with the Host header made to agree (RFC 9112 §3.2.2); anything else
 * is refused, so Portico can never be used as an open proxy.
 */
function resolveHost(req: IncomingMessage, table: RoutingTable): Resolved {
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
    return { hostname };
  }
  const hostname = hostnameOf(req.headers.host);
  if (!hostname) {
    return { refuse: { status: 400, title: 'Bad Host header', message: 'The request has no Host header or one that is not a host name.' } };
  }
  return { hostname };
}

/**
 * `Connection` and the headers it names describe the client's hop, not ours (RFC 9110
 * §7.6.1). Forwarding a client's `Connection: close` would close the pooled upstream
 * socket after every request. Upgrades keep theirs: the backend needs `Connection: upgrade`.
 */
function dropHopByHopHeaders(headers: IncomingMessage['headers']): void {
  const connection = headers.connection;
  if (connection === undefined) return;
  for (const name of connection.toLowerCase().split(',')) {
    const trimmed = name.trim();
    if (trimmed !== 'close' && trimmed !== 'keep-alive' && trimmed !== 'transfer-encoding') delete headers[trimmed];
  }
  delete headers.connection;
  delete headers['keep-alive'];
  delete headers['proxy-connection'];
}

/** A client that vanishes mid-handshake is normal; its socket is already gone. */
function ignoreSocketError(): void {}

export function createProxyHandlers(getState: () => ProxyState, log: (line: string) => void) {
  const proxy = createProxyServer({ xfwd: false });

  // Attached before any request can fail: an unhandled 'error' would kill the process.
  proxy.on('error', (err, req, res) => onProxyError(err as NodeJS.ErrnoException, req as Routed, res));

  // Headers must arrive within timeouts.responseMs of sending; once they do, a slow body
  // (a long download, server-sent events) is the backend's business, so the timer goes.
  proxy.on('proxyReq', (proxyReq, req) => {
    const ms = (req as Routed).porticoTimeouts?.responseMs;
    if (!ms) return;
    proxyReq.setTimeout(ms, () => {
      const err: NodeJS.ErrnoException = new Error('no response from upstream in time');
      err.code = RESPONSE_TIMEOUT;
      proxyReq.destroy(err);
    });
    proxyReq.once('response', () => proxyReq.setTimeout(0));
  });

  proxy.on('proxyRes', (proxyRes, req, res) => {
    // A backend that stops mid-body with a clean FIN must not leave the client waiting
    // for bytes that will never come: cut the client too, so it sees a broken response.
    proxyRes.once('close', () => {
      if (!proxyRes.complete) res.destroy();
    });
    const upstream = (req as Routed).porticoUpstream;
    const headers = proxyRes.headers;
    if (upstream && (headers.location !== undefined || headers['set-cookie'] !== undefined)) {
      const hostname = hostnameOf(req.headers.host) ?? '';
      rewriteResponseHeaders(headers, upstream, { origin: publicOrigin(req), hostname });
    }
  });

  function onProxyError(err: NodeJS.ErrnoException, req: Routed, res: ServerResponse | Duplex): void {
    const upstream = req.porticoUpstream;
    if (!upstream || !req.porticoTimeouts) {
      log(`proxy error before routing: ${err.message}`);
      if ('destroy' in res) res.destroy();
      return;
    }
    const failure = describeUpstreamError(err, upstream, req.porticoTimeouts);
    log(`${failure.status} ${req.method} ${req.headers.host ?? ''}${req.url ?? ''} → ${upstream.address}: ${failure.cause}`);
    if (!('writeHead' in res)) {
      // A WebSocket upgrade: the socket is still raw HTTP until the backend said 101.
      if (!res.destroyed) writeRawStatus(res, failure.status, failure.status === 504 ? 'Gateway Timeout' : 'Bad Gateway', failure.advice);
      return;
    }
    sendPage(req, res, {
      status: failure.status,
      title: failure.status === 504 ? 'Gateway Timeout' : 'Bad Gateway',
      message: `${req.porticoRouteHost} → ${upstream.url.origin}: ${failure.advice}`,
      details: { route: req.porticoRouteHost, target: upstream.url.origin, cause: failure.cause },
    });
  }

  const webErrorCallback = (err: Error, req: IncomingMessage, res: ServerResponse | Duplex) =>
    onProxyError(err as NodeJS.ErrnoException, req as Routed, res);

  /** Routes the request and prepares it for http-proxy-3; undefined when it was answered here. */
  function route(
    req: Routed,
    answer: (status: number, title: string, message: string, hosts?: readonly string[]) => void,
    redirect: (location: string) => void,
  ) {
    const state = getState();
    const resolved = resolveHost(req, state.table);
    if ('refuse' in resolved) {
      answer(resolved.refuse.status, resolved.refuse.title, resolved.refuse.message);
      return undefined;
    }
    const match = state.table.match(resolved.hostname, req.url ?? '/');
    if (!match) {
      const known = state.table.hosts.includes(resolved.hostname);
      const message = known
        ? `${resolved.hostname} has routes, but none whose path prefix covers ${req.url}.`
        : `No route is set up for ${resolved.hostname}.`;
      answer(404, known ? 'No route for this path' : 'Unknown host', message, state.table.hosts);
      return undefined;
    }
    const encrypted = isEncrypted(req);
    const https = match.route.https;
    if (https === 'redirect' && !encrypted && state.httpsPort !== undefined) {
      redirect(`https://${resolved.hostname}${state.httpsPort === 443 ? '' : `:${state.httpsPort}`}${req.url ?? '/'}`);
      return undefined;
    }
    if (https === 'off' && encrypted) {
      answer(404, 'Not served over HTTPS', `${match.route.host} is set to plain HTTP only (its "https" option is "off").`);
      return undefined;
    }
    const upstream = match.pick();
    req.porticoUpstream = upstream;
    req.porticoRouteHost = match.route.host;
    req.porticoTimeouts = state.timeouts;
    addForwardedHeaders(req.headers, {
      remoteAddress: req.socket.remoteAddress,
      encrypted,
      host: req.headers.host ?? resolved.hostname,
      localPort: req.socket.localPort,
    });
    const options: ServerOptions = {
      target: upstream.url,
      changeOrigin: match.route.changeOrigin,
      connectTimeout: state.timeouts.connectMs,
    };
    return { options, upstream };
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    // HTTP/2 names the host in :authority; one place to read it from keeps the rest simple.
    if (req.headers.host === undefined && typeof req.headers[':authority'] === 'string') req.headers.host = req.headers[':authority'];
    dropHopByHopHeaders(req.headers);
    const routed = route(
      req,
      (status, title, message, hosts) =>
        sendPage(req, res, {
          status,
          title,
          message,
          links: hosts ? hostLinks(req, hosts) : undefined,
          details: hosts ? { hosts } : undefined,
        }),
      (location) => {
        // 308 keeps the method and body, unlike 301/302.
        res.writeHead(308, { location, 'content-length': 0, 'x-portico': 'redirect' });
        res.end();
      },
    );
    if (!routed) return;
    routed.options.agent = routed.upstream.agent;
    proxy.web(req, res, routed.options, webErrorCallback);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', ignoreSocketError);
    // The upgrade is a separate socket http-proxy-3 pipes for us; no pooled agent here,
    // since the connection belongs to this WebSocket alone from the 101 on.
    const routed = route(
      req,
      (status, title, message) => writeRawStatus(socket, status, title, message),
      (location) => {
        socket.end(`HTTP/1.1 308 Permanent Redirect\r\nLocation: ${location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      },
    );
    if (!routed) return;
    proxy.ws(req, socket, head, routed.options, webErrorCallback);
  }

  /** CONNECT makes a forward-proxy tunnel; a reverse proxy has no business doing that. */
  function onConnect(_req: IncomingMessage, socket: Duplex): void {
    socket.on('error', ignoreSocketError);
    writeRawStatus(socket, 405, 'Method Not Allowed', 'Portico is a reverse proxy for your dev hosts; it does not open CONNECT tunnels.');
  }

  return { onRequest, onUpgrade, onConnect };
}
