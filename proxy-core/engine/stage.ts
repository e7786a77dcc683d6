// Per-route policies: the small steps between "this route matched" and "pick a backend"
// (firewall, LAN sharing, access auth, header rules, rewrites…), and the edits they make
// to the backend's response head. Each is a tiny interface built once per route when the
// routing table is compiled — the serializable config apart from the runtime object, as
// mockttp keeps rule definitions apart from their handlers.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Route, Settings } from '../contract/index.js';
import type { ExchangeTap } from './capture/capture-tap.js';

/** Portico answers the request itself; the exchange is marked with `mark` in the capture. */
export interface Refusal {
  status: number;
  title: string;
  /** Plain sentences for the page (HTML or JSON, as the client asks). */
  message: string;
  /** Extra response headers: Retry-After, WWW-Authenticate, Location… */
  headers?: Record<string, string | number>;
  /** Why, for the inspector: "firewall: rate limit", "auth: wrong password"… */
  mark: string;
}

export type RequestKind = 'http' | 'websocket';

export interface RoutePolicy {
  /** Shown in logs and tests. */
  readonly name: string;
  /**
   * Runs in order once the route matched, before a backend is picked. Returning a
   * Refusal answers the request here; otherwise the policy may adjust the request (path,
   * headers) and the next one runs. Synchronous wherever it can be, so the hot path never
   * waits; a step with slow work to do (scrypt on a credential it has not seen) returns a
   * promise, and only that request waits for it, its body held back meanwhile.
   * `tap` (when the exchange is recorded) lets a policy that changes the request say how
   * (a rewrite marks the URL the backend got).
   */
  request?(req: IncomingMessage, kind: RequestKind, tap: ExchangeTap | undefined): Refusal | undefined | Promise<Refusal | undefined>;
  /**
   * Follows a plain HTTP request that passed every request step while its body streams to
   * the backend (a body limit must count what it cannot see up front). `refuse` stops
   * feeding the backend and answers with the refusal, or cuts the connection if the
   * backend's response has already begun.
   */
  watch?(req: IncomingMessage, refuse: (refusal: Refusal) => void): void;
  /** Edits the backend's response head before it is sent on (or cached, or compressed). */
  response?(headers: IncomingHttpHeaders, status: number, req: IncomingMessage): void;
}

export type RouteDefaults = Settings['defaults'];

/** Builds one policy for a route, or undefined when the route does not use it (the usual case). */
export type PolicyFactory = (route: Route, defaults: RouteDefaults | undefined) => RoutePolicy | undefined;
