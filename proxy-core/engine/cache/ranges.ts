// A Range request answered from a stored complete 200 (RFC 9110 §14): one byte range
// becomes a 206 with Content-Range, a range past the end a 416, and anything this cache
// does not serve as parts — several ranges, another unit, a malformed field, an If-Range
// that no longer matches — the whole representation as a 200, which §14.2 allows.
import type { IncomingHttpHeaders } from 'node:http';
import { parseHttpDate } from './http-date.js';

export type RangePlan = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

const WHOLE: RangePlan = { kind: 'whole' };

/** §13.1.5: If-Range names the stored representation by a strong ETag or its exact Last-Modified. */
function ifRangeHolds(ifRange: string, stored: IncomingHttpHeaders): boolean {
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) {
    const etag = stored.etag;
    return !value.startsWith('W/') && typeof etag === 'string' && !etag.startsWith('W/') && etag === value;
  }
  const date = parseHttpDate(value);
  const lastModified = parseHttpDate(stored['last-modified']);
  return date !== undefined && lastModified !== undefined && date === lastModified;
}

export function planRange(method: string, request: IncomingHttpHeaders, stored: IncomingHttpHeaders, length: number): RangePlan {
  const range = request.range;
  // GET is the only method with ranges (§14.2).
  if (method !== 'GET' || typeof range !== 'string') return WHOLE;
  const ifRange = request['if-range'];
  if (typeof ifRange === 'string' && !ifRangeHolds(ifRange, stored)) return WHOLE;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
  if (!m || (m[1] === '' && m[2] === '')) return WHOLE;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || length === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, length - suffix), end: length - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return WHOLE; // invalid: ignored
  if (start >= length) return { kind: 'unsatisfiable' };
  const end = m[2] === '' ? length - 1 : Number(m[2]);
  return { kind: 'part', start, end: Math.min(end, length - 1) };
}

/** The body bytes from `start` to `end` inclusive, from the stored chunks. */
export function sliceBody(chunks: readonly Buffer[], start: number, end: number): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end + 1 - offset, chunk.length);
    if (from < to) out.push(chunk.subarray(from, to));
    offset += chunk.length;
    if (offset > end) break;
  }
  return out;
}
