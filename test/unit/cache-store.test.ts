// The cache's store and decisions without sockets: byte-bound LRU eviction, the per-entry
// limit, variants replaced in place, purge filters, invalidation targets, which stale
// entries stale-while-revalidate lets answer at once.
import { describe, expect, it } from 'vitest';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpCache, cacheKey, type Arrival } from '../../proxy-core/engine/cache/http-cache.js';
import { validatorsOf } from '../../proxy-core/engine/cache/cached-response.js';
import { ResponseStore } from '../../proxy-core/engine/cache/response-store.js';

const HOST = 'shop.localhost';
const shape = (_url: string, headers: Record<string, string> = {}): IncomingHttpHeaders => ({ host: HOST, ...headers });
const arrival = (key: string, request: IncomingHttpHeaders, status: number, headers: IncomingHttpHeaders, method = 'GET', route = 'r'): Arrival => ({
  key,
  route,
  method,
  request,
  status,
  headers,
  requestTime: Date.now(),
  targets: ['CDN-Cache-Control'],
});
const refused = (a: Arrival) => 'refused' in new HttpCache().admit(a);
const fresh = { 'cache-control': 'max-age=60' };

/** Stores a fresh response of `bytes` body bytes under `url` through the real admission path. */
function store(cache: HttpCache, url: string, bytes: number, route = 'r', headers: Record<string, string> = fresh, req = shape(url)) {
  const admission = cache.admit(arrival(cacheKey('http', HOST, url), req, 200, headers, 'GET', route));
  if ('refused' in admission) return false;
  admission.push(Buffer.alloc(bytes, 'x'));
  admission.finish();
  return true;
}

const hit = (cache: HttpCache, url: string, req = shape(url)) => cache.lookup(cacheKey('http', HOST, url), req).kind;

describe('ResponseStore bounds', () => {
  it('evicts the least recently used URL once the byte bound is passed', () => {
    const cache = new HttpCache(new ResponseStore({ maxBytes: 3_000, maxEntryBytes: 2_000 }));
    store(cache, '/a', 800);
    store(cache, '/b', 800);
    expect(hit(cache, '/a')).toBe('hit'); // /a is now the most recently used
    store(cache, '/c', 800); // over 3000 with header overhead: /b goes
    expect(hit(cache, '/b')).toBe('miss');
    expect(hit(cache, '/a')).toBe('hit');
    expect(hit(cache, '/c')).toBe('hit');
    expect(cache.store.bytes).toBeLessThanOrEqual(3_000);
  });

  it('never keeps a body over the per-entry limit, even when it arrives in pieces', () => {
    const cache = new HttpCache(new ResponseStore({ maxBytes: 10_000, maxEntryBytes: 1_000 }));
    const admission = cache.admit(arrival(cacheKey('http', HOST, '/big'), shape('/big'), 200, fresh));
    if ('refused' in admission) throw new Error(admission.refused);
    for (let i = 0; i < 5; i++) admission.push(Buffer.alloc(300));
    admission.finish();
    expect(hit(cache, '/big')).toBe('miss');
    expect(cache.store.bytes).toBe(0);
  });

  it('a new response for the same variant replaces the old one; another variant sits beside it', () => {
    const cache = new HttpCache();
    const vary = { ...fresh, vary: 'Accept-Language' };
    store(cache, '/v', 10, 'r', vary, shape('/v', { 'accept-language': 'en' }));
    store(cache, '/v', 10, 'r', vary, shape('/v', { 'accept-language': 'en' }));
    expect(cache.store.size).toBe(1);
    store(cache, '/v', 10, 'r', vary, shape('/v', { 'accept-language': 'fr' }));
    expect(cache.store.size).toBe(2);
    expect(hit(cache, '/v', shape('/v', { 'accept-language': 'de' }))).toBe('miss');
  });
});

describe('HttpCache decisions', () => {
  it.each([
    ['no freshness and no validator', {}],
    ['no-store', { 'cache-control': 'no-store, max-age=60' }],
    ['private', { 'cache-control': 'private, max-age=60' }],
  ])('does not admit a response with %s', (_label, headers) => {
    expect(store(new HttpCache(), '/x', 10, 'r', headers)).toBe(false);
  });

  it('does not admit partial content, 304s or other methods; a whole 200 to a range request is kept', () => {
    expect(refused(arrival('k', shape('/x', { range: 'bytes=0-1' }), 200, fresh))).toBe(false);
    expect(refused(arrival('k', shape('/x'), 206, fresh))).toBe(true);
    expect(refused(arrival('k', shape('/x', { 'if-none-match': '"1"' }), 304, { ...fresh, etag: '"1"' }))).toBe(true);
    expect(refused(arrival('k', shape('/x'), 200, fresh, 'POST'))).toBe(true);
  });

  it('invalidates the URL, a same-origin Location and Content-Location, but not a foreign one', () => {
    const cache = new HttpCache();
    for (const url of ['/item', '/item/2', '/list?page=1', '/other']) store(cache, url, 10);
    const origin = cacheKey('http', HOST, '');
    expect(cache.invalidate(origin, '/item', 500, {})).toBe(0); // errors invalidate nothing
    expect(cache.invalidate(origin, '/item', 201, { location: '/item/2', 'content-location': `http://${HOST}/list?page=1` })).toBe(3);
    expect(cache.invalidate(origin, '/other', 200, { location: 'http://elsewhere.localhost/other' })).toBe(1);
    expect(cache.store.size).toBe(0);
  });

  it('purges by route and by URL', () => {
    const cache = new HttpCache();
    store(cache, '/a', 10, 'one');
    store(cache, '/b', 10, 'two');
    store(cache, '/c', 10, 'two');
    expect(cache.purge({ url: cacheKey('http', HOST, '/a') })).toBe(1);
    expect(cache.purge({ route: 'two' })).toBe(2);
    expect(cache.store.bytes).toBe(0);
  });

  it('a stale entry with a validator asks for revalidation with If-None-Match', () => {
    const cache = new HttpCache();
    store(cache, '/e', 10, 'r', { etag: '"1"', 'cache-control': 'max-age=0' });
    const found = cache.lookup(cacheKey('http', HOST, '/e'), shape('/e'));
    expect(found.kind).toBe('revalidate');
    expect(found.kind === 'revalidate' && validatorsOf(found.entry)['if-none-match']).toBe('"1"');
  });

  // Age: 10 makes the entry 10 s old as it is stored, so no clock is needed.
  it.each([
    ['max-age=5, stale-while-revalidate=30', {}, 'stale-while-revalidate'],
    ['max-age=5, stale-while-revalidate=3', {}, 'revalidate'], // past the window
    ['max-age=5', {}, 'revalidate'],
    ['max-age=60, stale-while-revalidate=30', {}, 'hit'],
    ['max-age=5, stale-while-revalidate=30, must-revalidate', {}, 'revalidate'],
    ['max-age=5, stale-while-revalidate=30', { 'cache-control': 'no-cache' }, 'revalidate'],
    ['max-age=5, stale-while-revalidate=30', { 'cache-control': 'max-age=0' }, 'revalidate'],
  ])('Cache-Control: %s, request %o → %s', (cacheControl, request, kind) => {
    const cache = new HttpCache();
    store(cache, '/s', 10, 'r', { etag: '"1"', 'cache-control': cacheControl, age: '10' });
    expect(hit(cache, '/s', shape('/s', request))).toBe(kind);
  });
});
