// The request's way through the engine: request target → host → route → upstream →
// http-proxy-3, with our own passes around it. One proxy instance serves every route;
// the per-route bits travel in the per-call options.
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer, type ServerOptions } from 'http-proxy-3';
import type { HttpCache } from '../cache/http-cache.js';
import type { Config } from '../contract/index.js';
import type { ExchangeTap, Recorder } from './capture-tap.js';
import { addForwardedHeaders } from './forwarded.js';
import { hostnameOf } from './host.js';
import { cacheAfter, cacheBefore, type CacheTicket } from './cached-response.js';
import { fromBackend, respond } from './compress-response.js';
import type { CompressionPlan } from './compression.js';
import { dropHopByHopHeaders, hostLinks, isEncrypted, publicOrigin, resolveHost } from './incoming.js';
import { sendPage, writeRawStatus } from './pages.js';
import { framingRefusal } from './request-framing.js';
import { rewriteResponseHeaders } from './rewrite-response.js';
import type { Refusal, RequestKind, RoutePolicy } from './route-policy.js';
import type { RoutingTable } from './routing-table.js';
import { flatHeaders, tapStart } from './tap-start.js';
import { describeUpstreamError } from './upstream-errors.js';
import { ResponseDeadlines } from './response-deadlines.js';
import type { Upstream } from './upstreams.js';

/** What a request needs from the engine; swapped whole on a config change. */
export interface ProxyState {
  readonly table: RoutingTable;
  readonly timeouts: Config['timeouts'];
  /** Where HTTPS listens, for `https: "redirect"` routes; undefined without HTTPS. */
  readonly httpsPort?: number | undefined;
  readonly cache: HttpCache;
}

interface Routed extends IncomingMessage {
  // Set once routed, read by the response pass and the error page.
  porticoUpstream?: Upstream;
  porticoRouteHost?: string;
  porticoTimeouts?: Config['timeouts'];
  /** Set when the exchange is being recorded. */
  porticoTap?: ExchangeTap;
  /** A backend's response started (otherwise Portico answered itself). */
  porticoProxied?: true;
  /** Set on routes with compression on: the response is ours to write (selfHandleResponse). */
  porticoCompression?: CompressionPlan;
  /** Set on routes with the cache on, by the cache lookup. */
  porticoCache?: CacheTicket;
  /** The upstream request, while its response headers are awaited. */
  porticoProxyReq?: ClientRequest;
  /** The route's policies that edit the response head; unset when it has none. */
  porticoResponsePolicies?: readonly RoutePolicy[];
}

/** A client that vanishes mid-handshake is normal; its socket is already gone. */
function ignoreSocketError(): void {}

export type HealthListener = (change: { route: string; target: string; up: boolean; lastError?: string }) => void;

/** Failures that say the target itself is not there (not a slow or odd answer). */
const TARGET_DOWN = new Set(['connection refused', 'connect timeout', 'host unreachable', 'name not found']);

export function createProxyHandlers(getState: () => ProxyState, log: (line: string) => void, recorder?: Recorder, onHealth?: HealthListener) {
  const proxy = createProxyServer({ xfwd: false });
  const deadlines = new ResponseDeadlines();

  // Attached before any request can fail: an unhandled 'error' would kill the process.
  proxy.on('error', (err, req, res) => onProxyError(err as NodeJS.ErrnoException, req as Routed, res));

  // Headers must arrive within timeouts.responseMs of sending; once they do, a slow body
  // (a long download, server-sent events) is the backend's business, so the timer goes.
  proxy.on('proxyReq', (proxyReq, req, _res, _options, socket) => {
    const tap = (req as Routed).porticoTap;
    if (tap) {
      if (socket.connecting) socket.once('connect', () => tap.connected());
      else tap.connected(); // a pooled keep-alive socket
    }
    const ms = (req as Routed).porticoTimeouts?.responseMs;
    if (ms) {
      deadlines.watch(proxyReq, ms);
      (req as Routed).porticoProxyReq = proxyReq;
    }
  });

  proxy.on('proxyRes', (proxyRes, req, res) => {
    const proxyReq = (req as Routed).porticoProxyReq;
    if (proxyReq) deadlines.done(proxyReq);
    const tap = (req as Routed).porticoTap;
    if (tap) {
      (req as Routed).porticoProxied = true;
      tap.responseHead(proxyRes.statusCode ?? 0, proxyRes.rawHeaders);
      proxyRes.on('data', (chunk: Buffer) => tap.responseData(chunk));
    }
    // A backend that stops mid-body with a clean FIN must not leave the client waiting
    // for bytes that will never come: cut the client too, so it sees a broken response.
    proxyRes.once('close', () => {
      if (!proxyRes.complete) res.destroy();
    });
    const upstream = (req as Routed).porticoUpstream;
    if (upstream && !upstream.health.up) {
      upstream.health.up = true;
      onHealth?.({ route: (req as Routed).porticoRouteHost ?? '', target: upstream.url.origin, up: true });
    }
    const headers = proxyRes.headers;
    const policies = (req as Routed).porticoResponsePolicies;
    if (policies) for (const policy of policies) policy.response!(headers, proxyRes.statusCode ?? 0, req);
    if (upstream && (headers.location !== undefined || headers['set-cookie'] !== undefined)) {
      const hostname = hostnameOf(req.headers.host) ?? '';
      rewriteResponseHeaders(headers, upstream, { origin: publicOrigin(req), hostname });
    }
    const { porticoCompression: compression, porticoCache: ticket } = req as Routed;
    if (ticket) cacheAfter(req, res, proxyRes, ticket, compression, tap);
    else if (compression) respond(req, res, fromBackend(proxyRes), compression, tap);
  });

  function onProxyError(err: NodeJS.ErrnoException, req: Routed, res: ServerResponse | Duplex): void {
    const upstream = req.porticoUpstream;
    if (!upstream || !req.porticoTimeouts) {
      log(`proxy error before routing: ${err.message}`);
      if ('destroy' in res) res.destroy();
      return;
    }
    const failure = describeUpstreamError(err, upstream, req.porticoTimeouts);
    req.porticoTap?.failed(err.code ?? failure.cause, failure.advice);
    if (TARGET_DOWN.has(failure.cause) && (upstream.health.up || upstream.health.lastError !== failure.advice)) {
      upstream.health.up = false;
      upstream.health.lastError = failure.advice;
      onHealth?.({ route: req.porticoRouteHost ?? '', target: upstream.url.origin, up: false, lastError: failure.advice });
    }
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
  function route(req: Routed, kind: RequestKind, answer: (refusal: Refusal, hosts?: readonly string[]) => void, redirect: (location: string) => void) {
    const state = getState();
    const badFraming = framingRefusal(req);
    if (badFraming) {
      answer(badFraming);
      return undefined;
    }
    const resolved = resolveHost(req, state.table);
    if ('refuse' in resolved) {
      answer({ ...resolved.refuse, mark: resolved.refuse.title });
      return undefined;
    }
    const match = state.table.match(resolved.hostname, req.url ?? '/');
    if (!match) {
      const known = state.table.hosts.includes(resolved.hostname);
      const message = known
        ? `${resolved.hostname} has routes, but none whose path prefix covers ${req.url}.`
        : `No route is set up for ${resolved.hostname}.`;
      const title = known ? 'No route for this path' : 'Unknown host';
      answer({ status: 404, title, message, mark: title }, state.table.hosts);
      return undefined;
    }
    const encrypted = isEncrypted(req);
    const https = match.route.https;
    if (https === 'redirect' && !encrypted && state.httpsPort !== undefined) {
      redirect(`https://${resolved.hostname}${state.httpsPort === 443 ? '' : `:${state.httpsPort}`}${req.url ?? '/'}`);
      return undefined;
    }
    if (https === 'off' && encrypted) {
      const title = 'Not served over HTTPS';
      answer({ status: 404, title, mark: title, message: `${match.route.host} is set to plain HTTP only (its "https" option is "off").` });
      return undefined;
    }
    for (const policy of match.policies.request) {
      const refusal = policy.request!(req, kind);
      if (refusal) {
        answer(refusal);
        return undefined;
      }
    }
    if (match.policies.response.length > 0) req.porticoResponsePolicies = match.policies.response;
    const upstream = match.pick();
    req.porticoTap?.routed(match.route.host, upstream.url.origin);
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
    if (match.compression || match.cache) {
      options.selfHandleResponse = true;
      req.porticoCompression = match.compression;
    }
    return { options, upstream, cache: match.cache && { plan: match.cache, store: state.cache } };
  }

  /** Starts recording an exchange, when capture wants it. */
  function record(req: Routed, kind: 'http' | 'websocket'): ExchangeTap | undefined {
    const tap = recorder?.active ? recorder.begin(tapStart(req, kind)) : undefined;
    if (tap) req.porticoTap = tap;
    return tap;
  }

  function onRequest(req: Routed, res: ServerResponse): void {
    // HTTP/2 names the host in :authority; one place to read it from keeps the rest simple.
    if (req.headers.host === undefined && typeof req.headers[':authority'] === 'string') req.headers.host = req.headers[':authority'];
    const tap = record(req, 'http');
    if (tap) {
      // Same tick as the pipe to the backend below, so no chunk can slip past either.
      req.on('data', (chunk: Buffer) => tap.requestData(chunk));
      res.once('close', () => {
        if (!req.porticoProxied) tap.responseHead(res.statusCode, flatHeaders(res.getHeaders()));
        tap.finished();
      });
    }
    dropHopByHopHeaders(req);
    const routed = route(
      req,
      'http',
      (refusal, hosts) => {
        tap?.mark('portico', refusal.mark);
        sendPage(req, res, {
          status: refusal.status,
          title: refusal.title,
          message: refusal.message,
          headers: refusal.headers,
          links: hosts ? hostLinks(req, hosts) : undefined,
          details: hosts ? { hosts } : undefined,
        });
      },
      (location) => {
        tap?.mark('portico', 'redirect to HTTPS');
        // 308 keeps the method and body, unlike 301/302.
        res.writeHead(308, { location, 'content-length': 0, 'x-portico': 'redirect' });
        res.end();
      },
    );
    if (!routed) return;
    if (routed.cache) {
      const ticket = cacheBefore(req, res, routed.cache.store, routed.cache.plan, isEncrypted(req) ? 'https' : 'http', req.porticoCompression, tap);
      if (!ticket) return; // answered from the store
      req.porticoCache = ticket;
    }
    routed.options.agent = routed.upstream.agent;
    proxy.web(req, res, routed.options, webErrorCallback);
  }

  // A recorded WebSocket: once the backend says 101, tap both directions' raw bytes. The
  // taps go on at 'open', after http-proxy-3 has piped the sockets and put back the bytes
  // that rode in with the upgrade: tapping earlier would take those bytes from the client.
  const opening = new WeakMap<object, { tap: ExchangeTap; socket: Duplex }>();
  proxy.on('proxyReqWs', (proxyReq, req, socket) => {
    const tap = (req as Routed).porticoTap;
    if (!tap) return;
    proxyReq.once('upgrade', (proxyRes, proxySocket) => {
      tap.responseHead(proxyRes.statusCode ?? 101, proxyRes.rawHeaders);
      opening.set(proxySocket, { tap, socket });
    });
  });
  proxy.on('open', (proxySocket) => {
    const pending = opening.get(proxySocket);
    if (!pending) return;
    opening.delete(proxySocket);
    pending.socket.on('data', (chunk: Buffer) => pending.tap.wsClientData(chunk));
    proxySocket.on('data', (chunk: Buffer) => pending.tap.wsServerData(chunk));
  });

  function onUpgrade(req: Routed, socket: Duplex, head: Buffer): void {
    socket.on('error', ignoreSocketError);
    const tap = record(req, 'websocket');
    if (tap) socket.once('close', () => tap.finished());
    // The upgrade is a separate socket http-proxy-3 pipes for us; no pooled agent here,
    // since the connection belongs to this WebSocket alone from the 101 on.
    const routed = route(
      req,
      'websocket',
      (refusal) => {
        tap?.responseHead(refusal.status, []);
        tap?.mark('portico', refusal.mark);
        writeRawStatus(socket, refusal.status, refusal.title, refusal.message, refusal.headers);
      },
      (location) => {
        socket.end(`HTTP/1.1 308 Permanent Redirect\r\nLocation: ${location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      },
    );
    if (!routed) return;
    proxy.ws(req, socket, head, routed.options, webErrorCallback);
  }

  /** CONNECT makes a forward-proxy tunnel; a reverse proxy has no business doing that. */
  function onConnect(_req: IncomingMessage, socket: Duplex | ServerResponse): void {
    const message = 'Portico is a reverse proxy for your dev hosts; it does not open CONNECT tunnels.';
    // Over HTTP/2 a CONNECT is a stream with a response object, not a raw socket.
    if ('writeHead' in socket) {
      socket.writeHead(405, { 'content-type': 'text/plain; charset=utf-8' });
      socket.end(message + '\n');
      return;
    }
    socket.on('error', ignoreSocketError);
    writeRawStatus(socket, 405, 'Method Not Allowed', message);
  }

  return { onRequest, onUpgrade, onConnect };
}
