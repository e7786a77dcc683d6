// Compressed bodies decoded for display. A truncated capture still decodes as far as it
// goes: the streaming decoders are flushed rather than asked for a complete stream.
import zlib from 'node:zlib';

type Decoder = (input: Buffer) => Buffer;

const partial = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const DECODERS: Record<string, Decoder> = {
  gzip: (b) => zlib.gunzipSync(b, partial),
  'x-gzip': (b) => zlib.gunzipSync(b, partial),
  deflate: (b) => {
    // "deflate" is zlib-wrapped by the spec, raw in some servers' hands: try both.
    try {
      return zlib.inflateSync(b, partial);
    } catch {
      return zlib.inflateRawSync(b, partial);
    }
  },
  br: (b) => zlib.brotliDecompressSync(b, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }),
};
if (typeof zlib.zstdDecompressSync === 'function') DECODERS.zstd = (b) => zlib.zstdDecompressSync(b);

/** Decodes `data` per Content-Encoding (which may list several, applied in order). */
export function decodeBody(data: Buffer, contentEncoding: string | undefined): { decoded?: Buffer; error?: string } {
  if (!contentEncoding) return {};
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  if (codings.length === 0) return {};
  let out = data;
  try {
    for (const coding of codings.reverse()) {
      const decode = DECODERS[coding];
      if (!decode) return { error: `cannot decode "${coding}"` };
      out = decode(out);
    }
    return { decoded: out };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
