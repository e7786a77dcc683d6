// The compression switch's rules, as pure functions over headers: which responses may be
// compressed, which encoding the client gets, and how the headers change. The streaming
// half is in compression-stage.ts. The rules follow what nginx's gzip module and Caddy's
// encode handler have settled on over the years.
import type { IncomingHttpHeaders } from 'node:http';
import zlib from 'node:zlib';
import type { CompressionOptions, ContentEncoding } from '../../contract/index.js';

/** zstd arrived in Node 22.15 / 23.8; where it is missing we never offer it. */
export const HAS_ZSTD = typeof (zlib as { createZstdCompress?: unknown }).createZstdCompress === 'function';

/** What a route's switch becomes once parsed: undefined when off. */
export interface CompressionPlan {
  readonly threshold: number;
  /** Usable here (zstd dropped without runtime support), in the route's order of preference. */
  readonly encodings: readonly ContentEncoding[];
}

export function compressionPlan(option: boolean | CompressionOptions | undefined): CompressionPlan | undefined {
  if (!option) return undefined;
  const options = option === true ? { threshold: 1024, encodings: ['br', 'zstd', 'gzip'] as const } : option;
  const encodings = options.encodings.filter((e) => e !== 'zstd' || HAS_ZSTD);
  return encodings.length > 0 ? { threshold: options.threshold, encodings } : undefined;
}

/**
 * The encoding to use for a client's Accept-Encoding (RFC 9110 §12.5.3), or undefined for
 * identity. The highest q wins; among equal q the route's order decides (the server's
 * preference, as the RFC leaves ties to it). `*` rates every coding not named; q=0 refuses.
 * No header at all means "anything" in the RFC, but browsers always send one and
 * scripts without one expect plain bytes, so like nginx we then send identity.
 */
export function negotiateEncoding(header: string | undefined, offered: readonly ContentEncoding[]): ContentEncoding | undefined {
  if (!header) return undefined;
  const rated = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName!.trim().toLowerCase();
    if (name === '') continue;
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
      if (m) q = Math.min(1, Number(m[1]));
    }
    // "x-gzip" is gzip's old alias (RFC 9110 §8.4.1.3); a repeated name keeps its best rating.
    const key = name === 'x-gzip' ? 'gzip' : name;
    rated.set(key, Math.max(q, rated.get(key) ?? 0));
  }
  const star = rated.get('*');
  let best: ContentEncoding | undefined;
  let bestQ = 0;
  for (const encoding of offered) {
    const q = rated.get(encoding) ?? star ?? 0;
    if (q > bestQ) [best, bestQ] = [encoding, q];
  }
  if (!best) return undefined;
  // A client may rate identity above every coding; then it gets identity.
  const identity = rated.get('identity') ?? star;
  return identity !== undefined && identity > bestQ ? undefined : best;
}

const COMPRESSIBLE_APPLICATION = new Set([
  'json',
  'javascript',
  'ecmascript',
  'x-javascript',
  'xml',
  'xhtml+xml',
  'wasm',
  'manifest+json',
  'ld+json',
  'graphql-response+json',
  'x-ndjson',
  'vnd.ms-fontobject',
  'x-font-ttf',
  'x-web-app-manifest+json',
  'rss+xml',
  'atom+xml',
]);

/** Text-like media types worth compressing; images, video and archives are already packed. */
export function isCompressibleType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  const slash = type.indexOf('/');
  const top = type.slice(0, slash);
  const sub = type.slice(slash + 1);
  if (top === 'text') return true;
  if (sub.endsWith('+json') || sub.endsWith('+xml')) return true;
  if (top === 'application') return COMPRESSIBLE_APPLICATION.has(sub);
  if (top === 'image') return sub === 'svg+xml' || sub === 'x-icon' || sub === 'vnd.microsoft.icon' || sub === 'bmp';
  if (top === 'font') return sub === 'ttf' || sub === 'otf';
  return false;
}

/**
 * Why this response must go out as it is, or undefined when it may be compressed. Only
 * the response's own properties count here; the client's wishes come after.
 */
export function skipReason(method: string, status: number, headers: IncomingHttpHeaders, threshold: number): string | undefined {
  if (method === 'HEAD') return 'HEAD';
  // 1xx, 204 and 304 have no body; 206 is a byte range of the identity representation.
  if (status < 200 || status === 204 || status === 304 || status === 206) return `status ${status}`;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return 'already encoded';
  if (headers['content-range'] !== undefined) return 'range';
  if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(headers['cache-control'] ?? '')) return 'no-transform';
  if (!isCompressibleType(headers['content-type'])) return 'type';
  const length = headers['content-length'];
  if (length !== undefined && Number(length) < threshold) return 'small';
  return undefined;
}

/** Adds Accept-Encoding to Vary, unless the response already varies on it (or on everything). */
export function addVary(headers: IncomingHttpHeaders): void {
  const vary = headers.vary;
  if (vary === undefined || vary.trim() === '') {
    headers.vary = 'Accept-Encoding';
    return;
  }
  const names = vary.split(',').map((v) => v.trim().toLowerCase());
  if (names.includes('*') || names.includes('accept-encoding')) return;
  headers.vary = `${vary}, Accept-Encoding`;
}

/**
 * The headers of the encoded representation. The length is unknown until the end
 * (chunked, or HTTP/2 framing); a strong ETag named the identity bytes, so it becomes
 * weak (as nginx does) to keep conditional requests working without lying about bytes;
 * ranges of the encoded stream are not something we can serve.
 */
export function encodedHeaders(headers: IncomingHttpHeaders, encoding: ContentEncoding): void {
  headers['content-encoding'] = encoding;
  delete headers['content-length'];
  delete headers['accept-ranges'];
  const etag = headers.etag;
  if (etag !== undefined && etag.startsWith('"')) headers.etag = `W/${etag}`;
}
