// A client that leaves over HTTP/2 (a reset stream, a closed session) must free the
// request it started at the backend: every path a response can take through the engine.
import http2 from 'node:http2';
import type http from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema } from '../../proxy-core/contract/index.js';
import { startEngine } from '../../proxy-core/engine/index.js';
import { openCertificates } from '../../proxy-core/tls/index.js';
import { makeConfig } from '../helpers/engine.js';
import { connectH2, removeDir, startHttpsEngine, tempDataDir } from '../helpers/tls.js';

const HOST = 'cancel.localhost';

/** A backend whose /hold requests never end by themselves: only a close frees them. */
async function holdingBackend() {
  const open = new Set<http.IncomingMessage>();
  const closed: string[] = [];
  const waiters: Array<() => void> = [];
  const backend = await startBackend('hold', (req, res) => {
    req.resume();
    if (!req.url?.startsWith('/hold')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    open.add(req);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write('data: hello\n\n');
    res.on('close', () => {
      open.delete(req);
      closed.push(req.url ?? '');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  return {
    backend,
    open,
    closed,
    /** Resolves once `count` held requests have been closed from the proxy side. */
    closedAtLeast(count: number): Promise<void> {
      return new Promise((resolve) => {
        const check = () => (closed.length >= count ? resolve() : waiters.push(check));
        check();
      });
    },
    openAtLeast(count: number): Promise<void> {
      return new Promise((resolve) => {
        const poll = () => (open.size >= count ? resolve() : setTimeout(poll, 10));
        poll();
      });
    },
  };
}

/** Opens a stream, waits for its first bytes, then resets it the way a browser cancels. */
function openThenCancel(session: http2.ClientHttp2Session, path: string, extra: http2.OutgoingHttpHeaders = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path, ...extra });
    stream.on('error', () => {});
    stream.once('data', () => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      resolve();
    });
    stream.once('response', (headers) => {
      if (headers[':status'] !== 200) reject(new Error(`status ${headers[':status']}`));
    });
  });
}

describe('a client that cancels over HTTP/2 frees the backend request', () => {
  const cases: Array<[string, Record<string, unknown>, http2.OutgoingHttpHeaders]> = [
    ['plain forwarding', {}, {}],
    ['compression', { compression: true }, { 'accept-encoding': 'gzip' }],
    ['cache miss', { cache: true }, {}],
    ['throttle', { throttle: { downKbps: 10_000 } }, {}],
  ];
  for (const [name, route, headers] of cases) {
    it(`${name}: the backend sees its request closed`, async () => {
      const close = closeAfter();
      const dir = close(await tempDataDir(), removeDir);
      const held = await holdingBackend();
      close(held.backend, (b: Backend) => b.close());
      const proxy = close(await startHttpsEngine(dir, [{ host: HOST, target: held.backend.url, ...route }]), (p) => p.close());
      const client = close(await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem), (c) => c.close());
      await openThenCancel(client.session, '/hold/1', headers);
      await held.closedAtLeast(1);
      expect(held.open.size).toBe(0);
    });
  }
});

/** Opens a stream to a held path and hands it back without waiting for anything. */
function openStream(session: http2.ClientHttp2Session, path: string): http2.ClientHttp2Stream {
  const stream = session.request({ ':path': path });
  stream.on('error', () => {});
  return stream;
}

describe('the pool to one backend', () => {
  it('300 cancelled HTTP/2 streams free every connection; the queued ones never reach the backend; the next request is answered', async () => {
    const close = closeAfter();
    const dir = close(await tempDataDir(), removeDir);
    const held = await holdingBackend();
    close(held.backend, (b: Backend) => b.close());
    const proxy = close(await startHttpsEngine(dir, [{ host: HOST, target: held.backend.url }]), (p) => p.close());
    const client = close(await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem), (c) => c.close());
    const streams = Array.from({ length: 300 }, (_, i) => openStream(client.session, `/hold/${i}`));
    await held.openAtLeast(256); // every pooled connection busy, 44 requests queued
    for (const stream of streams) stream.close(http2.constants.NGHTTP2_CANCEL);
    await held.closedAtLeast(256);
    const reply = await client.request({ ':path': '/ok' });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('ok');
    expect(held.backend.requests.filter((r) => r.url.startsWith('/hold'))).toHaveLength(256);
    expect(held.open.size).toBe(0);
  });

  it('past 256 busy connections and 256 waiting requests, the next one gets a 503 that says how many wait', async () => {
    const close = closeAfter();
    const dir = close(await tempDataDir(), removeDir);
    const held = await holdingBackend();
    close(held.backend, (b: Backend) => b.close());
    const proxy = close(await startHttpsEngine(dir, [{ host: HOST, target: held.backend.url }]), (p) => p.close());
    const client = close(await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem), (c) => c.close());
    const streams = Array.from({ length: 512 }, (_, i) => openStream(client.session, `/hold/${i}`));
    await held.openAtLeast(256);
    const reply = await client.request({ ':path': '/ok' });
    expect(reply.status).toBe(503);
    expect(reply.body).toContain(`Portico has 256 requests waiting for ${held.backend.hostPort}`);
    for (const stream of streams) stream.close(http2.constants.NGHTTP2_CANCEL);
    await held.closedAtLeast(256);
    expect((await client.request({ ':path': '/ok' })).status).toBe(200);
  });
});

describe('capture', () => {
  it('a cancelled exchange is recorded as cancelled by the client, with its timings, not as in flight', async () => {
    const close = closeAfter();
    const dir = close(await tempDataDir(), removeDir);
    const held = await holdingBackend();
    close(held.backend, (b: Backend) => b.close());
    const config = makeConfig([{ host: HOST, target: held.backend.url }]);
    const certs = await openCertificates(dir, config.ca.suffixes);
    const store = new CaptureStore(CaptureSettingsSchema.parse({}));
    const engine = close(
      await startEngine({ config, http: { host: '127.0.0.1', port: 0 }, https: { host: '127.0.0.1', port: 0, certificates: certs.store }, recorder: store }),
      (e) => e.close(100),
    );
    const client = close(await connectH2(engine.https!.port, HOST, certs.ca.certPem), (c) => c.close());
    await openThenCancel(client.session, '/hold/recorded');
    await held.closedAtLeast(1);
    await vi.waitFor(() => expect(store.list()[0]).toMatchObject({ state: 'failed', error: { code: 'CANCELLED', message: 'cancelled by the client' } }));
    const [exchange] = store.list();
    expect(exchange!.status).toBe(200);
    expect(exchange!.timings.firstByte).toBeTypeOf('number');
    expect(exchange!.timings.end).toBeGreaterThanOrEqual(exchange!.timings.firstByte!);
  });
});
