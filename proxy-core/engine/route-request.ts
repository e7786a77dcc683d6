// From "this request came in" to "send it to this backend": host, route, LAN gate, HTTPS
// switch and the route's policies, then the backend and the options http-proxy-3 needs.
// Everything here decides; proxy-handlers.ts does the sending.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { ServerOptions } from 'http-proxy-3';
import type { HttpCache } from '../cache/http-cache.js';
import type { Config } from '../contract/index.js';
import { InFlight } from './balance/in-flight.js';
import type { CacheTicket } from './cached-response.js';
import type { ExchangeTap } from './capture-tap.js';
import type { CompressionPlan } from './compression.js';
import { addForwardedHeaders } from './forwarded.js';
import { isEncrypted, resolveHost } from './incoming.js';
import { lanRefusal, type LanGate, type LanOrigin } from './lan-access.js';
import { FailedAttempts, isFailedGuess } from './failed-attempts.js';
import { framingRefusal } from './request-framing.js';
import { forwardedPath } from './request-path.js';
import type { Refusal, RequestKind, RoutePolicy } from './route-policy.js';
import { runRequestPolicies } from './route-policies.js';
import type { RouteMatch, RoutingTable } from './routing-table.js';
import type { ThrottlePlan } from './throttle.js';
import type { Upstream } from './upstreams.js';

/** What a request needs from the engine; swapped whole on a config change. */
export interface ProxyState {
  readonly table: RoutingTable;
  readonly timeouts: Config['timeouts'];
  /** Where HTTPS listens, for `https: "redirect"` routes; undefined without HTTPS. */
  readonly httpsPort?: number | undefined;
  readonly cache: HttpCache;
  /** Wrong LAN tokens and Basic-auth passwords per client address. */
  readonly failures: FailedAttempts;
  /** LAN sharing's switch and token; undefined when the engine has no token (sharing impossible). */
  readonly lan?: LanGate | undefined;
}

/** A request on its way, with what each step leaves for the later ones. */
export interface Routed extends IncomingMessage {
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
  /** The client went away before its answer was complete: nothing more goes upstream. */
  porticoClientGone?: true;
  /** The backend accepted the WebSocket (101): from then on a close is a normal end. */
  porticoWsOpen?: true;
}

/** Connections whose framing was refused: whatever they pipelined after is not read. */
const refusedConnections = new WeakSet<object>();
const NOT_READ: Refusal = {
  status: 400,
  title: 'Not read',
  message: 'An earlier request on this connection was refused for its framing; nothing after it is read.',
  mark: 'framing: after a refused request on the same connection',
  headers: { connection: 'close' },
};

/**
 * Routes the request and prepares it for http-proxy-3; undefined when it was answered
 * here. A promise when a policy has slow work to do first (a new Basic-auth credential):
 * the request's body is held back until then, and the caller goes on when it settles.
 */
export function routeRequest(
  state: ProxyState,
  req: Routed,
  kind: RequestKind,
  answer: (refusal: Refusal, hosts?: readonly string[]) => void,
  redirect: (location: string) => void,
) {
  if (refusedConnections.has(req.socket)) {
    // Pipelined behind a request whose framing was refused: the connection closes after
    // that answer, and nothing more read from it may reach a backend.
    answer(NOT_READ);
    return undefined;
  }
  const badFraming = framingRefusal(req);
  if (badFraming) {
    refusedConnections.add(req.socket);
    answer(badFraming);
    return undefined;
  }
  const resolved = resolveHost(req, state.table);
  if (typeof resolved !== 'string') {
    answer({ ...resolved.refuse, mark: resolved.refuse.title });
    return undefined;
  }
  const sent = req.url ?? '/';
  const path = forwardedPath(sent);
  if (path === undefined) {
    answer({ status: 400, title: 'Bad request target', message: `"${sent.slice(0, 200)}" is not a path Portico can route.`, mark: 'path: not a path' });
    return undefined;
  }
  if (path !== sent) {
    req.url = path;
    req.porticoTap?.mark('path', `normalised to ${path.slice(0, 200)}: routed and forwarded as such`);
  }
  // From another device: a LAN listener names the host by its port; then the LAN gate,
  // before anything (even the unknown-host page's host list) is shown. From this machine
  // this costs the one comparison.
  const lan = req.porticoLan;
  const match = state.table.match(lan?.host ?? resolved, req.url ?? '/');
  const address = req.socket.remoteAddress;
  if (lan !== undefined) {
    const refusal = state.failures.refusal(address, Date.now()) ?? lanRefusal(req, match?.route, state.lan, kind);
    if (refusal) {
      if (isFailedGuess(refusal)) state.failures.failed(address, Date.now());
      answer(refusal);
      return undefined;
    }
    req.porticoTap?.mark('lan', `shared with ${req.socket.remoteAddress ?? 'a LAN device'}`);
  }
  if (!match) {
    const off = state.table.switchedOff(resolved, req.url ?? '/');
    if (off) {
      const title = 'Route switched off';
      const which = `${off.host}${off.pathPrefix ?? ''}`;
      const message = `The route for ${which} is switched off. Switch it on in Portico's Routes view (the switch on its card), or set "enabled": true for it in the config file.`;
      answer({ status: 404, title, message, mark: title });
      return undefined;
    }
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
  if (match.route.auth?.basic !== undefined) {
    const blocked = state.failures.refusal(address, Date.now());
    if (blocked) {
      answer(blocked);
      return undefined;
    }
  }
  const verdict = runRequestPolicies(match.policies.request, req, kind, req.porticoTap);
  if (verdict instanceof Promise) {
    // Held until the verdict; the pipe to the backend resumes it.
    req.pause();
    return verdict.then(
      (refusal) => {
        if (!refusal) return prepare(req, kind, match, state, encrypted, resolved, answer);
        if (isFailedGuess(refusal)) state.failures.failed(address, Date.now());
        answer(refusal);
        return undefined;
      },
      (error: Error) => void answer({ status: 500, title: 'Policy failed', message: `Portico could not check this request: ${error.message}`, mark: `policy failed: ${error.message}` }),
    );
  }
  if (verdict) {
    if (isFailedGuess(verdict)) state.failures.failed(address, Date.now());
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
    trustChain: match.route.trustForwarded,
  });
  const options = match.proxyOptions(upstream, state.timeouts.connectMs);
  if (match.compression) req.porticoCompression = match.compression;
  if (match.upstreams.length > 1) req.porticoBalance = new InFlight(match, upstream);
  const throttle = match.throttle;
  if (throttle) {
    req.porticoThrottle = throttle;
    req.porticoTap?.mark('throttle', throttle.label);
  }
  return { options, upstream, throttle, cache: match.cache && { plan: match.cache, store: state.cache } };
}
/** What http-proxy-3 needs for a routed request. */
export type Prepared = ReturnType<typeof prepare>;

/** A refusal while the body streams: stop feeding the backend, then answer (answer() cuts the connection if a response began). */
function refuseLate(req: Routed, refusal: Refusal, answer: (refusal: Refusal) => void): void {
  if (req.porticoRefused) return;
  req.porticoRefused = true;
  req.unpipe();
  req.porticoProxyReq?.destroy();
  answer(refusal);
}
