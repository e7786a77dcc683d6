// The compression switch as a stage: a responseBody hook that picks the encoding for this
// client and response (the rules are in encoding-rules.ts) and returns the encoder, or
// leaves the response alone and says why in the capture.
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { ContentEncoding } from '../../contract/index.js';
import type { StageFactory } from '../stage.js';
import { addVary, compressionPlan, encodedHeaders, negotiateEncoding, skipReason } from './encoding-rules.js';

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

export const compressionStage: StageFactory = (_route, switches, context) => {
  const parsed = compressionPlan(switches.compression);
  if (!parsed) return undefined;
  const counters = context.counters();
  return {
    name: 'compression',
    describe: () => `${parsed.encodings.join(', ')} from ${parsed.threshold} bytes`,
    responseBody(ex, out) {
      const headers = out.headers;
      const req = ex.req;
      const skip = skipReason(req.method ?? 'GET', out.status, headers, parsed.threshold);
      // The answer depends on Accept-Encoding whenever we could have compressed it, whatever
      // this client sent: a shared cache downstream must not hand gzip to the next client.
      if (skip === undefined) addVary(headers);
      const encoding = skip === undefined ? negotiateEncoding(req.headers['accept-encoding'], parsed.encodings) : undefined;
      if (!encoding) {
        if (skip !== undefined && skip !== 'HEAD') ex.tap?.mark('encoding', `not compressed: ${skip}`);
        return undefined;
      }
      const length = Number(headers['content-length']);
      encodedHeaders(headers, encoding);
      if (!Number.isFinite(length)) out.flushHead = true;
      const encoder = createEncoder(encoding, Number.isFinite(length) ? length : undefined);
      let before = 0;
      let after = 0;
      out.body.on('data', (chunk: Buffer) => (before += chunk.length));
      encoder.on('data', (chunk: Buffer) => (after += chunk.length));
      encoder.once('end', () => {
        counters.compressedResponses++;
        counters.compressedBytesIn += before;
        counters.compressedBytesOut += after;
        ex.tap?.mark('encoding', encoding);
        ex.tap?.mark('saved', savedLabel(before, after));
      });
      return encoder;
    },
  };
};
