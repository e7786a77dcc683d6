// One request on its way through the engine, with what each step leaves for the later
// ones: a plain object of fixed shape made once per request, instead of fields added to
// Node's IncomingMessage as they come (which gives every request its own hidden class).
// http-proxy-3's events hand back the request; `exchangeOf` finds the exchange from it.
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { ServerOptions } from 'http-proxy-3';
import type { Config } from '../contract/index.js';
import type { CacheTicket } from './cache/cached-response.js';
import type { ExchangeTap } from './capture/capture-tap.js';
import type { LanOrigin } from './lan/lan-access.js';
import type { CompiledRule } from './rules/rule-match.js';
import type { RouteMatch } from './routing-table.js';
import type { RequestKind } from './stage.js';
import type { InFlight } from './upstream/in-flight.js';
import type { Upstream } from './upstream/pool.js';

const EXCHANGE = Symbol('portico.exchange');

type Linked = (IncomingMessage | ClientRequest) & { [EXCHANGE]?: Exchange };

export class Exchange {
  /** Set when the exchange is being recorded. */
  tap: ExchangeTap | undefined = undefined;
  /** The route it matched; set once routed. */
  route: RouteMatch | undefined = undefined;
  /** The backend it goes to; set once routed, changed by a retry elsewhere. */
  upstream: Upstream | undefined = undefined;
  timeouts: Config['timeouts'] | undefined = undefined;
  /** The upstream request, while its response headers are awaited (also what a late refusal cuts off). */
  proxyReq: ClientRequest | undefined = undefined;
  /** A backend's response started (otherwise Portico answered itself). */
  proxied = false;
  /** A stage refused the request after it went to the backend (a body over the limit). */
  refused = false;
  /** Sent again once already, after a pooled connection turned out closed. */
  resent = false;
  /** What the request was sent to the backend with, for sending it again. */
  options: ServerOptions | undefined = undefined;
  /** Set on routes with several targets: the in-flight count and the one retry. */
  balance: InFlight | undefined = undefined;
  /** The backend's response, once its head arrived. */
  backendResponse: IncomingMessage | undefined = undefined;
  /**
   * The backend broke its connection after a complete response (bytes past its
   * Content-Length): the declared response stands, but nothing may store it.
   */
  backendOverran = false;
  /** Set on routes with the cache on, by the cache lookup. */
  cache: CacheTicket | undefined = undefined;
  /** What http-proxy-3 pipes upstream instead of the request itself (a throttled body). */
  body: Readable | undefined = undefined;
  /** The traffic rule that matched (rules/rule-stages.ts), if any. */
  rule: CompiledRule | undefined = undefined;
  /** The client went away before its answer was complete: nothing more goes upstream. */
  clientGone = false;
  /** The backend accepted the WebSocket (101): from then on a close is a normal end. */
  wsOpen = false;

  constructor(
    readonly req: IncomingMessage,
    /** The client's response, or for a WebSocket its raw socket. */
    readonly client: ServerResponse | Duplex,
    readonly kind: RequestKind,
    /** Set on requests from other devices (a LAN listener, a stranger on a wildcard bind). */
    readonly lan: LanOrigin | undefined,
  ) {
    (req as Linked)[EXCHANGE] = this;
  }

  /** The client's response (plain HTTP only). */
  get res(): ServerResponse {
    return this.client as ServerResponse;
  }
}

/** Links the backend's request or response to its exchange too, for listeners shared by every one. */
export function linkBackendResponse(proxyRes: IncomingMessage | ClientRequest, ex: Exchange): void {
  (proxyRes as Linked)[EXCHANGE] = ex;
}

/** The exchange a request (or a backend's response) belongs to: http-proxy-3's events pass them. */
export function exchangeOf(req: IncomingMessage | ClientRequest): Exchange | undefined {
  return (req as Linked)[EXCHANGE];
}
