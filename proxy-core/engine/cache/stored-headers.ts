// Which header fields a stored response keeps (RFC 9111 §3.1) and how a 304 or a HEAD
// response updates them (§3.2, §4.3.4, §4.3.5).
import type { IncomingHttpHeaders } from 'node:http';
import { qualifiedFields, type Directives } from './cache-control.js';
import { formatHttpDate, parseHttpDate } from './http-date.js';

/** Hop-by-hop fields: about one connection, never stored. */
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'te', 'transfer-encoding', 'upgrade', 'trailer']);

/**
 * Never taken from a 304 or HEAD (§3.2): Content-Length, which describes the stored body.
 * Everything else is replaced, Content-Type and Content-Encoding included: the store
 * keeps the bytes as received, not a decoded form that would depend on them.
 */
const NOT_UPDATED = new Set(['content-length']);

function connectionNamed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    text
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The fields to store: no hop-by-hop ones, none a qualified private names, and a Date (RFC 9110 §6.6.1). */
export function storedHeaders(headers: IncomingHttpHeaders, directives: Directives, receivedAt: number): IncomingHttpHeaders {
  const drop = new Set([...HOP_BY_HOP, ...connectionNamed(headers), ...qualifiedFields(directives, 'private')]);
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !drop.has(name) && !name.startsWith(':')) kept[name] = value;
  if (parseHttpDate(kept.date, receivedAt) === undefined) kept.date = formatHttpDate(receivedAt);
  return kept;
}

/** §3.2: the stored fields with those of a 304 (or a HEAD response) replacing them. */
export function updatedHeaders(stored: IncomingHttpHeaders, fresh: IncomingHttpHeaders): IncomingHttpHeaders {
  const drop = new Set([...HOP_BY_HOP, ...connectionNamed(fresh), ...NOT_UPDATED]);
  const merged: IncomingHttpHeaders = { ...stored };
  for (const [name, value] of Object.entries(fresh)) if (value !== undefined && !drop.has(name) && !name.startsWith(':')) merged[name] = value;
  return merged;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
const isWeak = (tag: string) => tag.trim().startsWith('W/');

/**
 * §4.3.4: does a 304 select this stored response? A strong ETag must match strongly, a
 * weak one weakly; without an ETag, a Last-Modified must match. A 304 naming neither
 * answers the validators this cache sent for this very response, so it selects it.
 */
export function selectsStored(stored: IncomingHttpHeaders, fresh: IncomingHttpHeaders): boolean {
  const etag = typeof fresh.etag === 'string' ? fresh.etag : undefined;
  const storedEtag = typeof stored.etag === 'string' ? stored.etag : undefined;
  if (etag !== undefined) {
    if (storedEtag === undefined) return false;
    if (!isWeak(etag)) return !isWeak(storedEtag) && opaque(etag) === opaque(storedEtag);
    return opaque(etag) === opaque(storedEtag);
  }
  if (fresh['last-modified'] !== undefined) return stored['last-modified'] === fresh['last-modified'];
  // A 304 that names no validator answers the validators the cache itself sent.
  return true;
}

/**
 * §4.3.5: a HEAD response updates a stored GET response when its validators agree; when
 * Content-Length, ETag or Last-Modified say the representation changed, the stored one
 * must be revalidated before it is used again.
 */
export function headEffect(stored: IncomingHttpHeaders, head: IncomingHttpHeaders): 'update' | 'stale' {
  for (const name of ['etag', 'last-modified', 'content-length'] as const) {
    if (head[name] !== undefined && stored[name] !== undefined && head[name] !== stored[name]) return 'stale';
  }
  return 'update';
}

/** Fields with one value only; Node keeps the first of several lines and drops the rest. */
const SINGLE_VALUED = new Set(['expires', 'date', 'last-modified']);

/**
 * The headers as the cache must judge them: a singleton field sent on several lines
 * becomes all of its values joined, which no parser accepts — several Expires values are
 * invalid (RFC 9111 §4.2.1), not the first one.
 */
export function withRepeatedLines(headers: IncomingHttpHeaders, rawHeaders: readonly string[] | undefined): IncomingHttpHeaders {
  if (!rawHeaders) return headers;
  const lines = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (SINGLE_VALUED.has(name)) lines.set(name, [...(lines.get(name) ?? []), rawHeaders[i + 1]!]);
  }
  const out = { ...headers };
  for (const [name, values] of lines) if (values.length > 1) out[name] = values.join(', ');
  return out;
}
