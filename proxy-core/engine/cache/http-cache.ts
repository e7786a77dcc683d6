// The cache's decisions: what a request may be served from, what a response may be stored
// as, what a 304 refreshes and what an unsafe method invalidates. The RFC 9111 rules
// themselves (freshness, heuristics, Vary, request directives, Authorization, private,
// no-store…) are http-cache-semantics' in shared-cache mode; the flow and the store are ours.
import CachePolicy from 'http-cache-semantics';
import { ResponseStore, type StoredResponse } from './response-store.js';

export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'REVALIDATED' | 'BYPASS';

export type Lookup =
  | { kind: 'hit'; entry: StoredResponse; headers: CachePolicy.Headers }
  /** Stale, but inside its `stale-while-revalidate` window: serve these headers now, refresh in the background. */
  | { kind: 'stale-while-revalidate'; entry: StoredResponse; headers: CachePolicy.Headers }
  /** A stored variant matches but is stale: ask the backend with these (conditional) headers. */
  | { kind: 'revalidate'; entry: StoredResponse; headers: CachePolicy.Headers; fallback?: StoredResponse }
  /** `fallback`: a stale variant `stale-if-error` lets us serve if the backend fails. */
  | { kind: 'miss'; fallback?: StoredResponse }
  /** `Cache-Control: only-if-cached` and nothing usable: RFC 9111 §5.2.1.7 says 504. */
  | { kind: 'only-if-cached' };

/** Absolute URL as the client named it: the scheme matters (a route can serve both). */
export function cacheKey(scheme: string, host: string, url: string): string {
  return `${scheme}://${host.toLowerCase()}${url}`;
}

/**
 * What http-cache-semantics sees of a request. A HEAD is looked up as the GET it mirrors:
 * a stored GET answers it (headers only), which is what RFC 9110 §9.3.2 allows.
 */
export function requestShape(method: string, url: string, headers: CachePolicy.Headers): CachePolicy.Request {
  return { method: method === 'HEAD' ? 'GET' : method, url, headers };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
export const isUnsafe = (method: string) => !SAFE.has(method);

const hasDirective = (cacheControl: unknown, name: string) =>
  typeof cacheControl === 'string' && new RegExp(`(?:^|,)\\s*${name}\\s*(?:,|=|$)`, 'i').test(cacheControl);

/**
 * RFC 5861 §4: may this stale response stand in when the backend fails? (The library
 * applies stale-if-error only inside revalidatedPolicy, and only to error responses.)
 */
export function usableOnError(policy: CachePolicy): boolean {
  const cacheControl = policy.responseHeaders()['cache-control'];
  const seconds = typeof cacheControl === 'string' ? Number(/(?:^|,)\s*stale-if-error\s*=\s*"?(\d+)/i.exec(cacheControl)?.[1] ?? 0) : 0;
  return seconds > 0 && policy.maxAge() + seconds > policy.age();
}

/** Dev mode applies to plain 200s whose backend said nothing about caching at all. */
function silentAboutCaching(status: number, headers: CachePolicy.Headers): boolean {
  return status === 200 && headers['cache-control'] === undefined && headers.expires === undefined && headers.pragma === undefined;
}

export class HttpCache {
  /** CachePolicy reading this cache's clock; its revalidated copies keep it (they are made with `new this.constructor`). */
  private readonly Policy: typeof CachePolicy;

  constructor(
    readonly store = new ResponseStore(),
    /** What "now" is for freshness and age: the wall clock, or a test's that it moves forward. */
    now: () => number = Date.now,
  ) {
    this.Policy = class extends CachePolicy {
      now(): number {
        return now();
      }
    };
  }

  lookup(key: string, shape: CachePolicy.Request): Lookup {
    let stale: Lookup | undefined;
    let servable: Lookup | undefined;
    let fallback: StoredResponse | undefined;
    for (const entry of this.store.variants(key)) {
      const result = entry.policy.evaluateRequest(shape);
      if (result.response && !result.revalidation) return { kind: 'hit', entry, headers: result.response.headers };
      // RFC 5861 §3: usable now while a refresh runs (background-revalidation.ts); a fresh
      // variant further on still wins.
      if (result.response && !servable) servable = { kind: 'stale-while-revalidate', entry, headers: result.response.headers };
      if (!fallback && usableOnError(entry.policy) && sameVariant(entry.policy, shape)) fallback = entry;
      // The library keeps validators only for a variant that matches this request (Vary);
      // for the others it strips them, so their presence says "this variant, but stale".
      const headers = result.revalidation?.headers;
      const validated = headers && (headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined);
      if (validated && !stale && (entry.policy.responseHeaders().etag || entry.policy.responseHeaders()['last-modified'])) {
        stale = { kind: 'revalidate', entry, headers };
      }
    }
    if (servable) return servable;
    if (hasDirective(shape.headers['cache-control'], 'only-if-cached')) return { kind: 'only-if-cached' };
    if (stale?.kind === 'revalidate') return fallback ? { ...stale, fallback } : stale;
    return fallback ? { kind: 'miss', fallback } : { kind: 'miss' };
  }

  /**
   * Starts storing a backend's response when the rules allow it; undefined when they do
   * not. The caller feeds the body as it streams to the client (the client never waits
   * for the cache) and calls `finish` only for a body that arrived whole.
   */
  admit(key: string, route: string, shape: CachePolicy.Request, status: number, headers: CachePolicy.Headers, devSeconds?: number) {
    // A range is a piece of a representation; we store whole ones only. A 304 answers the
    // client's own conditional request and has no body to keep.
    if (shape.method !== 'GET' || status === 206 || status === 304 || shape.headers.range !== undefined) return undefined;
    // Dev mode: the rules see a max-age the backend never sent; the client never sees it.
    const dev = devSeconds !== undefined && silentAboutCaching(status, headers);
    const ruled = dev ? { ...headers, 'cache-control': `max-age=${devSeconds}` } : { ...headers };
    const policy = new this.Policy(shape, { status, headers: ruled }, { shared: true });
    if (!policy.storable() || (policy.timeToLive() <= 0 && !policy.responseHeaders().etag && !policy.responseHeaders()['last-modified'])) {
      return undefined; // never fresh and nothing to revalidate with: storing it would only cost memory
    }
    const body: Buffer[] = [];
    let size = 0;
    let overflow = false;
    return {
      push: (chunk: Buffer) => {
        if (overflow) return;
        size += chunk.length;
        if (this.store.fits(size)) body.push(chunk);
        else [overflow, body.length] = [true, 0];
      },
      finish: () => {
        if (!overflow) this.store.put(key, { policy, body, route, ...(dev && { dev }) }, (old) => sameVariant(old.policy, shape));
      },
    };
  }

  /** A 304 to our conditional request: the stored body is current; its headers merge in. */
  revalidated(key: string, entry: StoredResponse, shape: CachePolicy.Request, status: number, headers: CachePolicy.Headers) {
    const { policy, modified } = entry.policy.revalidatedPolicy(shape, { status, headers });
    if (modified) return undefined;
    this.store.refresh(key, entry, policy);
    return policy.responseHeaders();
  }

  /**
   * RFC 9111 §4.4: a non-error answer to an unsafe method invalidates the URL and the
   * URLs in Location and Content-Location when they are on the same origin.
   */
  invalidate(origin: string, url: string, status: number, headers: CachePolicy.Headers): number {
    if (status < 200 || status >= 400) return 0;
    let dropped = this.store.delete(origin + url);
    for (const name of ['location', 'content-location']) {
      const value = headers[name];
      if (typeof value !== 'string' || !URL.canParse(value, origin + url)) continue;
      const target = new URL(value, origin + url);
      if (target.origin === new URL(origin).origin) dropped += this.store.delete(origin + target.pathname + target.search);
    }
    return dropped;
  }

  /** Purge everything, one route's entries, or one URL's. */
  purge(filter: { route?: string | undefined; url?: string | undefined } = {}): number {
    return this.store.purge((key, entry) => (filter.route === undefined || entry.route === filter.route) && (filter.url === undefined || key === filter.url));
  }
}

/** Does a stored variant answer the same request as `shape` (so a new response replaces it)? */
function sameVariant(old: CachePolicy, shape: CachePolicy.Request): boolean {
  const vary = old.responseHeaders().vary;
  if (typeof vary !== 'string' || vary.trim() === '') return true;
  // The request headers the old response was stored with are kept only when it varies.
  const before = (old.toObject() as { reqh?: CachePolicy.Headers | null }).reqh ?? {};
  return vary
    .toLowerCase()
    .split(',')
    .map((name) => name.trim())
    .every((name) => name !== '*' && String(before[name] ?? '') === String(shape.headers[name] ?? ''));
}
