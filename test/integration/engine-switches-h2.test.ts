// The compression and cache switches over HTTP/2: the response is written by our code
// (selfHandleResponse) into Node's HTTP/2 compatibility response, so check it end to end.
import type http2 from 'node:http2';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { connectH2, removeDir, startHttpsEngine, tempDataDir } from '../helpers/tls.js';

const HOST = 'h2zip.localhost';
const PAGE = Buffer.from('<li>an item of a list</li>\n'.repeat(300));

/** One HTTP/2 request, keeping the raw bytes (the helper's client decodes to a string). */
function get(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders) {
  return new Promise<{ headers: http2.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const stream = session.request({ ':path': '/page', ...headers });
    let head: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (head = h));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve({ headers: head, body: Buffer.concat(chunks) }));
    stream.on('error', reject);
  });
}

describe('switches over HTTP/2', () => {
  it('a brotli MISS then a gzip HIT, both decoding to the origin bytes', async () => {
    const close = closeAfter();
    const dir = close(await tempDataDir(), removeDir);
    const backend = close(
      await startBackend('h2', (req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=60', 'content-length': PAGE.length });
        res.end(PAGE);
      }),
      (b) => b.close(),
    );
    const proxy = close(await startHttpsEngine(dir, [{ host: HOST, target: backend.url, compression: true, cache: true }]), (p) => p.close());
    const client = close(await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem), (c) => c.close());

    const miss = await get(client.session, { 'accept-encoding': 'br' });
    expect(miss.headers[':status']).toBe(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(miss.body).equals(PAGE)).toBe(true);

    const hit = await get(client.session, { 'accept-encoding': 'gzip' });
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(hit.body).equals(PAGE)).toBe(true);
    expect(backend.requests).toHaveLength(1);
  });
});
