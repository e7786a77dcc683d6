// From "this request came in" to "send it to this backend": host, route, LAN gate, HTTPS
// switch and the route's request stages, then the backend and the options http-proxy-3 needs.
// Everything here decides; proxy-handlers.ts does the sending.
import type { ServerOptions } from 'http-proxy-3';
import type { Config } from '../contract/index.js';
import type { Exchange } from './exchange-state.js';
import { addForwardedHeaders } from './http/forwarded.js';
import { isEncrypted, resolveHost } from './http/incoming.js';
import { framingRefusal } from './http/request-framing.js';
import { forwardedPath } from './http/request-path.js';
import { lanRefusal, type LanGate } from './lan/lan-access.js';
import { isFailedGuess, type FailedAttempts } from './policies/failed-attempts.js';
import type { RoutingTable } from './routing-table.js';
import type { Refusal } from './stage.js';
import { runRequestStages } from './stages.js';
import { InFlight } from './upstream/in-flight.js';

/** What a request needs from the engine; swapped whole on a config change. */
export interface ProxyState {
  readonly table: RoutingTable;
  readonly timeouts: Config['timeouts'];
  /** Where HTTPS listens, for `https: "redirect"` routes; undefined without HTTPS. */
  readonly httpsPort?: number | undefined;
  /** Wrong LAN tokens and Basic-auth passwords per client address. */
  readonly failures: FailedAttempts;
  /** LAN sharing's switch and token; undefined when the engine has no token (sharing impossible). */
  readonly lan?: LanGate | undefined;
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
  ex: Exchange,
  answer: (refusal: Refusal, hosts?: readonly string[]) => void,
  redirect: (location: string) => void,
): ServerOptions | undefined | Promise<ServerOptions | undefined> {
  const req = ex.req;
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
    ex.tap?.mark('path', `normalised to ${path.slice(0, 200)}: routed and forwarded as such`);
  }
  // From another device: a LAN listener names the host by its port; then the LAN gate,
  // before anything (even the unknown-host page's host list) is shown. From this machine
  // this costs the one comparison.
  const lan = ex.lan;
  const match = state.table.match(lan?.host ?? resolved, req.url ?? '/');
  const address = req.socket.remoteAddress;
  if (lan !== undefined) {
    const refusal = state.failures.refusal(address, Date.now()) ?? lanRefusal(req, match?.route, state.lan, ex.kind);
    if (refusal) {
      if (isFailedGuess(refusal)) state.failures.failed(address, Date.now());
      answer(refusal);
      return undefined;
    }
    ex.tap?.mark('lan', `shared with ${req.socket.remoteAddress ?? 'a LAN device'}`);
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
    const message = known ? `${resolved} has routes, but none whose path prefix covers ${req.url}.` : `No route is set up for ${resolved}.`;
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
  ex.route = match;
  const verdict = match.stages.request.length === 0 ? undefined : runRequestStages(match.stages.request, ex);
  if (verdict instanceof Promise) {
    // Held until the verdict; the pipe to the backend resumes it.
    req.pause();
    return verdict.then(
      (refusal) => {
        if (!refusal) return prepare(ex, state, encrypted, resolved, answer);
        if (isFailedGuess(refusal)) state.failures.failed(address, Date.now());
        answer(refusal);
        return undefined;
      },
      (error: Error) =>
        void answer({
          status: 500,
          title: 'Policy failed',
          message: `Portico could not check this request: ${error.message}`,
          mark: `policy failed: ${error.message}`,
        }),
    );
  }
  if (verdict) {
    if (isFailedGuess(verdict)) state.failures.failed(address, Date.now());
    answer(verdict);
    return undefined;
  }
  return prepare(ex, state, encrypted, resolved, answer);
}

/** The request passed every request stage: pick the backend and build what http-proxy-3 needs. */
function prepare(ex: Exchange, state: ProxyState, encrypted: boolean, resolved: string, answer: (refusal: Refusal) => void): ServerOptions {
  const req = ex.req;
  const route = ex.route!;
  if (ex.kind === 'http') for (const stage of route.stages.requestBody) stage.requestBody!(ex, (refusal) => refuseLate(ex, refusal, answer));
  const upstream = route.pick();
  ex.tap?.routed(route.route.host, upstream.origin);
  ex.upstream = upstream;
  ex.timeouts = state.timeouts;
  addForwardedHeaders(req.headers, {
    remoteAddress: req.socket.remoteAddress,
    encrypted,
    host: req.headers.host ?? resolved,
    localPort: req.socket.localPort,
    trustChain: route.route.trustForwarded,
  });
  if (route.upstreams.length > 1) ex.balance = new InFlight(route, upstream);
  return route.proxyOptions(upstream, state.timeouts.connectMs);
}

/** A refusal while the body streams: stop feeding the backend, then answer (answer() cuts the connection if a response began). */
function refuseLate(ex: Exchange, refusal: Refusal, answer: (refusal: Refusal) => void): void {
  if (ex.refused) return;
  ex.refused = true;
  ex.req.unpipe();
  ex.proxyReq?.destroy();
  answer(refusal);
}
