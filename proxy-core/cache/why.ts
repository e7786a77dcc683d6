// The cache's decisions in words, for the inspector: a MISS on every reload looks like a
// broken cache unless it says why (the browser asked to revalidate, or the response gave
// the cache nothing to keep it by). Mirrors the rules HttpCache applies.
import CachePolicy from 'http-cache-semantics';

const directive = (value: unknown, name: string) => typeof value === 'string' && new RegExp(`(?:^|,)\\s*${name}\\s*(?:,|=|$)`, 'i').test(value);
const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

/** Why a request did not take a stored answer, when the request itself is why; else undefined. */
export function requestRefusal(headers: CachePolicy.Headers): string | undefined {
  const cacheControl = headers['cache-control'];
  if (directive(cacheControl, 'no-cache') || /(?:^|,)\s*max-age\s*=\s*0\b/i.test(String(cacheControl ?? '')) || (cacheControl === undefined && directive(headers.pragma, 'no-cache'))) {
    return 'not served from cache: the browser asked to revalidate (a reload sends max-age=0; a hard reload no-cache)';
  }
  if (directive(cacheControl, 'no-store')) return 'not served from cache: the request said no-store';
  return undefined;
}

/** What the cache did with a backend's response: "stored for 60 s", or why it did not keep it. */
export function storeVerdict(shape: CachePolicy.Request, status: number, headers: CachePolicy.Headers, devSeconds: number | undefined): string {
  if (shape.method !== 'GET') return `not stored: only GET and HEAD answers are cached`;
  if (shape.headers.range !== undefined || status === 206) return 'not stored: a byte range is a piece of a response, and only whole ones are kept';
  if (status === 304) return 'not stored: a 304 answers the browser’s own conditional request and has no body';
  const silent = status === 200 && headers['cache-control'] === undefined && headers.expires === undefined && headers.pragma === undefined;
  const dev = devSeconds !== undefined && silent;
  const ruled = dev ? { ...headers, 'cache-control': `max-age=${devSeconds}` } : headers;
  const policy = new CachePolicy(shape, { status, headers: ruled }, { shared: true });
  const validators = headers.etag !== undefined || headers['last-modified'] !== undefined;
  if (policy.storable() && (policy.timeToLive() > 0 || validators)) {
    const ttl = seconds(policy.timeToLive());
    if (dev) return `stored for ${ttl} s by dev mode (the response says nothing about caching)`;
    return ttl > 0 ? `stored for ${ttl} s` : 'stored, never fresh: revalidated with the backend on each use (ETag/Last-Modified)';
  }
  const cacheControl = headers['cache-control'];
  if (directive(cacheControl, 'no-store')) return 'not stored: the response says Cache-Control: no-store';
  if (directive(cacheControl, 'private')) return 'not stored: the response says Cache-Control: private (for the browser only)';
  if (silent) return 'not stored: the response has no freshness (no Cache-Control or Expires) — dev mode would keep it';
  if (!policy.storable()) return `not stored: a ${status} answer without explicit freshness is not cacheable`;
  return 'not stored: the response is never fresh (max-age=0 or no-cache) and has no ETag or Last-Modified to revalidate with';
}

/** A stored answer served as it is. */
export function hitReason(policy: CachePolicy, dev: boolean | undefined): string {
  return `HIT, age ${seconds(policy.age() * 1000)} s, fresh for ${seconds(policy.timeToLive())} s more${dev ? ' (kept by dev mode)' : ''}`;
}
