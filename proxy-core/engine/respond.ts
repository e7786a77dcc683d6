// Writing a response ourselves: a route with a stage that has a `response` or
// `responseBody` hook (cache, compression, a download throttle) asks http-proxy-3 for
// `selfHandleResponse`, and this writes the head and pipes the body (the backend's, or a
// stored one) through the route's responseBody stages in list order. Routes without such
// stages never come here and keep http-proxy-3's own pipe.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import type { Exchange } from './exchange-state.js';

/** Never forwarded from a backend's response by a proxy we write ourselves. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'trailer', 'te', 'http2-settings']);

/** A response to write: the backend's, or one the cache stored. */
export interface Outgoing {
  status: number;
  statusMessage?: string | undefined;
  headers: IncomingHttpHeaders;
  body: Readable;
  /** Send the head at once (a body of unknown length that an encoder holds back). */
  flushHead?: boolean;
}

/** Copies a response's status and headers to the client, as http-proxy-3's outgoing passes would. */
export function writeHead(req: IncomingMessage, res: ServerResponse, out: Outgoing): void {
  for (const [name, value] of Object.entries(out.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
  }
  res.statusCode = out.status;
  // HTTP/2 has no reason phrase (Node warns when one is set).
  if (req.httpVersionMajor < 2 && out.statusMessage) res.statusMessage = out.statusMessage;
}

/** The backend's response as an Outgoing. */
export const fromBackend = (proxyRes: IncomingMessage): Outgoing => ({
  status: proxyRes.statusCode ?? 502,
  statusMessage: proxyRes.statusMessage,
  headers: proxyRes.headers,
  body: proxyRes,
});

/** Writes a response to the client through the route's responseBody stages (encode, then pace). */
export function writeResponse(ex: Exchange, out: Outgoing): void {
  const res = ex.res;
  const stages = ex.route?.stages.responseBody;
  const streams: (Readable | Transform | ServerResponse)[] = [out.body];
  if (stages) {
    for (const stage of stages) {
      const through = stage.responseBody!(ex, out);
      if (through) streams.push(through);
    }
  }
  writeHead(ex.req, res, out);
  // A body of unknown length may be a stream that waits for events: the client should not
  // wait for the first one to learn the response has begun (EventSource's "open").
  if (out.flushHead) res.flushHeaders();
  streams.push(res);
  // A client that leaves or a backend that breaks tears down the whole chain.
  pipeline(streams, ignoreError);
}

/** Failures end the response (pipeline destroys every stream); the proxy logs the backend's. */
function ignoreError(): void {}

/** The route's edits to a backend's response head; also applied to a background revalidation's. */
export function editResponseHead(ex: Exchange, headers: IncomingHttpHeaders, status: number): void {
  const stages = ex.route?.stages.responseHead;
  if (stages) for (const stage of stages) stage.responseHead!(ex, headers, status);
}
