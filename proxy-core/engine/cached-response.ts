// The cache switch in the request's way: before the backend (answer from the store, or
// turn the request into a revalidation) and after it (store while streaming, merge a 304,
// invalidate on unsafe methods). Only routes with the switch on come here. A stale entry
// inside its stale-while-revalidate window is served at once and refreshed by a request
// of Portico's own (background-revalidation.ts).
//
// Which representation the cache stores: the backend's own (identity, unless the backend
// encoded it itself). Compression runs after the cache, on the way out. One stored entry
// then serves every client whatever its Accept-Encoding (brotli, gzip, zstd or none) and
// the Vary the backend sent is the whole truth about variants; storing encoded bodies
// would multiply entries per encoding and tie the store to the compression settings of
// the moment. The cost is encoding again on each HIT, which at dev-server scale is small
// next to the backend work the HIT saves (the bench measures both).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type CachePolicy from 'http-cache-semantics';
import { cacheKey, isUnsafe, requestShape, type CacheStatus, type HttpCache } from '../cache/http-cache.js';
import type { StoredResponse } from '../cache/store.js';
import { hitReason, requestRefusal, storeVerdict } from '../cache/why.js';
import type { ExchangeTap } from './capture-tap.js';
import { respond, type Outgoing } from './compress-response.js';
import type { CompressionPlan } from './compression.js';
import { sendPage } from './pages.js';
import type { RouteCounters } from './route-stats.js';
import { flatHeaders } from './tap-start.js';

/** The cache switch once parsed. */
export interface CachePlan {
  /** Add `X-Cache` to responses (the capture records the status either way). */
  readonly xCache: boolean;
  /** Which route stores entries, for purging by route. */
  readonly route: string;
  /** Dev mode: seconds to keep responses that say nothing about caching. */
  readonly devSeconds?: number | undefined;
  /** The route's hit/miss counters (routes.stats). */
  readonly counters: RouteCounters;
}

/** What the request side leaves for the response side. */
export interface CacheTicket {
  readonly cache: HttpCache;
  readonly plan: CachePlan;
  readonly key: string;
  readonly origin: string;
  readonly shape: CachePolicy.Request;
  /** The stale entry a conditional request is checking. */
  revalidating?: StoredResponse;
  /** The client's own If-None-Match, before the revalidation headers replaced its request's. */
  clientEtags?: string | undefined;
  /** A stale entry stale-if-error lets us serve when the backend fails. */
  fallback?: StoredResponse | undefined;
}

function status(out: IncomingHttpHeaders, plan: CachePlan, value: CacheStatus, tap: ExchangeTap | undefined): void {
  if (plan.xCache) out['x-cache'] = value;
  if (value === 'HIT' || value === 'REVALIDATED') plan.counters.cacheHits++;
  else if (value === 'MISS') plan.counters.cacheMisses++;
  tap?.mark('cache', value);
}

/** The cache mark's reason, in words, beside it in the inspector. */
function why(tap: ExchangeTap | undefined, text: string): void {
  tap?.mark('cache-reason', text);
}

/** Does an If-None-Match from the client name the stored ETag (weak comparison, RFC 9110 §13.1.2)? */
function notModified(wanted: string | undefined, headers: CachePolicy.Headers): boolean {
  const etag = headers.etag;
  if (typeof etag !== 'string' || !wanted) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return wanted.trim() === '*' || wanted.split(',').some((tag) => bare(tag) === bare(etag));
}

function sendStored(req: IncomingMessage, res: ServerResponse, entry: StoredResponse, headers: IncomingHttpHeaders, plan: CachePlan, compression: CompressionPlan | undefined, tap: ExchangeTap | undefined, clientEtags: string | undefined): void {
  const head = req.method === 'HEAD';
  // Dev mode's max-age was for our rules only: the browser must not start caching too.
  if (entry.dev) delete headers['cache-control'];
  const status304 = notModified(clientEtags, headers as CachePolicy.Headers);
  if (!head && !status304) for (const chunk of entry.body) plan.counters.cacheBytesServed += chunk.length;
  const out: Outgoing = {
    status: status304 ? 304 : (entry.policy.toObject() as { st: number }).st,
    headers,
    body: Readable.from(head || status304 ? [] : entry.body),
  };
  if (status304) delete headers['content-length'];
  tap?.responseHead(out.status, flatHeaders(headers));
  if (!head && !status304) out.body.on('data', (chunk: Buffer) => tap?.responseData(chunk));
  respond(req, res, out, compression, tap);
}

/** A stale entry served under stale-while-revalidate, for a background request to refresh. */
export interface StaleServed {
  readonly cache: HttpCache;
  readonly plan: CachePlan;
  readonly key: string;
  readonly entry: StoredResponse;
  /** The client's request as the cache saw it (a HEAD looks like the GET it mirrors). */
  readonly shape: CachePolicy.Request;
}

/**
 * Before the backend: answers from the store and returns undefined, or returns the ticket.
 * `refresh` is called after a stale-while-revalidate answer.
 */
export function cacheBefore(
  req: IncomingMessage,
  res: ServerResponse,
  cache: HttpCache,
  plan: CachePlan,
  scheme: string,
  compression: CompressionPlan | undefined,
  tap: ExchangeTap | undefined,
  refresh: (stale: StaleServed) => void,
): CacheTicket | undefined {
  const method = req.method ?? 'GET';
  const host = req.headers.host ?? '';
  const origin = cacheKey(scheme, host, '');
  const shape = requestShape(method, req.url ?? '/', req.headers as CachePolicy.Headers);
  const ticket: CacheTicket = { cache, plan, key: origin + (req.url ?? '/'), origin, shape };
  if (method !== 'GET' && method !== 'HEAD') return ticket;
  const found = cache.lookup(ticket.key, shape);
  if (found.kind === 'hit') {
    const headers = found.headers as IncomingHttpHeaders;
    status(headers, plan, 'HIT', tap);
    if (found.entry.dev) tap?.mark('cache', 'HIT (dev mode)');
    why(tap, hitReason(found.entry.policy, found.entry.dev));
    sendStored(req, res, found.entry, headers, plan, compression, tap, req.headers['if-none-match']);
    return undefined;
  }
  if (found.kind === 'stale-while-revalidate') {
    const headers = found.headers as IncomingHttpHeaders;
    status(headers, plan, 'STALE', tap);
    tap?.mark('cache', 'STALE (stale-while-revalidate)');
    why(tap, 'stale: served at once while Portico asks the backend again in the background (stale-while-revalidate)');
    sendStored(req, res, found.entry, headers, plan, compression, tap, req.headers['if-none-match']);
    refresh({ cache, plan, key: ticket.key, entry: found.entry, shape });
    return undefined;
  }
  if (found.kind === 'only-if-cached') {
    tap?.mark('cache', 'MISS (only-if-cached)');
    why(tap, 'the request said only-if-cached and nothing stored could answer it');
    sendPage(req, res, { status: 504, title: 'Not in the cache', message: 'The request said only-if-cached, and no stored response can answer it.' });
    return undefined;
  }
  ticket.fallback = found.fallback;
  if (found.kind === 'revalidate') {
    // The conditional headers go to the backend; a 304 then lets us answer from the store.
    ticket.clientEtags = req.headers['if-none-match'];
    req.headers = found.headers as IncomingHttpHeaders;
    ticket.revalidating = found.entry;
  }
  return ticket;
}

/** After the backend answered: store, merge or invalidate, then write the response. */
export function cacheAfter(req: IncomingMessage, res: ServerResponse, proxyRes: IncomingMessage, ticket: CacheTicket, compression: CompressionPlan | undefined, tap: ExchangeTap | undefined): void {
  const { cache, plan, shape } = ticket;
  const code = proxyRes.statusCode ?? 502;
  const headers = proxyRes.headers;
  const method = req.method ?? 'GET';
  if (isUnsafe(method) || (method !== 'GET' && method !== 'HEAD')) {
    if (isUnsafe(method)) cache.invalidate(ticket.origin, req.url ?? '/', code, headers as CachePolicy.Headers);
    status(headers, plan, 'BYPASS', tap);
    why(tap, `not cached: ${method} requests go to the backend${isUnsafe(method) ? ' (and make the stored copies of this URL stale)' : ''}`);
    respond(req, res, { status: code, statusMessage: proxyRes.statusMessage, headers, body: proxyRes }, compression, tap);
    return;
  }
  if (code >= 500 && serveStale(req, res, ticket, compression, tap)) {
    proxyRes.resume();
    return;
  }
  if (ticket.revalidating && code === 304) {
    const merged = cache.revalidated(ticket.key, ticket.revalidating, { ...shape, headers: req.headers as CachePolicy.Headers }, code, headers as CachePolicy.Headers);
    if (merged) {
      proxyRes.resume();
      const out = merged as IncomingHttpHeaders;
      status(out, plan, 'REVALIDATED', tap);
      why(tap, 'the backend confirmed the stored copy is current (304): served from the cache');
      sendStored(req, res, ticket.revalidating, out, plan, compression, tap, ticket.clientEtags);
      return;
    }
  }
  // Stored as the backend sent it: the headers are copied before compression touches them.
  const admission = cache.admit(ticket.key, plan.route, shape, code, { ...headers } as CachePolicy.Headers, plan.devSeconds);
  if (admission) {
    proxyRes.on('data', admission.push);
    proxyRes.once('end', () => {
      if (proxyRes.complete) admission.finish();
    });
  }
  status(headers, plan, 'MISS', tap);
  if (tap) {
    const refused = requestRefusal(req.headers as CachePolicy.Headers);
    const kept = storeVerdict(shape, code, headers as CachePolicy.Headers, plan.devSeconds);
    why(tap, refused ? `${refused}; ${kept}` : ticket.revalidating ? `the stored copy changed on the backend; ${kept}` : kept);
  }
  respond(req, res, { status: code, statusMessage: proxyRes.statusMessage, headers, body: proxyRes }, compression, tap);
}

/**
 * stale-if-error (RFC 5861 §4): the backend failed (a 5xx, or no connection at all) and a
 * stale copy may stand in. True when it did, so the caller sends nothing else.
 */
export function serveStale(req: IncomingMessage, res: ServerResponse, ticket: CacheTicket, compression: CompressionPlan | undefined, tap: ExchangeTap | undefined): boolean {
  const entry = ticket.fallback;
  if (!entry || res.headersSent) return false;
  const headers = entry.policy.responseHeaders() as IncomingHttpHeaders;
  status(headers, ticket.plan, 'STALE', tap);
  why(tap, 'stale: the backend failed, and the response allows a stale copy then (stale-if-error)');
  sendStored(req, res, entry, headers, ticket.plan, compression, tap, ticket.clientEtags);
  return true;
}
