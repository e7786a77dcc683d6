// The compression switch at the real boundary: a real backend, the engine on loopback, a
// raw client that decodes what arrives and compares it with the origin's bytes.
import http from 'node:http';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RouteInput } from '../../proxy-core/contract/index.js';
import { HAS_ZSTD } from '../../proxy-core/engine/compression/encoding-rules.js';
import { startEngine, type ExchangeTap, type Recorder } from '../../proxy-core/engine/index.js';
import { startBackend, type BackendHandler } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, makeConfig, startTestEngine } from '../helpers/engine.js';

const HOST = 'zip.localhost';
/** Text that compresses well and is well above the 1 KiB threshold. */
const PAGE = Buffer.from(Array.from({ length: 400 }, (_, i) => `<p>line ${i}: the quick brown fox</p>\n`).join(''));

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** GET through the proxy, keeping the bytes exactly as they arrived (no decoding). */
function fetchRaw(port: number, path: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: { host: HOST, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(encoding: string | undefined, body: Buffer): Buffer {
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  if (encoding === 'zstd') return zlib.zstdDecompressSync(body);
  return body;
}

/** /page, /small, /png, /gzipped, /no-transform, /range, /empty, /not-modified, /chunked. */
const origin: BackendHandler = (req, res) => {
  req.resume();
  const path = req.url ?? '/';
  const send = (status: number, headers: http.OutgoingHttpHeaders, body?: Buffer) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const page = { 'content-type': 'text/html; charset=utf-8', 'content-length': PAGE.length, etag: '"v1"', 'accept-ranges': 'bytes' };
  if (path === '/page') return send(200, page, req.method === 'HEAD' ? undefined : PAGE);
  if (path === '/small') return send(200, { 'content-type': 'text/plain', 'content-length': 5 }, Buffer.from('small'));
  if (path === '/png') return send(200, { 'content-type': 'image/png', 'content-length': PAGE.length }, PAGE);
  if (path === '/gzipped') {
    const gz = zlib.gzipSync(PAGE);
    return send(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': gz.length }, gz);
  }
  if (path === '/no-transform') return send(200, { ...page, 'cache-control': 'no-transform' }, PAGE);
  if (path === '/range') return send(206, { 'content-type': 'text/html', 'content-range': `bytes 0-1499/${PAGE.length}` }, PAGE.subarray(0, 1500));
  if (path === '/empty') return send(204, {});
  if (path === '/not-modified') return send(304, { etag: '"v1"' });
  if (path === '/vary') return send(200, { ...page, vary: 'Origin' }, PAGE);
  // Unknown length: written in pieces, as a templating server streams HTML.
  res.writeHead(200, { 'content-type': 'application/json' });
  for (let i = 0; i < 50; i++) res.write(`{"row":${i},"text":"${'x'.repeat(40)}"}\n`);
  res.end();
};

async function setup(routes: (target: string) => RouteInput[], extra = {}) {
  const close = closeAfter();
  const backend = close(await startBackend('origin', origin), (b) => b.close());
  const engine = close(await startTestEngine(routes(backend.url), extra), closeEngine);
  return { backend, port: engine.http.port };
}

const on = (target: string): RouteInput[] => [{ host: HOST, target, compression: true }];

describe('compression on a route', () => {
  const encodings = HAS_ZSTD ? ['br', 'gzip', 'zstd'] : ['br', 'gzip'];

  it.each(encodings)('Accept-Encoding: %s gets %s, and the decoded body equals the origin', async (encoding) => {
    const { port } = await setup(on);
    const reply = await fetchRaw(port, '/page', { 'accept-encoding': encoding });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe(encoding);
    expect(reply.headers['content-length']).toBeUndefined();
    expect(reply.headers['accept-ranges']).toBeUndefined();
    expect(reply.headers.etag).toBe('W/"v1"');
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(reply.body.length).toBeLessThan(PAGE.length / 4);
    expect(decode(encoding, reply.body).equals(PAGE)).toBe(true);
  });

  it("a browser's header gets brotli; q-values and identity are honoured", async () => {
    const { port } = await setup(on);
    expect((await fetchRaw(port, '/page', { 'accept-encoding': 'gzip, deflate, br, zstd' })).headers['content-encoding']).toBe('br');
    expect((await fetchRaw(port, '/page', { 'accept-encoding': 'br;q=0.1, gzip' })).headers['content-encoding']).toBe('gzip');
    const identity = await fetchRaw(port, '/page', { 'accept-encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toBe('Accept-Encoding'); // it could have been compressed
    expect(identity.body.equals(PAGE)).toBe(true);
    expect(identity.headers['content-length']).toBe(String(PAGE.length));
  });

  it('a streamed body of unknown length is compressed and byte-identical once decoded', async () => {
    const { backend, port } = await setup(on);
    const direct = await fetchRaw(backend.port, '/rows');
    const reply = await fetchRaw(port, '/rows', { 'accept-encoding': 'gzip' });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(decode('gzip', reply.body).equals(direct.body)).toBe(true);
  });

  it.each([
    ['/small', 'below the threshold'],
    ['/png', 'not a compressible type'],
    ['/no-transform', 'Cache-Control: no-transform'],
    ['/range', 'a 206 range'],
  ])('%s goes out unencoded (%s)', async (path) => {
    const { backend, port } = await setup(on);
    const direct = await fetchRaw(backend.port, path);
    const reply = await fetchRaw(port, path, { 'accept-encoding': 'br, gzip' });
    expect(reply.status).toBe(direct.status);
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.body.equals(direct.body)).toBe(true);
  });

  it('an already-encoded response passes untouched', async () => {
    const { port } = await setup(on);
    const reply = await fetchRaw(port, '/gzipped', { 'accept-encoding': 'br' });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(decode('gzip', reply.body).equals(PAGE)).toBe(true);
  });

  it('HEAD, 204 and 304 keep their empty bodies and headers', async () => {
    const { port } = await setup(on);
    const head = await fetchRaw(port, '/page', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.headers['content-length']).toBe(String(PAGE.length));
    expect((await fetchRaw(port, '/empty', { 'accept-encoding': 'br' })).status).toBe(204);
    const notModified = await fetchRaw(port, '/not-modified', { 'accept-encoding': 'br' });
    expect(notModified.status).toBe(304);
    expect(notModified.headers['content-encoding']).toBeUndefined();
    expect(notModified.headers.etag).toBe('"v1"');
  });

  it('an existing Vary keeps its names and gains Accept-Encoding', async () => {
    const { port } = await setup(on);
    expect((await fetchRaw(port, '/vary', { 'accept-encoding': 'gzip' })).headers.vary).toBe('Origin, Accept-Encoding');
  });

  it('options: encodings and threshold per route', async () => {
    const { port } = await setup((target) => [{ host: HOST, target, compression: { encodings: ['gzip'], threshold: 0 } }]);
    expect((await fetchRaw(port, '/page', { 'accept-encoding': 'br, gzip' })).headers['content-encoding']).toBe('gzip');
    const small = await fetchRaw(port, '/small', { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBe('gzip');
    expect(decode('gzip', small.body).toString()).toBe('small');
  });
});

describe('the switch and its default', () => {
  it('off by default: the untouched path, no Vary added', async () => {
    const { port } = await setup((target) => [{ host: HOST, target }]);
    const reply = await fetchRaw(port, '/page', { 'accept-encoding': 'br' });
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.headers.vary).toBeUndefined();
    expect(reply.body.equals(PAGE)).toBe(true);
  });

  it('settings.defaults.compression turns it on for routes that do not say; a route can say no', async () => {
    const { port } = await setup(
      (target) => [
        { host: HOST, target },
        { host: HOST, pathPrefix: '/small', target, compression: false },
      ],
      { defaults: { compression: { threshold: 0 } } },
    );
    expect((await fetchRaw(port, '/page', { 'accept-encoding': 'br' })).headers['content-encoding']).toBe('br');
    expect((await fetchRaw(port, '/small', { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined();
  });
});

describe('capture', () => {
  it('marks the encoding and the bytes saved', async () => {
    const close = closeAfter();
    const backend = close(await startBackend('origin', origin), (b) => b.close());
    const marks = new Map<string, string>();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const tap: ExchangeTap = {
      routed() {},
      connected() {},
      requestData() {},
      responseHead() {},
      responseData() {},
      mark: (key, value) => void marks.set(key, value),
      wsClientData() {},
      wsServerData() {},
      failed() {},
      finished,
    };
    const recorder: Recorder = { active: true, begin: () => tap };
    const engine = close(await startEngine({ config: makeConfig(on(backend.url)), http: { host: '127.0.0.1', port: 0 }, recorder }), closeEngine);
    await fetchRaw(engine.http.port, '/page', { 'accept-encoding': 'gzip' });
    await done;
    expect(marks.get('encoding')).toBe('gzip');
    expect(marks.get('saved')).toMatch(new RegExp(`^${PAGE.length} B → \\d+ B \\(−\\d+%\\), \\d+ B saved$`));
  });
});

describe('server-sent events through compression', () => {
  /** A decoder for the arriving bytes, fed chunk by chunk as the socket delivers them. */
  const decoder = (encoding: string) =>
    encoding === 'br' ? zlib.createBrotliDecompress() : encoding === 'zstd' ? zlib.createZstdDecompress() : zlib.createGunzip();

  it.each(HAS_ZSTD ? ['br', 'gzip', 'zstd'] : ['br', 'gzip'])(
    '%s: each event arrives while the backend holds the stream open',
    async (encoding) => {
      const close = closeAfter();
      let next!: (event: string | null) => void;
      const sse: BackendHandler = (req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.flushHeaders();
        next = (event) => (event === null ? res.end() : res.write(`data: ${event}\n\n`));
      };
      const backend = close(await startBackend('sse', sse), (b) => b.close());
      const engine = close(await startTestEngine(on(backend.url)), closeEngine);

      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port: engine.http.port,
          path: '/events',
          headers: { host: HOST, 'accept-encoding': encoding, accept: 'text/event-stream' },
          agent: false,
        });
        req.on('response', resolve).on('error', reject).end();
      });
      close(res, (r) => r.destroy());
      expect(res.headers['content-encoding']).toBe(encoding);
      const decoded = res.pipe(decoder(encoding));
      let text = '';
      const waiters: (() => void)[] = [];
      decoded.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        waiters.splice(0).forEach((w) => w());
      });
      const until = async (want: string) => {
        while (!text.includes(want)) await new Promise<void>((resolve) => waiters.push(resolve));
      };

      // Each event is sent only after the previous one came out of the decoder at the client:
      // were anything buffered along the way, this would hang (and the test time out).
      for (const event of ['one', 'two', 'three']) {
        next(event);
        await until(`data: ${event}\n\n`);
      }
      next(null);
      await new Promise((resolve) => decoded.on('end', resolve));
      expect(text).toBe('data: one\n\ndata: two\n\ndata: three\n\n');
    },
    5_000,
  );
});
