// A stored response as the answer to write: its stored header fields with Age (RFC 9111
// §5.1) and its own Date, then the client's own conditions (conditionals.ts → 304) and
// range (ranges.ts → 206 or 416) applied to it; a HEAD gets the head alone.
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Exchange } from '../exchange-state.js';
import type { Outgoing } from '../respond.js';
import { flatHeaders } from '../capture/tap-start.js';
import { notModified, notModifiedHeaders } from './conditionals.js';
import { planRange, sliceBody } from './ranges.js';
import type { StoredResponse } from './response-store.js';
import type { RouteCounters } from '../route-counters.js';

export interface Served {
  readonly out: Outgoing;
  /** What the client got, in words: "304: If-None-Match names the stored ETag", "206 bytes 0-9 of 100". */
  readonly note: string;
}

/** The stored entry as a response to `ex`'s request, `age` seconds old; `request` holds the client's own conditions. */
export function serveStored(
  ex: Exchange,
  entry: StoredResponse,
  age: number,
  extra: IncomingHttpHeaders,
  request: IncomingHttpHeaders,
  counters: RouteCounters,
  now: number,
): Served {
  const method = ex.req.method ?? 'GET';
  const headers: IncomingHttpHeaders = { ...entry.headers, age: String(Math.floor(age)), ...extra };
  const length = entry.body.reduce((n, chunk) => n + chunk.length, 0);
  let status = entry.status;
  let body: readonly Buffer[] = entry.body;
  let note = '';
  if (notModified(method, request, entry.headers, now)) {
    const out = { status: 304, headers: { ...notModifiedHeaders(headers), ...extra }, body: Readable.from([]) };
    ex.tap?.responseHead(304, flatHeaders(out.headers));
    return { out, note: `304: the request's ${request['if-none-match'] !== undefined ? 'If-None-Match' : 'If-Modified-Since'} matches the stored response` };
  }
  if (status === 200) {
    const plan = planRange(method, request, entry.headers, length);
    if (plan.kind === 'part') {
      status = 206;
      body = sliceBody(entry.body, plan.start, plan.end);
      headers['content-range'] = `bytes ${plan.start}-${plan.end}/${length}`;
      headers['content-length'] = String(plan.end - plan.start + 1);
      note = `206: bytes ${plan.start}-${plan.end} of ${length}`;
    } else if (plan.kind === 'unsatisfiable') {
      const out = {
        status: 416,
        headers: { 'content-range': `bytes */${length}`, 'content-length': '0', date: headers.date, ...extra },
        body: Readable.from([]),
      };
      ex.tap?.responseHead(416, flatHeaders(out.headers as IncomingHttpHeaders));
      return { out: out as Outgoing, note: `416: the range is past the stored ${length} bytes` };
    }
  }
  // The stored length, whatever a later 304 said (stored-headers.ts keeps it anyway).
  if (status === entry.status && status !== 204) headers['content-length'] = String(length);
  const head = method === 'HEAD';
  if (!head) for (const chunk of body) counters.cacheBytesServed += chunk.length;
  const out: Outgoing = { status, headers, body: Readable.from(head ? [] : body) };
  ex.tap?.responseHead(status, flatHeaders(headers));
  if (!head) out.body.on('data', (chunk: Buffer) => ex.tap?.responseData(chunk));
  return { out, note };
}
