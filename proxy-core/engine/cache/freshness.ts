// How long a stored response stays fresh and how old it is, as RFC 9111 §4.2 says, for a
// shared cache; and which field decided (a targeted field such as CDN-Cache-Control,
// Cache-Control, Expires, or a heuristic), in words for the inspector's mark.
import type { IncomingHttpHeaders } from 'node:http';
import { deltaSeconds, has, parseCacheControl, secondsOr0, type Directives } from './cache-control.js';
import { parseHttpDate } from './http-date.js';
import { selectTargeted } from './targeted-fields.js';

/** RFC 9110 §15.1: the statuses a cache may give a heuristic freshness lifetime. */
export const HEURISTICALLY_CACHEABLE = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);

/** RFC 9111 §4.2.2 suggests 10% of the time since Last-Modified. */
const HEURISTIC_FRACTION = 0.1;

export interface ResponseRules {
  /** The field whose directives apply: a targeted field, or "Cache-Control". */
  readonly field: string;
  readonly directives: Directives;
  /** Freshness lifetime in seconds (0: stale as soon as stored). */
  readonly lifetime: number;
  /** Where the lifetime comes from, in words: "max-age=300 in CDN-Cache-Control". */
  readonly lifetimeFrom: string;
  /** What decided, for "stored 300 s by …": the field, Expires, or a heuristic. */
  readonly decidedBy: string;
  /** Explicit freshness (max-age, s-maxage, Expires) rather than none or a heuristic. */
  readonly explicit: boolean;
  /** no-cache: every reuse needs a successful revalidation first. */
  readonly noCache: boolean;
  /** must-revalidate, proxy-revalidate, s-maxage or no-cache: never served stale (§4.2.4). */
  readonly staleForbidden: string | undefined;
  readonly staleWhileRevalidate: number;
  readonly staleIfError: number;
}

/** Which directive forbids serving this response stale, if any (§4.2.4, §5.2.2). */
function staleForbiddenBy(directives: Directives): string | undefined {
  for (const name of ['must-revalidate', 'proxy-revalidate', 's-maxage', 'no-cache']) if (has(directives, name)) return name;
  return undefined;
}

/** The response's caching rules for this cache, with `targets` its RFC 9213 field list. */
export function responseRules(status: number, headers: IncomingHttpHeaders, targets: readonly string[], receivedAt: number): ResponseRules {
  const targeted = selectTargeted(headers, targets);
  const field = targeted?.field ?? 'Cache-Control';
  const directives = targeted?.directives ?? parseCacheControl(headers['cache-control']);
  const base = {
    field,
    directives,
    noCache: has(directives, 'no-cache'),
    staleForbidden: staleForbiddenBy(directives),
    staleWhileRevalidate: secondsOr0(directives, 'stale-while-revalidate'),
    staleIfError: secondsOr0(directives, 'stale-if-error'),
  };
  // §4.2.1, in order: s-maxage (a shared cache), max-age, Expires − Date; a repeated or
  // malformed value makes the response stale rather than falling through.
  for (const name of ['s-maxage', 'max-age']) {
    const seconds = deltaSeconds(directives, name);
    if (seconds === 'invalid')
      return { ...base, lifetime: 0, explicit: true, decidedBy: field, lifetimeFrom: `an invalid or repeated ${name} in ${field} (stale)` };
    if (seconds !== undefined) return { ...base, lifetime: seconds, explicit: true, decidedBy: field, lifetimeFrom: `${name}=${seconds} in ${field}` };
  }
  // A targeted field that decides makes this cache ignore Expires too (RFC 9213 §2.2).
  if (!targeted && headers.expires !== undefined) {
    const expires = parseHttpDate(headers.expires, receivedAt);
    if (expires === undefined) return { ...base, lifetime: 0, explicit: true, decidedBy: 'Expires', lifetimeFrom: 'an invalid Expires (already expired)' };
    const date = parseHttpDate(headers.date, receivedAt) ?? receivedAt;
    return { ...base, lifetime: Math.max(0, Math.floor((expires - date) / 1000)), explicit: true, decidedBy: 'Expires', lifetimeFrom: 'Expires' };
  }
  // §4.2.2: a heuristic only for heuristically cacheable statuses, or with `public`.
  const lastModified = parseHttpDate(headers['last-modified'], receivedAt);
  if (lastModified !== undefined && (HEURISTICALLY_CACHEABLE.has(status) || has(directives, 'public'))) {
    const date = parseHttpDate(headers.date, receivedAt) ?? receivedAt;
    const lifetime = Math.max(0, Math.floor(((date - lastModified) / 1000) * HEURISTIC_FRACTION));
    return { ...base, lifetime, explicit: false, decidedBy: 'a heuristic', lifetimeFrom: 'a heuristic (10% of the time since Last-Modified)' };
  }
  return { ...base, lifetime: 0, explicit: false, decidedBy: field, lifetimeFrom: 'no freshness information' };
}

/** What §4.2.3 needs to know about a stored response to tell its age. */
export interface AgeClock {
  /** The Age field the response arrived with, in seconds. */
  readonly ageValue: number;
  /** Its Date, in ms (the time it arrived when it had none). */
  readonly dateValue: number;
  /** When the request that brought it was sent, and when its head arrived, in ms. */
  readonly requestTime: number;
  readonly responseTime: number;
}

/**
 * An Age field value (§5.1): a non-negative integer; of a list, the first member; anything
 * else is ignored. Too large a value is 2^31, as for any delta-seconds.
 */
export function ageValueOf(field: string | readonly string[] | undefined): number {
  const first = (typeof field === 'string' ? field : field?.[0])?.split(',')[0]?.trim();
  return first !== undefined && /^\d+$/.test(first) ? Math.min(Number(first), 2 ** 31) : 0;
}

/** The response's current age in seconds (RFC 9111 §4.2.3). */
export function currentAge(clock: AgeClock, now: number): number {
  const apparentAge = Math.max(0, clock.responseTime - clock.dateValue) / 1000;
  const responseDelay = (clock.responseTime - clock.requestTime) / 1000;
  const correctedAgeValue = clock.ageValue + responseDelay;
  const correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
  const residentTime = (now - clock.responseTime) / 1000;
  return correctedInitialAge + residentTime;
}
