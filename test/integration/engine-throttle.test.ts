// Throttling at the real boundary: bytes per second measured on real sockets (within ±15%
// of the setting), uploads, the added latency, compressed bytes paced on the wire,
// WebSockets both ways, HTTP/2 clients, and the mark the capture shows.
import http from 'node:http';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, startTestEngine } from '../helpers/engine.js';
import { startService } from '../helpers/service.js';
import { connectH2, removeDir, startHttpsEngine, tempDataDir } from '../helpers/tls.js';
import { closeWs, openWs, roundTrip, startWsEcho } from '../helpers/wsEcho.js';

const close = closeAfter();
const HOST = 'slow.localhost';

interface Timed {
  /** From sending the request to the last body byte. */
  ms: number;
  /** From the first body chunk to the last, and the bytes after that first chunk: the rate without set-up time. */
  streamMs: number;
  streamBytes: number;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

/** GET through the proxy, keeping the raw body bytes and the times to the first and last. */
function timedGet(port: number, headers: http.OutgoingHttpHeaders = {}) {
  const started = performance.now();
  return new Promise<Timed>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', headers: { host: HOST, ...headers }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let first = 0;
        res.on('data', (c: Buffer) => {
          if (chunks.length === 0) first = performance.now();
          chunks.push(c);
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const end = performance.now();
          resolve({ ms: end - started, streamMs: end - first, streamBytes: body.length - (chunks[0]?.length ?? 0), body, headers: res.headers });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** A backend answering `body` for every request. */
async function serving(body: Buffer, headers: http.OutgoingHttpHeaders = {}) {
  return close(
    await startBackend('bytes', (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, ...headers });
      res.end(body);
    }),
    (b) => b.close(),
  );
}

/**
 * `ms` is what `bytes` at `kbps` (kbit = 1000 bits) takes: never much faster (the pacing
 * holds), and less than 1.5× as slow. The upper margin is wide because a loaded 2-core
 * machine stretches wall time; it still catches a body paced twice (2×).
 */
function expectRate(ms: number, bytes: number, kbps: number): void {
  const expected = (bytes * 8) / kbps; // ms
  expect(ms).toBeGreaterThan(expected * 0.85);
  expect(ms).toBeLessThan(expected * 1.5);
}

describe('throttled routes', () => {
  it('a route throttled to 1 Mbit/s down takes about 8 s for 1 MB', { timeout: 30_000 }, async () => {
    const body = Buffer.alloc(1_000_000, 7);
    const backend = await serving(body);
    const engine = close(await startTestEngine([{ host: HOST, target: backend.url, throttle: { downKbps: 1000 } }]), closeEngine);
    const reply = await timedGet(engine.http.port);
    expect(reply.body.equals(body)).toBe(true);
    expectRate(reply.ms, body.length, 1000);
  });

  it('uploads go at the upload rate: 64 KB at 256 kbit/s in about 2 s', { timeout: 20_000 }, async () => {
    let arrived = 0;
    const backend = close(
      await startBackend('sink', (req, res) => {
        req.on('data', (c: Buffer) => (arrived += c.length));
        req.on('end', () => res.end(String(arrived)));
      }),
      (b) => b.close(),
    );
    const engine = close(await startTestEngine([{ host: HOST, target: backend.url, throttle: { upKbps: 256 } }]), closeEngine);
    const payload = Buffer.alloc(64 * 1024, 1);
    const started = performance.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: engine.http.port, method: 'POST', path: '/', headers: { host: HOST }, agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += String(c)));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(payload);
    });
    expect(answer).toBe(String(payload.length));
    expectRate(performance.now() - started, payload.length, 256);
  });

  it('compressed and throttled: the encoded bytes are paced and decode to the origin bytes', { timeout: 20_000 }, async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => `<li id="item-${(i * 7919) % 10007}">item ${i}</li>\n`);
    const page = Buffer.from(lines.join('')); // ~190 KB that brotli shrinks about tenfold
    const backend = await serving(page, { 'content-type': 'text/html' });
    const engine = close(await startTestEngine([{ host: HOST, target: backend.url, compression: true, throttle: { downKbps: 128 } }]), closeEngine);
    const reply = await timedGet(engine.http.port, { 'accept-encoding': 'br' });
    expect(reply.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(reply.body).equals(page)).toBe(true);
    // The wire carries only the encoded bytes, and those at the set rate; pacing the
    // plain bytes would have taken several times as long.
    expectRate(reply.streamMs, reply.streamBytes, 128);
    expect(reply.body.length * 3).toBeLessThan(page.length);
  });

  it('adds the latency before the request goes on, and marks the exchange in the capture', { timeout: 20_000 }, async () => {
    const arrivals: number[] = [];
    const backend = close(
      await startBackend('late', (req, res) => {
        arrivals.push(performance.now());
        req.resume();
        res.end('ok');
      }),
      (b) => b.close(),
    );
    const running = close(await startService({ http: { port: 0 }, routes: [{ host: HOST, target: backend.url, throttle: 'fast-3g' }] }), (s) => s.close());
    const sent = performance.now();
    const reply = await timedGet(running.port);
    expect(reply.body.toString()).toBe('ok');
    expect(arrivals[0]! - sent).toBeGreaterThanOrEqual(550); // 562.5 ms, less timer rounding
    const [exchange] = await running.service.call('traffic.list', undefined);
    expect(exchange?.marks.throttle).toBe('fast-3g (562.5 ms, ↓1440 ↑675 kbit/s)');
  });

  it('throttles both directions of a WebSocket', { timeout: 20_000 }, async () => {
    const echo = close(await startWsEcho(), (e) => e.close());
    const engine = close(await startTestEngine([{ host: HOST, target: echo.url, throttle: { downKbps: 256, upKbps: 256 } }]), closeEngine);
    const ws = close(await openWs(engine.http.port, HOST), closeWs);
    const message = Buffer.alloc(32 * 1024, 3);
    const started = performance.now();
    const { data } = await roundTrip(ws, message);
    expect(data.equals(message)).toBe(true);
    // Up then down, each 32 KB (plus a few frame bytes) at 256 kbit/s.
    expectRate(performance.now() - started, 2 * message.length, 256);
  });

  it('paces HTTP/2 responses too', { timeout: 20_000 }, async () => {
    const dir = close(await tempDataDir(), removeDir);
    const body = Buffer.alloc(48 * 1024, 5);
    const backend = await serving(body);
    const proxy = close(await startHttpsEngine(dir, [{ host: HOST, target: backend.url, throttle: { downKbps: 256 } }]), (p) => p.close());
    const client = close(await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem), (c) => c.close());
    const started = performance.now();
    const reply = await client.request({ ':path': '/' });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(body.length);
    expectRate(performance.now() - started, body.length, 256);
  });

  it('answers cache hits at the throttled rate as well', { timeout: 20_000 }, async () => {
    const body = Buffer.alloc(32 * 1024, 9);
    const backend = await serving(body, { 'cache-control': 'max-age=60' });
    const engine = close(await startTestEngine([{ host: HOST, target: backend.url, cache: true, throttle: { downKbps: 256 } }]), closeEngine);
    await timedGet(engine.http.port);
    const hit = await timedGet(engine.http.port);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(backend.requests).toHaveLength(1);
    expectRate(hit.streamMs, hit.streamBytes, 256);
  });
});
