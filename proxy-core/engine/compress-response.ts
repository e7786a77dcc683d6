// Writing a response ourselves: a route with compression, cache or throttle on asks
// http-proxy-3 for `selfHandleResponse`, and this writes the head and pipes the body (the
// backend's, or a stored one) through an encoder and a throttle when they apply. Routes
// without those switches never come here and keep http-proxy-3's own pipe.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { ContentEncoding } from '../contract/index.js';
import type { ExchangeTap } from './capture-tap.js';
import { addVary, encodedHeaders, negotiateEncoding, skipReason, type CompressionPlan } from './compression.js';
import { downloadThrottle } from './throttle.js';

/** Never forwarded from a backend's response by a proxy we write ourselves. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'trailer', 'te', 'http2-settings']);

/** A response to write: the backend's, or one the cache stored. */
export interface Outgoing {
  status: number;
  statusMessage?: string | undefined;
  headers: IncomingHttpHeaders;
  body: Readable;
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

/**
 * Each encoder flushes after every chunk the backend sends. That costs a little ratio on
 * bodies written in many small pieces, but it is what keeps server-sent events, long
 * polls and streamed HTML arriving as the backend writes them instead of when the
 * encoder's window fills. Levels are the dynamic-content ones (nginx gzip 6, Caddy's
 * brotli/zstd defaults): quality 11 brotli is for precompressed files, not a proxy.
 */
export function createEncoder(encoding: ContentEncoding, sizeHint?: number): Transform {
  const c = zlib.constants;
  switch (encoding) {
    case 'br':
      return zlib.createBrotliCompress({
        flush: c.BROTLI_OPERATION_FLUSH,
        params: { [c.BROTLI_PARAM_QUALITY]: 5, ...(sizeHint ? { [c.BROTLI_PARAM_SIZE_HINT]: sizeHint } : {}) },
      });
    case 'zstd':
      return zlib.createZstdCompress({ flush: c.ZSTD_e_flush, params: { [c.ZSTD_c_compressionLevel]: 3 } });
    case 'gzip':
      return zlib.createGzip({ flush: c.Z_SYNC_FLUSH, level: 6 });
  }
}

/** "1.2 KB → 310 B (−74%)", for the inspector. */
function savedLabel(before: number, after: number): string {
  const pct = before > 0 ? Math.round(((before - after) / before) * 100) : 0;
  return `${before} B → ${after} B (${pct > 0 ? '−' : '+'}${Math.abs(pct)}%), ${before - after} B saved`;
}

/** The backend's response as an Outgoing. */
export const fromBackend = (proxyRes: IncomingMessage): Outgoing => ({
  status: proxyRes.statusCode ?? 502,
  statusMessage: proxyRes.statusMessage,
  headers: proxyRes.headers,
  body: proxyRes,
});

/** Writes a response to the client, compressed when a plan, the rules and the client allow. */
export function respond(req: IncomingMessage, res: ServerResponse, out: Outgoing, plan: CompressionPlan | undefined, tap: ExchangeTap | undefined): void {
  const headers = out.headers;
  const skip = plan && skipReason(req.method ?? 'GET', out.status, headers, plan.threshold);
  // The answer depends on Accept-Encoding whenever we could have compressed it, whatever
  // this client sent: a shared cache downstream must not hand gzip to the next client.
  if (plan && skip === undefined) addVary(headers);
  const encoding = plan && skip === undefined ? negotiateEncoding(req.headers['accept-encoding'], plan.encodings) : undefined;
  if (!encoding) {
    if (skip !== undefined && skip !== 'HEAD') tap?.mark('encoding', `not compressed: ${skip}`);
    writeHead(req, res, out);
    const throttle = downloadThrottle(req);
    if (throttle) pipeline(out.body, throttle, res, ignoreError);
    else pipeline(out.body, res, ignoreError);
    return;
  }
  const length = Number(headers['content-length']);
  encodedHeaders(headers, encoding);
  writeHead(req, res, out);
  // A body of unknown length may be a stream that waits for events: the client should not
  // wait for the first one to learn the response has begun (EventSource's "open").
  if (!Number.isFinite(length)) res.flushHeaders();
  const encoder = createEncoder(encoding, Number.isFinite(length) ? length : undefined);
  let before = 0;
  let after = 0;
  out.body.on('data', (chunk: Buffer) => (before += chunk.length));
  encoder.on('data', (chunk: Buffer) => (after += chunk.length));
  encoder.once('end', () => {
    const counters = plan?.counters;
    if (counters) {
      counters.compressedResponses++;
      counters.compressedBytesIn += before;
      counters.compressedBytesOut += after;
    }
    tap?.mark('encoding', encoding);
    tap?.mark('saved', savedLabel(before, after));
  });
  // A client that leaves or a backend that breaks tears down the whole chain. A throttle
  // paces the encoded bytes: what goes on the wire is what a slow network would carry.
  const throttle = downloadThrottle(req);
  if (throttle) pipeline(out.body, encoder, throttle, res, ignoreError);
  else pipeline(out.body, encoder, res, ignoreError);
}

/** Failures end the response (pipeline destroys every stream); the proxy logs the backend's. */
function ignoreError(): void {}
