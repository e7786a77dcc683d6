// The request's way through the engine: request target → host → route → upstream →
// http-proxy-3, with our own passes around it. One proxy instance serves every route;
// the per-route bits travel in the per-call options. Which backend a request goes to, and
// whether it goes at all, is decided in route-request.ts; this file sends and answers.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { REPLAY_HEADER } from '../contract/index.js';
import type { HealthListener } from './balance/health.js';
import type { ConnectionReprobes } from './balance/reprobe.js';
import { mayRetry } from './balance/retry.js';
import type { ExchangeTap, Recorder } from './capture-tap.js';
import { hostnameOf } from './host.js';
import { clientErrorHandler } from './client-errors.js';
import { onClientGone } from './client-gone.js';
import { tlsErrorHandler } from './tls-errors.js';
import { lastQueued, queueFull, queuedCount } from './upstream-queue.js';
import { BackgroundRevalidations } from './background-revalidation.js';
import { cacheAfter, cacheBefore, serveStale, type StaleServed } from './cached-response.js';
import { fromBackend, respond } from './compress-response.js';
import { dropHopByHopHeaders, hostLinks, isEncrypted, publicOrigin } from './incoming.js';
import { sendPage, writeRawStatus } from './pages.js';
import { rewriteResponseHeaders } from './rewrite-response.js';
import { routeRequest, type Prepared, type ProxyState, type Routed } from './route-request.js';
import { sentRequestHead, sentResponseHead } from './sent-heads.js';
import { flatHeaders, tapStart } from './tap-start.js';
import { describeUpstreamError } from './upstream-errors.js';
import { dropConnectionSpecific, isSendableStatus } from './backend-head.js';
import { ResponseDeadlines } from './response-deadlines.js';
import { afterLatency, holdRequestBody, throttleWebSocket, type ThrottlePlan } from './throttle.js';

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
  else if (tap.clientResponseHead) {
    const sent = sentResponseHead(this);
    if (sent) tap.clientResponseHead(sent);
  }
  tap.finished();
}

export type { HealthListener, ProxyState };

/** Failures that say the target itself is not there (not a slow or odd answer). */
const TARGET_DOWN = new Set(['connection refused', 'connect timeout', 'host unreachable', 'name not found']);

export function createProxyHandlers(
  getState: () => ProxyState,
  log: (line: string) => void,
  recorder?: Recorder,
  onHealth?: HealthListener,
  reprobes?: ConnectionReprobes,
) {
  const proxy = createProxyServer({ xfwd: false });
  const deadlines = new ResponseDeadlines();
  const revalidations = new BackgroundRevalidations(log);

  // Attached before any request can fail: an unhandled 'error' would kill the process.
  proxy.on('error', (err, req, res) => onProxyError(err as NodeJS.ErrnoException, req as Routed, res));

  // Headers must arrive within timeouts.responseMs of sending; once they do, a slow body
  // (a long download, server-sent events) is the backend's business, so the timer goes.
  proxy.on('proxyReq', (proxyReq, req, _res, _options, socket) => {
    // A request that waited in the pool for a socket while its client left: its headers
    // are not written yet, and now never will be.
    if ((req as Routed).porticoClientGone) {
      proxyReq.destroy();
      return;
    }
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
    if (!isSendableStatus(proxyRes.statusCode)) return refuseBadStatus(proxyRes, req as Routed, res);
    const tap = (req as Routed).porticoTap;
    if (tap) {
      (req as Routed).porticoProxied = true;
      if (proxyReq && tap.backendRequestHead) {
        const sent = sentRequestHead(proxyReq);
        if (sent) tap.backendRequestHead(sent);
      }
      tap.responseHead(proxyRes.statusCode ?? 0, proxyRes.rawHeaders);
      proxyRes.on('data', (chunk: Buffer) => tap.responseData(chunk));
    }
    (proxyRes as BackendResponse).porticoClient = res;
    proxyRes.on('close', cutClientIfIncomplete);
    const upstream = (req as Routed).porticoUpstream;
    if (upstream && !upstream.health.up && upstream.health.answered(Date.now())) {
      onHealth?.({ route: (req as Routed).porticoRouteHost ?? '', target: upstream.origin, up: true });
    }
    editResponseHead(req as Routed, proxyRes.headers, proxyRes.statusCode);
    // After the route's own edits, so a header rule cannot put one back either.
    if (req.httpVersionMajor === 2) dropConnectionSpecific(proxyRes.headers);
    const { porticoCompression: compression, porticoCache: ticket, porticoThrottle: throttle } = req as Routed;
    if (ticket) cacheAfter(req, res, proxyRes, ticket, compression, tap);
    else if (compression || throttle?.downBytes !== undefined) respond(req, res, fromBackend(proxyRes), compression, tap);
  });

  /** A status Node cannot send on (it would throw mid-pipe): 502, and the backend's answer dropped. */
  function refuseBadStatus(proxyRes: IncomingMessage, req: Routed, res: ServerResponse): void {
    const upstream = req.porticoUpstream;
    const status = String(proxyRes.statusCode);
    proxyRes.destroy();
    req.porticoTap?.mark('portico', `backend answered status ${status}`);
    log(`502 ${req.method} ${req.headers.host ?? ''}${req.url ?? ''} → ${upstream?.address ?? '?'}: status ${status}`);
    sendPage(req, res, {
      status: 502,
      title: 'Bad Gateway',
      message: `${req.porticoRouteHost} → ${upstream?.origin}: the backend answered with status ${status}, which is not an HTTP status (100–599).`,
      details: { route: req.porticoRouteHost, target: upstream?.origin, cause: 'invalid status' },
    });
  }

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
    if (req.porticoClientGone) return; // cut off because the client left; recorded as cancelled
    if (req.porticoWsOpen) return; // an open WebSocket that ended: its record says who closed it
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
    if (TARGET_DOWN.has(failure.cause) && !upstream.health.up) reprobes?.watch(upstream, req.porticoRouteHost ?? '');
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
    req.porticoOptions = { ...req.porticoOptions, target: next.url, agent: next.agent };
    proxy.web(req, res, req.porticoOptions, webErrorCallback);
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

  /** Starts recording an exchange, when capture wants it. */
  function record(req: Routed, kind: 'http' | 'websocket'): ExchangeTap | undefined {
    const tap = recorder?.active ? recorder.begin(tapStart(req, kind)) : undefined;
    if (tap) {
      req.porticoTap = tap;
      const replayOf = req.headers[REPLAY_HEADER];
      if (typeof replayOf === 'string') tap.mark('replay', `of ${replayOf}`);
    }
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
    onClientGone(res, () => clientLeft(req));
    dropHopByHopHeaders(req);
    const routed = routeRequest(
      getState(),
      req,
      'http',
      (refusal, hosts) => {
        tap?.mark('portico', refusal.mark);
        sendPage(req, res, {
          status: refusal.status,
          title: refusal.title,
          message: refusal.message,
          headers: refusal.headers,
          links: hosts ? hostLinks(req, hosts, getState().table.linkPaths) : undefined,
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

  /**
   * The client reset its stream or closed its connection before the answer was complete:
   * the upstream request goes (and with it the backend response and every pipe behind
   * it: encoder, throttle, cache writer), and whatever still waits (routing, latency, a
   * socket from the pool) sees the flag and sends nothing.
   */
  function clientLeft(req: Routed): void {
    req.porticoClientGone = true;
    req.porticoProxyReq?.destroy();
    const tap = req.porticoTap;
    if (tap) {
      tap.mark('cancelled', 'cancelled by the client');
      tap.failed('CANCELLED', 'cancelled by the client');
    }
  }

  /** Throttling's latency and held body, then on to the backend. */
  function send(req: Routed, res: ServerResponse, routed: Prepared, tap: ExchangeTap | undefined): void {
    req.porticoBalance?.releaseOn(res);
    const throttle = routed.throttle;
    if (!throttle) return forward(req, res, routed, tap);
    const body = holdRequestBody(req, throttle);
    // The options object is shared by every request on the route: this body gets a copy.
    if (body) routed.options = { ...routed.options, buffer: body };
    afterLatency(throttle, res, () => {
      if (req.porticoClientGone) return;
      if (throttle.latencyMs > 0) tap?.throttled?.();
      forward(req, res, routed, tap);
    });
  }

  /** The cache lookup, then the backend. */
  function forward(req: Routed, res: ServerResponse, routed: Prepared, tap: ExchangeTap | undefined): void {
    if (req.porticoClientGone) return;
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
    const waiting = queueFull(routed.upstream);
    if (waiting !== undefined) {
      tap?.mark('portico', `${waiting} requests already waiting for ${routed.upstream.address}`);
      log(`503 ${req.method} ${req.headers.host ?? ''}${req.url ?? ''} → ${routed.upstream.address}: ${waiting} requests waiting`);
      sendPage(req, res, {
        status: 503,
        title: 'Service Unavailable',
        message: `Portico has ${waiting} requests waiting for ${routed.upstream.address} (every one of its ${routed.upstream.agent.maxSockets} connections is busy). The dev server is not answering fast enough, or requests it never ends are holding its connections.`,
        headers: { 'retry-after': 1 },
        details: { route: req.porticoRouteHost, target: routed.upstream.origin, waiting },
      });
      return;
    }
    const queuedBefore = queuedCount(routed.upstream);
    proxy.web(req, res, routed.options, webErrorCallback);
    req.porticoProxyReq ??= lastQueued(routed.upstream, queuedBefore);
  }

  // A recorded WebSocket: once the backend says 101, tap both directions' raw bytes. The
  // taps go on at 'open', after http-proxy-3 has piped the sockets and put back the bytes
  // that rode in with the upgrade: tapping earlier would take those bytes from the client.
  const opening = new WeakMap<object, { tap: ExchangeTap; socket: Duplex }>();
  // Once the backend said 101, the WebSocket belongs to its two ends: a close by either
  // (a tab closed, a page left, a dev server restarting) is a normal end, not a 502.
  proxy.on('proxyReqWs', (proxyReq, req, socket) => {
    proxyReq.once('upgrade', (_proxyRes, proxySocket: Duplex) => {
      (req as Routed).porticoWsOpen = true;
      const tap = (req as Routed).porticoTap;
      let reported = false;
      const gone = (side: 'client' | 'server') => () => {
        if (reported) return;
        reported = true;
        tap?.wsClosed?.(side);
      };
      socket.once('end', gone('client'));
      socket.once('close', gone('client'));
      proxySocket.once('end', gone('server'));
      proxySocket.once('close', gone('server'));
    });
  });
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
    const routed = routeRequest(
      getState(),
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

  return { onRequest, onUpgrade, onConnect, onClientError: clientErrorHandler(recorder, log), onTlsError: tlsErrorHandler(recorder) };
}
