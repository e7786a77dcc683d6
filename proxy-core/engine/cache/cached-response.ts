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
//
// A revalidation asks the backend with the stored response's validators, never the
// client's: the client's own If-None-Match, If-Modified-Since and Range are then answered
// here from the refreshed stored response, so a client that sent no condition never gets
// a 304 it did not ask for.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { currentAge } from './freshness.js';
import { cacheKey, isUnsafe, NOTHING_STORED, type CacheStatus, type HttpCache } from './http-cache.js';
import type { StoredResponse } from './response-store.js';
import { serveStored } from './serve-stored.js';
import { withRepeatedLines } from './stored-headers.js';
import type { Exchange } from '../exchange-state.js';
import { sendPage } from '../http/pages.js';
import { writeResponse, type Outgoing } from '../respond.js';
import type { RouteCounters } from '../route-counters.js';

/** The cache switch once parsed. */
export interface CachePlan {
  /** Add `X-Cache` to responses (the capture records the status either way). */
  readonly xCache: boolean;
  /** Which route stores entries, for purging by route. */
  readonly route: string;
  /** Dev mode: seconds to keep responses that say nothing about caching. */
  readonly devSeconds?: number | undefined;
  /** RFC 9213 fields this cache obeys, first listed first (targeted-fields.ts). */
  readonly targets: readonly string[];
  /** The route's hit/miss counters (routes.stats). */
  readonly counters: RouteCounters;
}

/** What the request side leaves for the response side. */
export interface CacheTicket {
  readonly cache: HttpCache;
  readonly plan: CachePlan;
  readonly key: string;
  readonly origin: string;
  /** The client's request headers as it sent them (its own conditions and range). */
  readonly request: IncomingHttpHeaders;
  /** When the request went to the backend, on the cache's clock. */
  readonly sentAt: number;
  /** The stored entry a revalidation is checking, and why it needed one. */
  revalidating?: { entry: StoredResponse; why: string } | undefined;
  /** A stale entry stale-if-error lets us serve when the backend fails. */
  fallback?: StoredResponse | undefined;
  /** Why the lookup found nothing usable, for the MISS mark. */
  missed?: string | undefined;
}

/** The client's conditions and range: about its own copy, answered here from the stored one. */
const CLIENT_ONLY = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range', 'range'];

/** The status on the response (X-Cache) and in the inspector, with its reason in words beside it. */
function mark(ex: Exchange, out: IncomingHttpHeaders, plan: CachePlan, value: CacheStatus, reason: string): void {
  if (plan.xCache) out['x-cache'] = value;
  if (value === 'HIT' || value === 'REVALIDATED') plan.counters.cacheHits++;
  else if (value === 'MISS') plan.counters.cacheMisses++;
  ex.tap?.mark('cache', value);
  if (reason) ex.tap?.mark('cache-reason', reason);
}

/** A stored entry written to the client, marked. */
function answer(
  ex: Exchange,
  ticket: Pick<CacheTicket, 'cache' | 'plan'>,
  entry: StoredResponse,
  value: CacheStatus,
  words: string,
  request: IncomingHttpHeaders,
): Outgoing {
  const extra: IncomingHttpHeaders = ticket.plan.xCache ? { 'x-cache': value } : {};
  const age = currentAge(entry.clock, ticket.cache.now());
  const served = serveStored(ex, entry, age, extra, request, ticket.plan.counters, ticket.cache.now());
  mark(ex, served.out.headers, ticket.plan, value, served.note ? `${words}; ${served.note}` : words);
  return served.out;
}

/** A stale entry served under stale-while-revalidate, for a background request to refresh. */
export interface StaleServed {
  readonly cache: HttpCache;
  readonly plan: CachePlan;
  readonly key: string;
  readonly entry: StoredResponse;
  readonly url: string;
  /** The client's request headers. */
  readonly request: IncomingHttpHeaders;
}

/**
 * Before the backend: answers from the store and returns undefined, or returns the ticket.
 * `refresh` is called after a stale-while-revalidate answer.
 */
export function cacheBefore(ex: Exchange, cache: HttpCache, plan: CachePlan, scheme: string, refresh: (stale: StaleServed) => void): CacheTicket | undefined {
  const { req, res } = ex;
  const method = req.method ?? 'GET';
  const origin = cacheKey(scheme, req.headers.host ?? '', '');
  const request = { ...req.headers };
  const ticket: CacheTicket = { cache, plan, key: origin + (req.url ?? '/'), origin, request, sentAt: cache.now() };
  if (method !== 'GET' && method !== 'HEAD') return ticket;
  // If-Match and If-Unmodified-Since are the origin's to judge (RFC 9110 §13.2): such a
  // request goes to the backend, whatever is stored.
  if (request['if-match'] !== undefined || request['if-unmodified-since'] !== undefined) {
    ticket.missed = 'the request has If-Match or If-Unmodified-Since, which the backend answers';
    return ticket;
  }
  const found = cache.lookup(ticket.key, request);
  if (found.kind === 'hit') {
    writeResponse(
      ex,
      answer(ex, ticket, found.entry, 'HIT', `HIT, age ${Math.floor(found.age)} s, ${found.why}${found.entry.dev ? ' (kept by dev mode)' : ''}`, request),
    );
    return undefined;
  }
  if (found.kind === 'stale-while-revalidate') {
    writeResponse(
      ex,
      answer(
        ex,
        ticket,
        found.entry,
        'STALE',
        `stale: served at once while Portico asks the backend again in the background (stale-while-revalidate; ${found.why})`,
        request,
      ),
    );
    refresh({ cache, plan, key: ticket.key, entry: found.entry, url: req.url ?? '/', request });
    return undefined;
  }
  if (found.kind === 'only-if-cached') {
    ex.tap?.mark('cache', 'MISS');
    ex.tap?.mark('cache-reason', 'the request said only-if-cached and nothing stored could answer it');
    sendPage(req, res, { status: 504, title: 'Not in the cache', message: 'The request said only-if-cached, and no stored response can answer it.' });
    return undefined;
  }
  ticket.fallback = found.fallback;
  // "Nothing stored" goes without saying; what the response then did is the reason.
  if (found.kind === 'miss') ticket.missed = found.why === NOTHING_STORED ? undefined : found.why;
  else {
    ticket.revalidating = { entry: found.entry, why: found.why };
    for (const name of CLIENT_ONLY) delete req.headers[name];
    Object.assign(req.headers, validatorsOf(found.entry));
  }
  return ticket;
}

/** The conditional fields that ask the backend whether a stored response is still current. */
export function validatorsOf(entry: StoredResponse): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  if (typeof entry.headers.etag === 'string') out['if-none-match'] = entry.headers.etag;
  if (typeof entry.headers['last-modified'] === 'string') out['if-modified-since'] = entry.headers['last-modified'];
  return out;
}

/** After the backend answered: store, merge or invalidate; returns the response to write. */
export function cacheAfter(ex: Exchange, out: Outgoing, ticket: CacheTicket): Outgoing {
  const { req } = ex;
  const { cache, plan } = ticket;
  const code = out.status;
  const headers = out.headers;
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    const dropped = isUnsafe(method) ? cache.invalidate(ticket.origin, req.url ?? '/', code, headers) : 0;
    mark(
      ex,
      headers,
      plan,
      'BYPASS',
      `not cached: ${method} requests go to the backend${dropped ? `; it invalidated ${dropped} stored response(s) (RFC 9111 §4.4)` : ''}`,
    );
    return out;
  }
  if (code >= 500) {
    const stale = serveStale(ex, ticket, `the backend answered ${code}`);
    if (stale) {
      out.body.resume();
      return stale;
    }
  }
  const revalidating = ticket.revalidating;
  if (revalidating && code === 304) {
    out.body.resume();
    const { entry, why } = revalidating;
    const merged = cache.revalidated(ticket.key, entry, headers, ticket.sentAt);
    const words = merged
      ? `revalidated: 304 from the backend (${why}); stored headers updated`
      : `revalidated: the backend's 304 names another representation; the stored copy is served unchanged (${why})`;
    return answer(ex, ticket, entry, 'REVALIDATED', words, ticket.request);
  }
  if (method === 'HEAD') {
    cache.headSeen(ticket.key, ticket.request, code, headers, ticket.sentAt);
    mark(ex, headers, plan, 'MISS', ticket.missed ?? revalidating?.why ?? '');
    return out;
  }
  // Stored as the backend sent it: the headers are copied before compression touches them.
  const judged = withRepeatedLines(headers, (out.body as Partial<IncomingMessage>).rawHeaders);
  const admission = cache.admit({
    key: ticket.key,
    route: plan.route,
    method,
    request: ticket.request,
    status: code,
    headers: judged,
    requestTime: ticket.sentAt,
    targets: plan.targets,
    devSeconds: plan.devSeconds,
  });
  const before = revalidating ? `revalidated (${revalidating.why}): the backend sent a new ${code}` : (ticket.missed ?? '');
  if ('refused' in admission) {
    mark(ex, headers, plan, 'MISS', `${before ? `${before}; ` : ''}not stored: ${admission.refused}`);
    return out;
  }
  const proxyRes = out.body as IncomingMessage;
  proxyRes.on('data', admission.push);
  proxyRes.once('end', () => {
    // A backend that sent bytes past its Content-Length broke its own framing: the client
    // got the declared response, the store keeps nothing from it.
    if (proxyRes.complete !== false && !ex.backendOverran) admission.finish();
  });
  mark(ex, headers, plan, 'MISS', `${before ? `${before}; ` : ''}${admission.why}`);
  return out;
}

/**
 * stale-if-error (RFC 5861 §4): the backend failed (a 5xx, or no connection at all) and a
 * stale copy may stand in: the response to write instead, or undefined. The lookup only
 * offers a fallback that no must-revalidate, proxy-revalidate, s-maxage or no-cache forbids.
 */
export function serveStale(ex: Exchange, ticket: CacheTicket, failure = 'the backend failed'): Outgoing | undefined {
  const entry = ticket.fallback;
  if (!entry || ex.res.headersSent) return undefined;
  return answer(ex, ticket, entry, 'STALE', `stale: ${failure}; stale-if-error lets the stored copy stand in`, ticket.request);
}
