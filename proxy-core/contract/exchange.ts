// A captured exchange as every side sees it: the engine records it, the service stores it,
// the UI lists it, HAR export writes it. Bodies travel separately (traffic.body).
import { z } from 'zod';

/** Portico's replays carry this request header (the original's id): the inspector marks them. */
export const REPLAY_HEADER = 'x-portico-replay-of';

/** Header pairs in the order they came, duplicates kept (Set-Cookie!). */
export const HeaderPairsSchema = z.array(z.tuple([z.string(), z.string()]));

export const BodyInfoSchema = z.object({
  /** Bytes that crossed the wire for this body (after any content-encoding). */
  size: z.number().int().nonnegative(),
  /** Bytes kept in the capture store (at most the body limit). */
  captured: z.number().int().nonnegative(),
  /** True when the body was longer than the limit and only its start was kept. */
  truncated: z.boolean(),
});

export const TimingsSchema = z.object({
  /** Milliseconds from the request's arrival; absent until that moment happened. */
  /** The route's throttle held the request this long before it went on (its added latency). */
  throttled: z.number().nonnegative().optional(),
  connected: z.number().nonnegative().optional(),
  firstByte: z.number().nonnegative().optional(),
  end: z.number().nonnegative().optional(),
});

export const ExchangeStateSchema = z.enum(['pending', 'responded', 'done', 'failed']);

export const ExchangeSchema = z.object({
  id: z.string(),
  kind: z.enum(['http', 'websocket']),
  /** Epoch milliseconds when the request arrived. */
  startedAt: z.number(),
  timings: TimingsSchema,
  state: ExchangeStateSchema,
  client: z.string(),
  scheme: z.enum(['http', 'https']),
  httpVersion: z.string(),
  method: z.string(),
  host: z.string(),
  /** Path and query, as the client sent them. */
  url: z.string(),
  /** The route's host pattern, when one matched. */
  route: z.string().optional(),
  /** The backend origin chosen, when one was. */
  target: z.string().optional(),
  status: z.number().int().optional(),
  requestHeaders: HeaderPairsSchema,
  /** As the backend answered. */
  responseHeaders: HeaderPairsSchema,
  /** The request as Portico sent it on (forwarding headers, header rules); absent when it went nowhere. */
  backendRequestHeaders: HeaderPairsSchema.optional(),
  /** The response as the client got it (cache, compression, header rules; no hop-by-hop on HTTP/2). */
  clientResponseHeaders: HeaderPairsSchema.optional(),
  request: BodyInfoSchema,
  response: BodyInfoSchema,
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Labels later features add: cache "HIT", encoding "br", throttled, refused reason… */
  marks: z.record(z.string(), z.string()),
  /** WebSocket messages seen so far (the messages themselves: traffic.messages). */
  messageCount: z.number().int().nonnegative(),
});

/**
 * What the traffic list shows of an exchange: everything but the header lists, plus the two
 * response headers a row displays. Live traffic events and traffic.list carry these, so a
 * busy dev server costs the UI a few hundred bytes per exchange; the detail pane asks for
 * the whole exchange (traffic.get) when one is opened.
 */
export const ExchangeSummarySchema = ExchangeSchema.omit({
  requestHeaders: true,
  responseHeaders: true,
  backendRequestHeaders: true,
  clientResponseHeaders: true,
}).extend({
  /** The response's Content-Type (the list's "Type" column). */
  contentType: z.string().optional(),
  /** The response's Content-Encoding as the backend sent it (shown among the marks). */
  contentEncoding: z.string().optional(),
});

/** First value of a header, by lower-case name. */
function firstHeader(pairs: HeaderPairs, name: string): string | undefined {
  for (const [n, v] of pairs) if (n.length === name.length && n.toLowerCase() === name) return v;
  return undefined;
}

/** The list's view of a whole exchange (what the engine sends when it has only the whole). */
export function summarize(x: Exchange): ExchangeSummary {
  const { requestHeaders: _q, responseHeaders, backendRequestHeaders: _b, clientResponseHeaders: _c, ...rest } = x;
  const contentType = firstHeader(responseHeaders, 'content-type');
  const contentEncoding = firstHeader(responseHeaders, 'content-encoding');
  return { ...rest, ...(contentType !== undefined && { contentType }), ...(contentEncoding !== undefined && { contentEncoding }) };
}

export const WsMessageSchema = z.object({
  direction: z.enum(['client', 'server']),
  /** Milliseconds from the upgrade request's arrival. */
  at: z.number().nonnegative(),
  size: z.number().int().nonnegative(),
  opcode: z.enum(['text', 'binary', 'close', 'ping', 'pong']),
  /** Text for text frames; base64 for binary; cut at the preview limit. */
  preview: z.string(),
  previewTruncated: z.boolean(),
  /** permessage-deflate: the preview shows the compressed bytes. */
  compressed: z.boolean().optional(),
  /** For close frames: the status code (the preview holds the reason). */
  closeCode: z.number().int().optional(),
});

export const BodyPartSchema = z.enum(['request', 'response']);

export const CapturedBodySchema = z.object({
  /** The captured bytes as they came (maybe compressed), base64. */
  raw: z.string(),
  /** The same decoded for display (gzip, br, deflate, zstd undone), base64; absent if not encoded. */
  decoded: z.string().optional(),
  encoding: z.string().optional(),
  contentType: z.string().optional(),
  size: z.number().int().nonnegative(),
  truncated: z.boolean(),
  /** Why decoding failed, e.g. a truncated gzip stream. */
  decodeError: z.string().optional(),
});

export type HeaderPairs = z.infer<typeof HeaderPairsSchema>;
export type BodyInfo = z.infer<typeof BodyInfoSchema>;
export type Exchange = z.infer<typeof ExchangeSchema>;
export type ExchangeSummary = z.infer<typeof ExchangeSummarySchema>;
export type WsMessage = z.infer<typeof WsMessageSchema>;
export type BodyPart = z.infer<typeof BodyPartSchema>;
export type CapturedBody = z.infer<typeof CapturedBodySchema>;
