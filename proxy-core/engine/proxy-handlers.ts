// The request's way through the engine: request target → host → route → upstream →
// http-proxy-3, with our own passes around it. One proxy instance serves every route;
// the per-route bits travel in the per-call options. Which backend a request goes to, and
// whether it goes at all, is decided in route-request.ts; this file sends and answers.
import type { ClientRequest, IncomingMessage, InformationEvent, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer, type ServerOptions } from 'http-proxy-3';
import { REPLAY_HEADER } from '../contract/index.js';
import type { ExchangeTap, Recorder } from './capture/capture-tap.js';
import { sentRequestHead, sentResponseHead } from './capture/sent-heads.js';
import { flatHeaders, tapStart } from './capture/tap-start.js';
import { Exchange, exchangeOf, linkBackendResponse } from './exchange-state.js';
import { clientErrorHandler } from './http/client-errors.js';
import { onClientGone } from './http/client-gone.js';
import { forwardInterim } from './http/interim.js';
import { dropHopByHopHeaders, hostLinks } from './http/incoming.js';
import { sendPage, writeRawStatus } from './http/pages.js';
import { tlsErrorHandler } from './http/tls-errors.js';
import type { LanOrigin } from './lan/lan-access.js';
import { fromBackend, writeResponse } from './respond.js';
import { routeRequest, type ProxyState } from './route-request.js';
import { runBeforeForward, runResponseStages } from './stages.js';
import { backendFailures } from './upstream/backend-failures.js';
import { dropConnectionSpecific, isSendableStatus } from './upstream/backend-head.js';
import type { HealthListener } from './upstream/health-record.js';
import type { ConnectionReprobes } from './upstream/reprobe.js';
import { ResponseDeadlines } from './upstream/response-deadlines.js';
import { lastQueued, queueFull, queuedCount } from './upstream/upstream-queue.js';

/** A client that vanishes mid-handshake is normal; its socket is already gone. */
function ignoreSocketError(): void {}

/**
 * A backend that stops mid-body with a clean FIN must not leave the client waiting for
 * bytes that will never come: cut the client too, so it sees a broken response.
 * (One shared listener; the backend response is linked to its exchange.)
 */
function cutClientIfIncomplete(this: IncomingMessage): void {
  if (!this.complete) exchangeOf(this)?.client.destroy();
}

/** A backend's 1xx, on to the client of the exchange its request belongs to. */
function forwardInterimOf(this: ClientRequest, info: InformationEvent): void {
  const ex = exchangeOf(this);
  if (ex && forwardInterim(ex.res, info)) ex.tap?.mark('interim', `${info.statusCode} forwarded`);
}

// Listeners shared by every recorded request (the tap rides on the exchange), rather
// than two fresh closures per request.
function tapRequestData(this: IncomingMessage, chunk: Buffer): void {
  exchangeOf(this)!.tap!.requestData(chunk);
}
function tapResponseData(this: IncomingMessage, chunk: Buffer): void {
  exchangeOf(this)!.tap!.responseData(chunk);
}
/**
 * An HTTP/1 request has a body only when it says so (Content-Length or Transfer-Encoding);
 * without either, a `data` listener would wait for nothing. HTTP/2 may send one unannounced.
 */
const mayHaveBody = (req: IncomingMessage) =>
  req.httpVersionMajor !== 1 || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
function tapFinished(this: ServerResponse): void {
  const ex = exchangeOf(this.req)!;
  const tap = ex.tap!;
  if (!ex.proxied) tap.responseHead(this.statusCode, flatHeaders(this.getHeaders()));
  else if (tap.clientResponseHead) {
    const sent = sentResponseHead(this);
    if (sent) tap.clientResponseHead(sent);
  }
  tap.finished();
}

export type { HealthListener, ProxyState };

export function createProxyHandlers(
  getState: () => ProxyState,
  log: (line: string) => void,
  recorder?: Recorder,
  onHealth?: HealthListener,
  reprobes?: ConnectionReprobes,
) {
  const proxy = createProxyServer({ xfwd: false });
  const deadlines = new ResponseDeadlines();

  // Attached before any request can fail: an unhandled 'error' would kill the process.
  const webErrorCallback = backendFailures(proxy, log, onHealth, reprobes);
  proxy.on('error', webErrorCallback);

  // Headers must arrive within timeouts.responseMs of sending; once they do, a slow body
  // (a long download, server-sent events) is the backend's business, so the timer goes.
  proxy.on('proxyReq', (proxyReq, req, _res, _options, socket) => {
    const ex = exchangeOf(req);
    if (!ex) return;
    // A request that waited in the pool for a socket while its client left: its headers
    // are not written yet, and now never will be.
    if (ex.clientGone) {
      proxyReq.destroy();
      return;
    }
    const tap = ex.tap;
    if (tap) {
      if (socket.connecting) socket.once('connect', () => tap.connected());
      else tap.connected(); // a pooled keep-alive socket
    }
    const ms = ex.timeouts?.responseMs;
    ex.proxyReq = proxyReq; // also what a late refusal cuts off
    if (ex.kind === 'http') {
      linkBackendResponse(proxyReq, ex);
      proxyReq.on('information', forwardInterimOf);
    }
    if (ms) deadlines.watch(proxyReq, ms);
  });

  proxy.on('proxyRes', (proxyRes, req, res) => {
    const ex = exchangeOf(req);
    if (!ex) return;
    if (ex.proxyReq) deadlines.done(ex.proxyReq);
    if (!isSendableStatus(proxyRes.statusCode)) return refuseBadStatus(proxyRes, ex, res);
    linkBackendResponse(proxyRes, ex);
    const tap = ex.tap;
    if (tap) {
      ex.proxied = true;
      if (ex.proxyReq && tap.backendRequestHead) {
        const sent = sentRequestHead(ex.proxyReq);
        if (sent) tap.backendRequestHead(sent);
      }
      tap.responseHead(proxyRes.statusCode ?? 0, proxyRes.rawHeaders);
      proxyRes.on('data', tapResponseData);
    }
    ex.backendResponse = proxyRes;
    proxyRes.on('close', cutClientIfIncomplete);
    const upstream = ex.upstream;
    if (upstream && !upstream.health.up && upstream.health.answered(Date.now())) {
      onHealth?.({ route: ex.route?.route.host ?? '', target: upstream.origin, up: true });
    }
    const stages = ex.route?.stages;
    if (!stages) return;
    const status = proxyRes.statusCode;
    for (const stage of stages.responseHead) stage.responseHead!(ex, proxyRes.headers, status);
    // After the route's own edits, so a header rule cannot put one back either.
    if (req.httpVersionMajor === 2) dropConnectionSpecific(proxyRes.headers);
    if (!stages.writesResponse) return; // http-proxy-3 writes it
    runResponseStages(stages.response, ex, fromBackend(proxyRes), (out) => writeResponse(ex, out));
  });

  /** A status Node cannot send on (it would throw mid-pipe): 502, and the backend's answer dropped. */
  function refuseBadStatus(proxyRes: IncomingMessage, ex: Exchange, res: ServerResponse): void {
    const { req, upstream } = ex;
    const routeHost = ex.route?.route.host;
    const status = String(proxyRes.statusCode);
    proxyRes.destroy();
    ex.tap?.mark('portico', `backend answered status ${status}`);
    log(`502 ${req.method} ${req.headers.host ?? ''}${req.url ?? ''} → ${upstream?.address ?? '?'}: status ${status}`);
    sendPage(req, res, {
      status: 502,
      title: 'Bad Gateway',
      message: `${routeHost} → ${upstream?.origin}: the backend answered with status ${status}, which is not an HTTP status (100–599).`,
      details: { route: routeHost, target: upstream?.origin, cause: 'invalid status' },
    });
  }

  /** Starts recording an exchange, when capture wants it. */
  function record(ex: Exchange): ExchangeTap | undefined {
    const tap = recorder?.active ? recorder.begin(tapStart(ex.req, ex.kind)) : undefined;
    ex.tap = tap;
    if (tap) {
      const replayOf = ex.req.headers[REPLAY_HEADER];
      if (typeof replayOf === 'string') tap.mark('replay', `of ${replayOf}`);
    }
    return tap;
  }

  /** `lan`: set by the LAN listeners (and wildcard binds) on requests from other devices. */
  function onRequest(req: IncomingMessage, res: ServerResponse, lan?: LanOrigin): void {
    // HTTP/2 names the host in :authority; one place to read it from keeps the rest simple.
    if (req.headers.host === undefined && typeof req.headers[':authority'] === 'string') req.headers.host = req.headers[':authority'];
    const ex = new Exchange(req, res, 'http', lan);
    const tap = record(ex);
    if (tap) {
      // Same tick as the pipe to the backend below, so no chunk can slip past either.
      if (mayHaveBody(req)) req.on('data', tapRequestData);
      res.on('close', tapFinished);
    }
    onClientGone(res, () => clientLeft(ex));
    dropHopByHopHeaders(req);
    const routed = routeRequest(
      getState(),
      ex,
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
      void routed.then((options) => options && !res.destroyed && send(ex, options));
      return;
    }
    if (routed) send(ex, routed);
  }

  /**
   * The client reset its stream or closed its connection before the answer was complete:
   * the upstream request goes (and with it the backend response and every pipe behind
   * it: encoder, throttle, cache writer), and whatever still waits (routing, latency, a
   * socket from the pool) sees the flag and sends nothing.
   */
  function clientLeft(ex: Exchange): void {
    ex.clientGone = true;
    ex.proxyReq?.destroy();
    const tap = ex.tap;
    if (tap) {
      tap.mark('cancelled', 'cancelled by the client');
      tap.failed('CANCELLED', 'cancelled by the client');
    }
  }

  /** The route's beforeForward stages (throttle, cache lookup), then on to the backend. */
  function send(ex: Exchange, options: ServerOptions): void {
    ex.balance?.releaseOn(ex.res);
    const before = ex.route!.stages.beforeForward;
    if (before.length === 0) return forward(ex, options);
    runBeforeForward(before, ex, () => forward(ex, options));
  }

  function forward(ex: Exchange, options: ServerOptions): void {
    if (ex.clientGone) return;
    const { req, res, upstream } = ex;
    // The options object is shared by every request on the route: a held body gets a copy.
    if (ex.body) options = { ...options, buffer: ex.body };
    ex.options = options;
    const waiting = queueFull(upstream!);
    if (waiting !== undefined) {
      const routeHost = ex.route?.route.host;
      ex.tap?.mark('portico', `${waiting} requests already waiting for ${upstream!.address}`);
      log(`503 ${req.method} ${req.headers.host ?? ''}${req.url ?? ''} → ${upstream!.address}: ${waiting} requests waiting`);
      sendPage(req, res, {
        status: 503,
        title: 'Service Unavailable',
        message: `Portico has ${waiting} requests waiting for ${upstream!.address} (every one of its ${upstream!.agent.maxSockets} connections is busy). The dev server is not answering fast enough, or requests it never ends are holding its connections.`,
        headers: { 'retry-after': 1 },
        details: { route: routeHost, target: upstream!.origin, waiting },
      });
      return;
    }
    const queuedBefore = queuedCount(upstream!);
    proxy.web(req, res, options, webErrorCallback);
    ex.proxyReq ??= lastQueued(upstream!, queuedBefore);
  }

  // Once the backend said 101, the WebSocket belongs to its two ends: a close by either
  // (a tab closed, a page left, a dev server restarting) is a normal end, not a 502.
  proxy.on('proxyReqWs', (proxyReq, req, socket) => {
    const ex = exchangeOf(req);
    if (!ex) return;
    proxyReq.once('upgrade', (_proxyRes, proxySocket: Duplex) => {
      ex.wsOpen = true;
      const tap = ex.tap;
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
  // Once the backend says 101: the route's upgrade stages (a throttle) and the capture's
  // taps on both directions' raw bytes. Both go on at 'open', after http-proxy-3 has piped
  // the sockets and put back the bytes that rode in with the upgrade: tapping earlier
  // would take those bytes from the client.
  const opening = new WeakMap<object, { ex: Exchange; socket: Duplex }>();
  proxy.on('proxyReqWs', (proxyReq, req, socket) => {
    const ex = exchangeOf(req);
    if (!ex || (!ex.tap && !ex.route?.stages.upgrade.length)) return;
    proxyReq.once('upgrade', (proxyRes, proxySocket) => {
      ex.tap?.responseHead(proxyRes.statusCode ?? 101, proxyRes.rawHeaders);
      opening.set(proxySocket, { ex, socket });
    });
  });
  proxy.on('open', (proxySocket) => {
    const pending = opening.get(proxySocket);
    if (!pending) return;
    opening.delete(proxySocket);
    const { ex, socket } = pending;
    for (const stage of ex.route?.stages.upgrade ?? []) stage.upgrade!(ex, proxySocket, socket);
    const tap = ex.tap;
    if (!tap) return;
    socket.on('data', (chunk: Buffer) => tap.wsClientData(chunk));
    proxySocket.on('data', (chunk: Buffer) => tap.wsServerData(chunk));
  });

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, lan?: LanOrigin): void {
    socket.on('error', ignoreSocketError);
    const ex = new Exchange(req, socket, 'websocket', lan);
    const tap = record(ex);
    if (tap) socket.once('close', () => tap.finished());
    // The upgrade is a separate socket http-proxy-3 pipes for us; no pooled agent here,
    // since the connection belongs to this WebSocket alone from the 101 on.
    const routed = routeRequest(
      getState(),
      ex,
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
      void routed.then((options) => options && !socket.destroyed && upgrade(ex, socket, head, options));
      return;
    }
    if (routed) upgrade(ex, socket, head, routed);
  }

  function upgrade(ex: Exchange, socket: Duplex, head: Buffer, routed: ServerOptions): void {
    ex.balance?.releaseOn(socket);
    const options = { ...routed, agent: undefined };
    const go = () => proxy.ws(ex.req, socket, head, options, webErrorCallback);
    const before = ex.route!.stages.beforeForward;
    if (before.length === 0) go();
    else runBeforeForward(before, ex, go);
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
