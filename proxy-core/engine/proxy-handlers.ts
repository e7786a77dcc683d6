// The request's way through the engine: request target → host → route → upstream →
// http-proxy-3, with our own passes around it. One proxy instance serves every route;
// the per-route bits travel in the per-call options.
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer, type ServerOptions } from 'http-proxy-3';
import type { HttpCache } from '../cache/http-cache.js';
import type { Config } from '../contract/index.js';
import type { HealthListener } from './balance/health.js';
import { InFlight } from './balance/in-flight.js';
import { mayRetry } from './balance/retry.js';
import type { ExchangeTap, Recorder } from './capture-tap.js';
import { addForwardedHeaders } from './forwarded.js';
import { hostnameOf } from './host.js';
import { clientErrorHandler } from './client-errors.js';
import { BackgroundRevalidations } from './background-revalidation.js';
import { cacheAfter, cacheBefore, serveStale, type CacheTicket, type StaleServed } from './cached-response.js';
import { fromBackend, respond } from './compress-response.js';
import type { CompressionPlan } from './compression.js';
import { dropHopByHopHeaders, hostLinks, isEncrypted, publicOrigin, resolveHost } from './incoming.js';
import { lanRefusal, type LanGate, type LanOrigin } from './lan-access.js';
import { sendPage, writeRawStatus } from './pages.js';
import { framingRefusal } from './request-framing.js';
import { rewriteResponseHeaders } from './rewrite-response.js';
import type { Refusal, RequestKind, RoutePolicy } from './route-policy.js';
import { runRequestPolicies } from './route-policies.js';
import type { RouteMatch, RoutingTable } from './routing-table.js';
import { flatHeaders, tapStart } from './tap-start.js';
import { describeUpstreamError } from './upstream-errors.js';
import { ResponseDeadlines } from './response-deadlines.js';
import { afterLatency, holdRequestBody, throttleWebSocket, type ThrottlePlan } from './throttle.js';
import type { Upstream } from './upstreams.js';

/** What a request needs from the engine; swapped whole on a config change. */
export interface ProxyState {
  readonly table: RoutingTable;
  readonly timeouts: Config['timeouts'];
  /** Where HTTPS listens, for `https: "redirect"` routes; undefined without HTTPS. */
  readonly httpsPort?: number | undefined;
  readonly cache: HttpCache;
  /** LAN sharing's switch and token; undefined when the engine has no token (sharing impossible). */
  readonly lan?: LanGate | undefined;
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
  /** Set on routes with several targets: the in-flight count and the one retry. */
  porticoBalance?: InFlight;
  /** Set on throttled routes; the response writer paces its bytes by it (throttle.ts). */
  porticoThrottle?: ThrottlePlan;
  /** A policy refused the request after it went to the backend (a body over the limit). */
  porticoRefused?: true;
  /** What the request was sent to the backend with, for sending it again. */
  porticoOptions?: ServerOptions;
  /** Sent again once already, after a pooled connection turned out closed. */
  porticoResent?: true;
  /** Set by the LAN listeners (and wildcard binds) on requests from other devices. */
  porticoLan?: LanOrigin;
}

/** A client that vanishes mid-handshake is normal; its socket is already gone. */
function ignoreSocketError(): void {}

/** A backend's response, knowing the client response it feeds. */
interface BackendResponse extends IncomingMessage {
  porticoClient?: ServerResponse;
}

/**
 * A backend that stops mid-body with a clean FIN must not leave the client waiting for
 * bytes that will never come: cut the client too, so it sees a broken response.
 * (One shared listener; the client rides on the backend response.)
 */
function cutClientIfIncomplete(this: BackendResponse): void {
  if (!this.complete) this.porticoClient?.destroy();
}

// Listeners shared by every recorded request (the tap rides on the request), rather
// than two fresh closures per request.
function tapRequestData(this: Routed, chunk: Buffer): void {
  this.porticoTap!.requestData(chunk);
}
function tapFinished(this: ServerResponse): void {
  const req = this.req as Routed;
  const tap = req.porticoTap!;
  if (!req.porticoProxied) tap.responseHead(this.statusCode, flatHeaders(this.getHeaders()));
  tap.finished();
}

export type { HealthListener };

/** Failures that say the target itself is not there (not a slow or odd answer). */
const TARGET_DOWN = new Set(['connection refused', 'connect timeout', 'host unreachable', 'name not found']);

export function createProxyHandlers(getState: () => ProxyState, log: (line: string) => void, recorder?: Recorder, onHealth?: HealthListener) {
  const proxy = createProxyServer({ xfwd: false });
  const deadlines = new ResponseDeadlines();
  const revalidations = new BackgroundRevalidations(log);

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
    (req as Routed).porticoProxyReq = proxyReq; // also what a late refusal cuts off
    if (ms) deadlines.watch(proxyReq, ms);
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
    (proxyRes as BackendResponse).porticoClient = res;
    proxyRes.on('close', cutClientIfIncomplete);
    const upstream = (req as Routed).porticoUpstream;
    if (upstream && !upstream.health.up && upstream.health.answered(Date.now())) {
      onHealth?.({ route: (req as Routed).porticoRouteHost ?? '', target: upstream.origin, up: true });
    }
    editResponseHead(req as Routed, proxyRes.headers, proxyRes.statusCode ?? 0);
    const { porticoCompression: compression, porticoCache: ticket, porticoThrottle: throttle } = req as Routed;
    if (ticket) cacheAfter(req, res, proxyRes, ticket, compression, tap);
    else if (compression || throttle?.downBytes !== undefined) respond(req, res, fromBackend(proxyRes), compression, tap);
  });

  /** The route's edits to a backend's response head; also applied to a background revalidation's. */
  function editResponseHead(req: Routed, headers: IncomingHttpHeaders, status: number): void {
    const policies = req.porticoResponsePolicies;
    if (policies) for (const policy of policies) policy.response!(headers, status, req);
    const upstream = req.porticoUpstream;
    if (upstream && (headers.location !== undefined || headers['set-cookie'] !== undefined)) {
      const hostname = hostnameOf(req.headers.host) ?? '';
      rewriteResponseHeaders(headers, upstream, { origin: publicOrigin(req), hostname });
    }
  }

  function onProxyError(err: NodeJS.ErrnoException, req: Routed, res: ServerResponse | Duplex): void {
    if (req.porticoRefused) return; // the backend was cut off on purpose; the client has its answer
    const upstream = req.porticoUpstream;
    if (!upstream || !req.porticoTimeouts) {
      log(`proxy error before routing: ${err.message}`);
      if ('destroy' in res) res.destroy();
      return;
    }
    const failure = describeUpstreamError(err, upstream, req.porticoTimeouts);
    if (TARGET_DOWN.has(failure.cause) && upstream.health.connectionFailed(failure.advice, Date.now())) {
      onHealth?.({ route: req.porticoRouteHost ?? '', target: upstream.origin, up: false, lastError: failure.advice });
    }
    if (resendOnFreshSocket(err, req, res)) return;
    if (retryElsewhere(err, req, res, failure.cause)) return;
    req.porticoTap?.failed(err.code ?? failure.cause, failure.advice);
    log(`${failure.status} ${req.method} ${req.headers.host ?? ''}${req.url ?? ''} → ${upstream.address}: ${failure.cause}`);
    if (!('writeHead' in res)) {
      // A WebSocket upgrade: the socket is still raw HTTP until the backend said 101.
      if (!res.destroyed) writeRawStatus(res, failure.status, failure.status === 504 ? 'Gateway Timeout' : 'Bad Gateway', failure.advice);
      return;
    }
    if (req.porticoCache && serveStale(req, res, req.porticoCache, req.porticoCompression, req.porticoTap)) return;
    sendPage(req, res, {
      status: failure.status,
      title: failure.status === 504 ? 'Gateway Timeout' : 'Bad Gateway',
      message: `${req.porticoRouteHost} → ${upstream.origin}: ${failure.advice}`,
      details: { route: req.porticoRouteHost, target: upstream.origin, cause: failure.cause },
    });
  }

  /**
   * One more try on another target that is up, when the rule in balance/retry.ts allows it
   * and the client has been sent nothing yet. WebSocket upgrades are not retried:
   * http-proxy-3 ends the client socket right after reporting the error.
   */
  function retryElsewhere(err: NodeJS.ErrnoException, req: Routed, res: ServerResponse | Duplex, cause: string): boolean {
    const balance = req.porticoBalance;
    const failed = req.porticoUpstream;
    if (!balance || balance.retried || !failed || !('writeHead' in res) || res.headersSent || res.destroyed) return false;
    if (!mayRetry(err.code, req.method, req.readableDidRead)) return false;
    const next = balance.match.retryTarget(failed);
    if (!next) return false;
    balance.retried = true;
    balance.moveTo(next);
    req.porticoUpstream = next;
    req.porticoTap?.mark('retry', `${failed.origin}: ${cause}; sent to ${next.origin}`);
    req.porticoTap?.routed(req.porticoRouteHost ?? '', next.origin);
    log(`retry ${req.method} ${req.headers.host ?? ''}${req.url ?? ''}: ${failed.address} ${cause} → ${next.address}`);
    proxy.web(req, res, { ...balance.options, target: next.url, agent: next.agent }, webErrorCallback);
    return true;
  }

  /**
   * A keep-alive connection the backend closed while it sat idle in the pool (Node's
   * servers do so after 5 s) fails the request sent on it the moment it is reused: the
   * race Node documents for `reusedSocket`. The request goes once more, to the same
   * target, under the same rule as a retry elsewhere (balance/retry.ts) — a dev server
   * restarting between two page loads must not show a 502.
   */
  function resendOnFreshSocket(err: NodeJS.ErrnoException, req: Routed, res: ServerResponse | Duplex): boolean {
    const options = req.porticoOptions;
    if (!req.porticoProxyReq?.reusedSocket || req.porticoResent || !options || !('writeHead' in res) || res.headersSent || res.destroyed) return false;
    if (!mayRetry(err.code, req.method, req.readableDidRead)) return false;
    req.porticoResent = true;
    req.porticoTap?.mark('retry', 'the pooled connection had been closed by the backend; sent again');
    proxy.web(req, res, options, webErrorCallback);
    return true;
  }

  const webErrorCallback = (err: Error, req: IncomingMessage, res: ServerResponse | Duplex) =>
    onProxyError(err as NodeJS.ErrnoException, req as Routed, res);

  /**
   * Routes the request and prepares it for http-proxy-3; undefined when it was answered
   * here. A promise when a policy has slow work to do first (a new Basic-auth credential):
   * the request's body is held back until then, and the caller goes on when it settles.
   */
  function route(req: Routed, kind: RequestKind, answer: (refusal: Refusal, hosts?: readonly string[]) => void, redirect: (location: string) => void) {
    const state = getState();
    const badFraming = framingRefusal(req);
    if (badFraming) {
      answer(badFraming);
      return undefined;
    }
    const resolved = resolveHost(req, state.table);
    if (typeof resolved !== 'string') {
      answer({ ...resolved.refuse, mark: resolved.refuse.title });
      return undefined;
    }
    // From another device: a LAN listener names the host by its port; then the LAN gate,
    // before anything (even the unknown-host page's host list) is shown. From this machine
    // this costs the one comparison.
    const lan = req.porticoLan;
    const match = state.table.match(lan?.host ?? resolved, req.url ?? '/');
    if (lan !== undefined) {
      const refusal = lanRefusal(req, match?.route, state.lan, kind);
      if (refusal) {
        answer(refusal);
        return undefined;
      }
      req.porticoTap?.mark('lan', `shared with ${req.socket.remoteAddress ?? 'a LAN device'}`);
    }
    if (!match) {
      const known = state.table.hosts.includes(resolved);
      const message = known
        ? `${resolved} has routes, but none whose path prefix covers ${req.url}.`
        : `No route is set up for ${resolved}.`;
      const title = known ? 'No route for this path' : 'Unknown host';
      answer({ status: 404, title, message, mark: title }, state.table.hosts);
      return undefined;
    }
    const encrypted = isEncrypted(req);
    const https = match.route.https;
    // LAN listeners are plain HTTP (see lan-listeners.ts): no redirect to an HTTPS they lack.
    if (https === 'redirect' && !encrypted && state.httpsPort !== undefined && lan?.host === undefined) {
      redirect(`https://${resolved}${state.httpsPort === 443 ? '' : `:${state.httpsPort}`}${req.url ?? '/'}`);
      return undefined;
    }
    if (https === 'off' && encrypted) {
      const title = 'Not served over HTTPS';
      answer({ status: 404, title, mark: title, message: `${match.route.host} is set to plain HTTP only (its "https" option is "off").` });
      return undefined;
    }
    const verdict = runRequestPolicies(match.policies.request, req, kind, req.porticoTap);
    if (verdict instanceof Promise) {
      // Held until the verdict; the pipe to the backend resumes it.
      req.pause();
      return verdict.then(
        (refusal) => (refusal ? void answer(refusal) : prepare(req, kind, match, state, encrypted, resolved, answer)),
        (error: Error) => void answer({ status: 500, title: 'Policy failed', message: `Portico could not check this request: ${error.message}`, mark: `policy failed: ${error.message}` }),
      );
    }
    if (verdict) {
      answer(verdict);
      return undefined;
    }
    return prepare(req, kind, match, state, encrypted, resolved, answer);
  }

  /** The request passed every policy: pick the backend and build what http-proxy-3 needs. */
  function prepare(req: Routed, kind: RequestKind, match: RouteMatch, state: ProxyState, encrypted: boolean, resolved: string, answer: (refusal: Refusal) => void) {
    if (match.policies.response.length > 0) req.porticoResponsePolicies = match.policies.response;
    if (kind === 'http') for (const policy of match.policies.watch) policy.watch!(req, (refusal) => refuseLate(req, refusal, answer));
    const upstream = match.pick();
    req.porticoTap?.routed(match.route.host, upstream.origin);
    req.porticoUpstream = upstream;
    req.porticoRouteHost = match.route.host;
    req.porticoTimeouts = state.timeouts;
    addForwardedHeaders(req.headers, {
      remoteAddress: req.socket.remoteAddress,
      encrypted,
      host: req.headers.host ?? resolved,
      localPort: req.socket.localPort,
    });
    const options = match.proxyOptions(upstream, state.timeouts.connectMs);
    if (match.compression) req.porticoCompression = match.compression;
    if (match.upstreams.length > 1) req.porticoBalance = new InFlight(match, options, upstream);
    const throttle = match.throttle;
    if (throttle) {
      req.porticoThrottle = throttle;
      req.porticoTap?.mark('throttle', throttle.label);
    }
    return { options, upstream, throttle, cache: match.cache && { plan: match.cache, store: state.cache } };
  }
  type Prepared = ReturnType<typeof prepare>;

  /** A refusal while the body streams: stop feeding the backend, then answer (answer() cuts the connection if a response began). */
  function refuseLate(req: Routed, refusal: Refusal, answer: (refusal: Refusal) => void): void {
    if (req.porticoRefused) return;
    req.porticoRefused = true;
    req.unpipe();
    req.porticoProxyReq?.destroy();
    answer(refusal);
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
      req.on('data', tapRequestData);
      res.on('close', tapFinished);
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
    if (routed instanceof Promise) {
      void routed.then((ready) => ready && !res.destroyed && send(req, res, ready, tap));
      return;
    }
    if (routed) send(req, res, routed, tap);
  }

  /** Throttling's latency and held body, then on to the backend. */
  function send(req: Routed, res: ServerResponse, routed: Prepared, tap: ExchangeTap | undefined): void {
    req.porticoBalance?.releaseOn(res);
    const throttle = routed.throttle;
    if (!throttle) return forward(req, res, routed, tap);
    const body = holdRequestBody(req, throttle);
    // The options object is shared by every request on the route: this body gets a copy.
    if (body) routed.options = { ...routed.options, buffer: body };
    afterLatency(throttle, res, () => forward(req, res, routed, tap));
  }

  /** The cache lookup, then the backend. */
  function forward(req: Routed, res: ServerResponse, routed: Prepared, tap: ExchangeTap | undefined): void {
    if (routed.cache) {
      const refresh = (stale: StaleServed) =>
        revalidations.start(stale, {
          upstream: routed.upstream,
          changeOrigin: routed.options.changeOrigin,
          deadlineMs: getState().timeouts.connectMs + getState().timeouts.responseMs,
          editHead: (headers, status) => editResponseHead(req, headers, status),
        });
      const ticket = cacheBefore(req, res, routed.cache.store, routed.cache.plan, isEncrypted(req) ? 'https' : 'http', req.porticoCompression, tap, refresh);
      if (!ticket) return; // answered from the store
      req.porticoCache = ticket;
    }
    req.porticoOptions = routed.options;
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
  // A throttled WebSocket: its pipes are rerouted through token buckets once open.
  const throttling = new WeakMap<object, { plan: ThrottlePlan; socket: Duplex }>();
  proxy.on('proxyReqWs', (proxyReq, req, socket) => {
    const plan = (req as Routed).porticoThrottle;
    if (plan && (plan.downBytes !== undefined || plan.upBytes !== undefined)) {
      proxyReq.once('upgrade', (_proxyRes, proxySocket) => throttling.set(proxySocket, { plan, socket }));
    }
  });
  proxy.on('open', (proxySocket) => {
    const throttled = throttling.get(proxySocket);
    if (throttled) throttleWebSocket(proxySocket, throttled.socket, throttled.plan);
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
    if (routed instanceof Promise) {
      void routed.then((ready) => ready && !socket.destroyed && upgrade(req, socket, head, ready));
      return;
    }
    if (routed) upgrade(req, socket, head, routed);
  }

  function upgrade(req: Routed, socket: Duplex, head: Buffer, routed: Prepared): void {
    req.porticoBalance?.releaseOn(socket);
    const options = { ...routed.options, agent: undefined };
    if (routed.throttle) afterLatency(routed.throttle, socket, () => proxy.ws(req, socket, head, options, webErrorCallback));
    else proxy.ws(req, socket, head, options, webErrorCallback);
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

  return { onRequest, onUpgrade, onConnect, onClientError: clientErrorHandler(recorder, log) };
}
