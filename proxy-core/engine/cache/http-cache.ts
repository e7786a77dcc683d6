// The cache's decisions: what a request may be served from (RFC 9111 §4), what a response
// may be stored as (§3), what a 304 or a HEAD refreshes (§4.3.4, §4.3.5) and what an
// unsafe method invalidates (§4.4). The parsing and the single rules live beside it:
// http-date.ts, cache-control.ts, targeted-fields.ts, freshness.ts, storability.ts,
// stored-headers.ts. Every decision comes with its reason in words for the inspector.
import type { IncomingHttpHeaders } from 'node:http';
import { deltaSeconds, has, parseCacheControl } from './cache-control.js';
import { ageValueOf, currentAge, responseRules, type ResponseRules } from './freshness.js';
import { parseHttpDate } from './http-date.js';
import { ResponseStore, type StoredResponse } from './response-store.js';
import { whyNotStorable } from './storability.js';
import { headEffect, selectsStored, storedHeaders, updatedHeaders } from './stored-headers.js';

/** Why a request found nothing: no stored response at all. */
export const NOTHING_STORED = 'nothing stored for this request';

/** A browser reload asks for revalidation; said so, since a MISS on each reload looks like a broken cache. */
const RELOAD = 'the browser asked to revalidate (a reload sends max-age=0; a hard reload no-cache)';

export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'REVALIDATED' | 'BYPASS';

export type Lookup =
  | { kind: 'hit'; entry: StoredResponse; age: number; why: string }
  /** Stale, but inside its `stale-while-revalidate` window: serve it now, refresh in the background. */
  | { kind: 'stale-while-revalidate'; entry: StoredResponse; age: number; why: string }
  /** A stored variant matches but may not be used without asking the backend first. */
  | { kind: 'revalidate'; entry: StoredResponse; why: string; fallback?: StoredResponse | undefined }
  /** `fallback`: a stale variant `stale-if-error` lets us serve if the backend fails. */
  | { kind: 'miss'; why: string; fallback?: StoredResponse | undefined }
  /** `Cache-Control: only-if-cached` and nothing usable: RFC 9111 §5.2.1.7 says 504. */
  | { kind: 'only-if-cached' };

/** Absolute URL as the client named it: the scheme matters (a route can serve both). */
export function cacheKey(scheme: string, host: string, url: string): string {
  return `${scheme}://${host.toLowerCase()}${url}`;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
export const isUnsafe = (method: string) => !SAFE.has(method);

/** A request field's value for Vary matching: lines joined, whitespace around commas normalized. */
function normalized(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((part) => part.trim())
    .join(',');
}

function varyNames(headers: IncomingHttpHeaders): string[] {
  const vary = headers.vary;
  if (typeof vary !== 'string') return [];
  return vary
    .toLowerCase()
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** §4.1: the request's values of the fields the stored response's Vary names. */
function varyValues(headers: IncomingHttpHeaders, request: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(varyNames(headers).map((name) => [name, normalized(request[name])]));
}

function varyMatches(entry: StoredResponse, request: IncomingHttpHeaders): boolean {
  return varyNames(entry.headers).every((name) => name !== '*' && entry.varyRequest[name] === normalized(request[name]));
}

/** Dev mode applies to plain 200s whose backend said nothing about caching at all. */
function silentAboutCaching(status: number, headers: IncomingHttpHeaders): boolean {
  return status === 200 && headers['cache-control'] === undefined && headers.expires === undefined && headers.pragma === undefined;
}

/** What a response needs for storing: the request it answers and the route's settings. */
export interface Arrival {
  readonly key: string;
  readonly route: string;
  readonly method: string;
  readonly request: IncomingHttpHeaders;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** When the request went to the backend (ms, the cache's clock). */
  readonly requestTime: number;
  readonly targets: readonly string[];
  readonly devSeconds?: number | undefined;
}

export interface Admission {
  readonly push: (chunk: Buffer) => void;
  readonly finish: () => void;
  /** "stored 300 s by CDN-Cache-Control" */
  readonly why: string;
}

export class HttpCache {
  constructor(
    readonly store = new ResponseStore(),
    /** What "now" is for freshness and age: the wall clock, or a test's that it moves forward. */
    readonly now: () => number = Date.now,
  ) {}

  lookup(key: string, request: IncomingHttpHeaders): Lookup {
    const now = this.now();
    const asked = parseCacheControl(request['cache-control']);
    // §5.4: Pragma: no-cache counts only when the request has no Cache-Control.
    const clientNoCache = has(asked, 'no-cache') || (request['cache-control'] === undefined && /no-cache/i.test(normalized(request.pragma)));
    const maxAge = deltaSeconds(asked, 'max-age');
    const minFresh = deltaSeconds(asked, 'min-fresh');
    const maxStale = asked.values.get('max-stale');
    let result: Lookup | undefined;
    let fallback: StoredResponse | undefined;
    // The most recent matching variant first (§4.1).
    for (const entry of [...this.store.variants(key)].reverse()) {
      if (!varyMatches(entry, request)) continue;
      const rules = entry.rules;
      const age = currentAge(entry.clock, now);
      const left = rules.lifetime - age;
      const forbidden = rules.staleForbidden;
      if (!fallback && !forbidden && rules.staleIfError > 0 && left + rules.staleIfError > 0) fallback = entry;
      if (result) continue;
      const state = `age ${Math.floor(age)} s of ${rules.lifetime} s (${rules.lifetimeFrom})`;
      let why: string | undefined;
      if (entry.mustRevalidate) why = 'a HEAD response said the stored one changed';
      else if (rules.noCache) why = `no-cache in ${rules.field}`;
      else if (clientNoCache) why = RELOAD;
      // max-age=0 always asks: an age of exactly 0 s is only a rounding away.
      else if (typeof maxAge === 'number' && (maxAge === 0 || age > maxAge))
        why = `${RELOAD}: it accepts age ${maxAge} s at most, the stored response is ${Math.floor(age)} s old`;
      else if (typeof minFresh === 'number' && left < minFresh) why = `the request wants ${minFresh} s of freshness left; ${state}`;
      else if (left > 0) result = { kind: 'hit', entry, age, why: `fresh for ${Math.floor(left)} s more (${rules.lifetimeFrom})` };
      else if (!forbidden && maxStale !== undefined && (maxStale === true || Number(maxStale) >= -left))
        result = { kind: 'hit', entry, age, why: `stale, which the request's max-stale accepts; ${state}` };
      else if (!forbidden && rules.staleWhileRevalidate > 0 && -left < rules.staleWhileRevalidate)
        result = { kind: 'stale-while-revalidate', entry, age, why: state };
      else why = `stale: ${state}${forbidden ? `; ${forbidden} forbids serving it stale` : ''}`;
      if (why !== undefined) {
        const validators = entry.headers.etag !== undefined || entry.headers['last-modified'] !== undefined;
        result = validators
          ? { kind: 'revalidate', entry, why }
          : { kind: 'miss', why: `not served from cache: ${why} (and it has no validator to revalidate with)` };
      }
    }
    if (result?.kind === 'hit' || result?.kind === 'stale-while-revalidate') return result;
    if (has(asked, 'only-if-cached')) return { kind: 'only-if-cached' };
    if (!result) return { kind: 'miss', why: NOTHING_STORED, fallback };
    return result.kind === 'revalidate' || result.kind === 'miss' ? { ...result, fallback } : result;
  }

  /** The stored response's rules (and dev mode's lifetime) for these headers. */
  private rulesFor(status: number, headers: IncomingHttpHeaders, targets: readonly string[], devSeconds: number | undefined, at: number) {
    const rules = responseRules(status, headers, targets, at);
    if (devSeconds === undefined || !silentAboutCaching(status, headers)) return { rules, dev: false };
    // Dev mode: the rules see a lifetime the backend never sent; the client never sees it.
    const dev: ResponseRules = {
      ...rules,
      lifetime: devSeconds,
      explicit: true,
      decidedBy: 'dev mode (the response says nothing about caching)',
      lifetimeFrom: `dev mode's ${devSeconds} s`,
    };
    return { rules: dev, dev: true };
  }

  /**
   * Starts storing a backend's response when the rules allow it, or says why not. The
   * caller feeds the body as it streams to the client (the client never waits for the
   * cache) and calls `finish` only for a body that arrived whole.
   */
  admit(arrival: Arrival): Admission | { refused: string } {
    const now = this.now();
    const { status, headers, targets } = arrival;
    const { rules, dev } = this.rulesFor(status, headers, targets, arrival.devSeconds, now);
    const refused = whyNotStorable(arrival.method, arrival.request, status, headers, rules);
    if (refused) return { refused };
    const stored = storedHeaders(headers, rules.directives, now);
    const clock = { ageValue: ageValueOf(headers.age), dateValue: parseHttpDate(stored.date, now) ?? now, requestTime: arrival.requestTime, responseTime: now };
    const declared = typeof headers['content-length'] === 'string' ? Number(headers['content-length']) : undefined;
    const body: Buffer[] = [];
    let size = 0;
    let overflow = false;
    return {
      why:
        rules.lifetime > 0 && !rules.noCache
          ? `stored for ${rules.lifetime} s by ${rules.decidedBy}`
          : `stored, never fresh: revalidated with the backend on each use (${rules.noCache ? `no-cache in ${rules.field}` : rules.lifetimeFrom})`,
      push: (chunk: Buffer) => {
        if (overflow) return;
        size += chunk.length;
        if (this.store.fits(size)) body.push(chunk);
        else [overflow, body.length] = [true, 0];
      },
      finish: () => {
        // A body that is not the length its head declared is not the response it names.
        if (overflow || (declared !== undefined && declared !== size)) return;
        const entry = {
          status,
          headers: stored,
          rules,
          clock,
          varyRequest: varyValues(headers, arrival.request),
          targets,
          body,
          route: arrival.route,
          ...(dev && { dev }),
        };
        this.store.put(arrival.key, entry, (old) => varyMatches(old, arrival.request));
      },
    };
  }

  /** A 304 to our conditional request: true when it selected the entry and its headers merged in. */
  revalidated(key: string, entry: StoredResponse, headers: IncomingHttpHeaders, requestTime: number): boolean {
    if (!selectsStored(entry.headers, headers)) return false;
    this.update(key, entry, headers, requestTime);
    return true;
  }

  /** §4.3.5: a HEAD response for a stored GET updates it, or marks it for revalidation. */
  headSeen(key: string, request: IncomingHttpHeaders, status: number, headers: IncomingHttpHeaders, requestTime: number): void {
    if (status !== 200) return;
    for (const entry of this.store.variants(key)) {
      if (!varyMatches(entry, request)) continue;
      if (headEffect(entry.headers, headers) === 'stale') entry.mustRevalidate = true;
      else this.update(key, entry, headers, requestTime);
    }
  }

  private update(key: string, entry: StoredResponse, fresh: IncomingHttpHeaders, requestTime: number): void {
    const now = this.now();
    const headers = updatedHeaders(entry.headers, fresh);
    const { rules } = this.rulesFor(entry.status, headers, entry.targets, entry.dev ? entry.rules.lifetime : undefined, now);
    const clock = { ageValue: ageValueOf(fresh.age), dateValue: parseHttpDate(headers.date, now) ?? now, requestTime, responseTime: now };
    this.store.refresh(key, entry, { headers, rules, clock });
  }

  /**
   * RFC 9111 §4.4: a non-error answer to an unsafe method invalidates the URL and the
   * URLs in Location and Content-Location when they are on the same origin.
   */
  invalidate(origin: string, url: string, status: number, headers: IncomingHttpHeaders): number {
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
