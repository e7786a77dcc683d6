// A client's own conditional GET or HEAD answered from a stored response (RFC 9110 §13,
// RFC 9111 §4.3.2): If-None-Match with weak comparison (a list, `*`, quoted or bare tags),
// else If-Modified-Since against Last-Modified (or Date). A match is a 304 carrying the
// fields §15.4.5 asks for.
import type { IncomingHttpHeaders } from 'node:http';
import { parseHttpDate } from './http-date.js';

/** Did the client send a validator of its own? */
export const isConditional = (request: IncomingHttpHeaders): boolean => request['if-none-match'] !== undefined || request['if-modified-since'] !== undefined;

/** The opaque part of an entity-tag: weak comparison ignores W/ (RFC 9110 §8.8.3.2). */
const opaque = (tag: string) =>
  tag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');

/** Splits an If-None-Match list on commas outside quotes. */
function entityTags(field: string): string[] {
  return (field.match(/(?:W\/)?"[^"]*"|[^,\s]+/g) ?? []).map((tag) => tag.trim()).filter(Boolean);
}

/** Would the origin answer 304 to these conditions, judging by this stored response? */
export function notModified(method: string, request: IncomingHttpHeaders, stored: IncomingHttpHeaders, now: number): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const wanted = request['if-none-match'];
  if (typeof wanted === 'string') {
    // §13.2.2: If-None-Match, when present, decides; If-Modified-Since is then ignored.
    if (wanted.trim() === '*') return true;
    const etag = stored.etag;
    if (typeof etag !== 'string') return false;
    return entityTags(wanted).some((tag) => opaque(tag) === opaque(etag));
  }
  const since = parseHttpDate(request['if-modified-since'], now);
  if (since === undefined) return false; // an invalid date is ignored (§13.1.3)
  const changed = parseHttpDate(stored['last-modified'], now) ?? parseHttpDate(stored.date, now);
  return changed !== undefined && changed <= since;
}

/** RFC 9110 §15.4.5: the fields a 304 carries (those a 200 would have sent). */
const NOT_MODIFIED_FIELDS = ['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary', 'last-modified', 'age'];

export function notModifiedHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const name of NOT_MODIFIED_FIELDS) if (headers[name] !== undefined) out[name] = headers[name] as string;
  return out;
}
