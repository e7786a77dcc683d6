// A stage: one per-route feature (firewall, auth, redirect, rewrite, header rules,
// throttle, cache, compression…) as a set of optional hooks the request path calls at
// fixed points. A stage is built once per route when the routing table is compiled — the
// serializable config apart from the runtime object, as mockttp keeps rule definitions
// apart from their handlers — and only routes that use a feature carry its stage. The
// order stages run in is the one list in stages.ts. ARCHITECTURE.md walks through adding one.
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex, Transform } from 'node:stream';
import type { EffectiveSwitches, Route } from '../contract/index.js';
import type { Exchange } from './exchange-state.js';
import type { Outgoing } from './respond.js';
import type { StageContext } from './stage-context.js';

/** Portico answers the request itself; the exchange is marked with `mark` in the capture. */
export interface Refusal {
  status: number;
  title: string;
  /** Plain sentences for the page (HTML or JSON, as the client asks). */
  message: string;
  /** Extra response headers: Retry-After, WWW-Authenticate, Location… */
  headers?: Record<string, string | number> | undefined;
  /** Why, for the inspector: "firewall: rate limit", "auth: wrong password"… */
  mark: string;
}

export type RequestKind = 'http' | 'websocket';

export type Verdict = Refusal | undefined | Promise<Refusal | undefined>;

export interface Stage {
  /** Shown in logs and tests: "firewall: rate limit", "cache"… */
  readonly name: string;
  /** What the stage does on this route, in words (the inspector's mark where it leaves one). */
  describe(): string;
  /**
   * Runs in list order once the route matched, before a backend is picked. A Refusal
   * answers the request here; otherwise the stage may adjust the request (path, headers)
   * and the next one runs. Synchronous wherever it can be, so the hot path never waits; a
   * stage with slow work (scrypt on a credential it has not seen) returns a promise, and
   * only that request waits for it, its body held back meanwhile.
   */
  request?(ex: Exchange): Verdict;
  /**
   * Follows a plain HTTP request that passed every request step while its body streams to
   * the backend (a body limit must count what it cannot see up front). `refuse` stops
   * feeding the backend and answers, or cuts the connection if a response has begun.
   */
  requestBody?(ex: Exchange, refuse: (refusal: Refusal) => void): void;
  /**
   * Runs in list order after the backend was picked, just before the request is sent: it
   * calls `next()` to go on (now or later: a throttle's latency), or answers the request
   * itself and never calls it (a cache hit).
   */
  beforeForward?(ex: Exchange, next: () => void): void;
  /** Edits the backend's response head before it is sent on (or cached, or compressed). */
  responseHead?(ex: Exchange, headers: IncomingHttpHeaders, status: number): void;
  /**
   * Routes with this hook write the backend's response themselves (http-proxy-3's
   * selfHandleResponse). Returns what to write: the backend's response, watched (the cache
   * storing it), or another one in its place (a stored copy after a 304 or a 5xx). A
   * promise holds the response back until it settles (a response breakpoint).
   */
  response?(ex: Exchange, out: Outgoing): Outgoing | Promise<Outgoing>;
  /**
   * A stream the response body goes through on its way out, in list order (encode, then
   * pace), or undefined to leave this response alone. May edit `out.headers` first.
   */
  responseBody?(ex: Exchange, out: Outgoing): Transform | undefined;
  /** The backend failed before answering: true when the stage answered instead (stale-if-error). */
  backendFailed?(ex: Exchange): boolean;
  /** A WebSocket the backend accepted, once http-proxy-3 piped `proxySocket ⇄ socket`. */
  upgrade?(ex: Exchange, proxySocket: Duplex, socket: Duplex): void;
}

/** Builds one stage for a route, or undefined when the route does not use it (the usual case). */
export type StageFactory = (route: Route, switches: EffectiveSwitches, context: StageContext) => Stage | undefined;
