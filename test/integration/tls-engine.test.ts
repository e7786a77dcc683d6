// HTTPS through the engine, with clients that trust ONLY our root: HTTP/1.1 and HTTP/2 on
// one port, wss, wildcard hosts, no-SNI clients, and the per-route `https` modes.
import http from 'node:http';
import https from 'node:https';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RouteInput } from '../../proxy-core/contract/index.js';
import { openCertificates, type Certificates } from '../../proxy-core/tls/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, makeConfig, startTestEngine } from '../helpers/engine.js';
import { request } from '../helpers/request.js';
import { closeWs, roundTrip, startWsEcho } from '../helpers/wsEcho.js';
import { connectH2, DAY, handshake, handshakeError, httpsRequest, openWss, removeDir, startHttpsEngine, tempDataDir } from '../helpers/tls.js';

describe('HTTPS listener', () => {
  const shared = closeAfter('all');
  const track = closeAfter('each');
  let dir: string;
  let certs: Certificates;

  beforeAll(async () => {
    dir = shared(await tempDataDir(), removeDir);
    certs = await openCertificates(dir, ['localhost', 'test']);
  });

  const start = async (routes: RouteInput[]) => track(await startHttpsEngine(dir, routes, {}, certs));

  it('serves HTTP/1.1 over TLS with a leaf our root vouches for, and tells the backend it was https', async () => {
    const backend = track(await startBackend('app'));
    const proxy = await start([{ host: 'app.localhost', target: backend.url }]);

    const reply = await httpsRequest(proxy.httpsPort, { host: 'app.localhost', ca: certs.ca.certPem, path: '/hello?x=1' });
    expect({ status: reply.status, body: reply.body, httpVersion: reply.httpVersion }).toEqual({ status: 200, body: 'app', httpVersion: '1.1' });
    expect(reply.peer.subject.CN).toBe('app.localhost');
    expect(reply.peer.issuer.CN).toBe('Portico Development CA');

    expect(backend.requests).toHaveLength(1);
    const seen = backend.requests[0]!;
    expect(seen.url).toBe('/hello?x=1');
    expect(seen.headers.host).toBe(`app.localhost:${proxy.httpsPort}`);
    expect(seen.headers['x-forwarded-proto']).toBe('https');
    expect(seen.headers['x-forwarded-port']).toBe(String(proxy.httpsPort));
    expect(seen.headers.forwarded).toContain('proto=https');

    // The same route over plain HTTP says http: the header follows the connection.
    await request(proxy.httpPort, { host: 'app.localhost' });
    expect(backend.requests[1]!.headers['x-forwarded-proto']).toBe('http');
  });

  it('negotiates h2 by ALPN and proxies HTTP/2 requests (GET, POST with a body, a chunked response)', async () => {
    const backend = track(
      await startBackend('h2', (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          if (req.url === '/stream') {
            // No content-length: chunked on the backend's side, frames on ours.
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.write('one,');
            setImmediate(() => res.end('two'));
            return;
          }
          res.writeHead(200, { 'content-type': 'text/plain', 'x-method': req.method ?? '' });
          res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`);
        });
      }),
    );
    const proxy = await start([{ host: 'h2.localhost', target: backend.url }]);

    const client = track(await connectH2(proxy.httpsPort, 'h2.localhost', certs.ca.certPem));
    expect(client.session.alpnProtocol).toBe('h2');

    const get = await client.request({ ':path': '/page?q=1' });
    expect({ status: get.status, body: get.body, alpn: get.alpnProtocol }).toEqual({ status: 200, body: 'GET /page?q=1 ', alpn: 'h2' });
    expect(get.headers['x-method']).toBe('GET');

    const post = await client.request({ ':method': 'POST', ':path': '/submit', 'content-type': 'text/plain' }, 'payload');
    expect({ status: post.status, body: post.body }).toEqual({ status: 200, body: 'POST /submit payload' });

    const stream = await client.request({ ':path': '/stream' });
    expect({ status: stream.status, body: stream.body }).toEqual({ status: 200, body: 'one,two' });

    const seen = backend.requests[0]!;
    expect(seen.headers.host).toBe(`h2.localhost:${proxy.httpsPort}`);
    expect(seen.headers['x-forwarded-proto']).toBe('https');
  });

  it('answers its own pages over HTTP/2 too (unknown host → 404)', async () => {
    const backend = track(await startBackend('known'));
    const proxy = await start([{ host: 'known.localhost', target: backend.url }]);
    const client = track(await connectH2(proxy.httpsPort, 'stray.localhost', certs.ca.certPem));
    const reply = await client.request({ ':path': '/', accept: 'application/json' });
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'Unknown host', hosts: ['known.localhost'] });
  });

  it('refuses an HTTP/2 CONNECT (it is not a forward proxy) with a 405, not a 2xx tunnel', async () => {
    const backend = track(await startBackend('known'));
    const proxy = await start([{ host: 'known.localhost', target: backend.url }]);
    const client = track(await connectH2(proxy.httpsPort, 'known.localhost', certs.ca.certPem));
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = client.session.request({ ':method': 'CONNECT', ':authority': 'example.com:443' });
      let status = 0;
      const chunks: Buffer[] = [];
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('close', () => resolve({ status, body: Buffer.concat(chunks).toString() }));
      stream.on('error', reject);
    });
    // Not "200 tunnel open" with a raw HTTP/1.1 response as its body.
    expect({ status: reply.status, rawHttp1InBody: /^HTTP\/1\.1/.test(reply.body) }).toEqual({ status: 405, rawHttp1InBody: false });
  });

  it('carries a WebSocket over TLS (wss → ws backend), with x-forwarded-proto https', async () => {
    const echo = track(await startWsEcho());
    const proxy = await start([{ host: 'ws.localhost', target: echo.url }]);
    const ws = track(await openWss(proxy.httpsPort, 'ws.localhost', certs.ca.certPem, '/_hmr?t=1'), closeWs);
    expect((await roundTrip(ws, 'over tls')).data.toString()).toBe('over tls');
    const bytes = Buffer.from([0, 255, 1, 254]);
    expect((await roundTrip(ws, bytes)).data).toEqual(bytes);
    expect(echo.upgrades).toHaveLength(1);
    expect(echo.upgrades[0]!.url).toBe('/_hmr?t=1');
    expect(echo.upgrades[0]!.headers['x-forwarded-proto']).toBe('https');
  });

  it('gives a host under a wildcard route a leaf of its own', async () => {
    const backend = track(await startBackend('shop'));
    const proxy = await start([{ host: '*.shop.localhost', target: backend.url }]);
    const reply = await httpsRequest(proxy.httpsPort, { host: 'eu.shop.localhost', ca: certs.ca.certPem });
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: 'shop' });
    expect(reply.peer.subjectaltname).toBe('DNS:eu.shop.localhost, DNS:*.eu.shop.localhost');

    const h2 = track(await connectH2(proxy.httpsPort, 'us.shop.localhost', certs.ca.certPem));
    expect((await h2.request({ ':path': '/' })).body).toBe('shop');
  });

  it('fails the handshake for a client that does not trust our root', async () => {
    const backend = track(await startBackend('app'));
    const proxy = await start([{ host: 'app.localhost', target: backend.url }]);
    const error = await handshakeError(proxy.httpsPort, { servername: 'app.localhost' });
    expect(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']).toContain(error.code);
    await expect(httpsRequest(proxy.httpsPort, { host: 'app.localhost' })).rejects.toThrow(/unable to verify|self[- ]signed/i);
    expect(backend.requests).toEqual([]);
  });

  it('fails the handshake for a client that trusts a different Portico root', async () => {
    const otherDir = track(await tempDataDir(), removeDir);
    const other = await openCertificates(otherDir, ['localhost', 'test']);
    const backend = track(await startBackend('app'));
    const proxy = await start([{ host: 'app.localhost', target: backend.url }]);
    const error = await handshakeError(proxy.httpsPort, { ca: other.ca.certPem, servername: 'app.localhost' });
    expect(error.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_SIGNATURE_FAILURE|UNABLE_TO_GET_ISSUER_CERT/);
  });

  it('serves a client that sends no SNI (https://127.0.0.1) the default certificate, valid for 127.0.0.1', async () => {
    const backend = track(await startBackend('app'));
    const proxy = await start([{ host: 'app.localhost', target: backend.url }]);
    // Connecting by IP: Node sends no SNI and checks the certificate against 127.0.0.1.
    const done = await handshake(proxy.httpsPort, { ca: certs.ca.certPem });
    expect(done.authorized).toBe(true);
    expect(done.peer.subject.CN).toBe('localhost');
    expect(done.peer.subjectaltname).toContain('IP Address:127.0.0.1');
    expect(done.peer.subjectaltname).toContain('DNS:localhost');
    expect(done.peer.subjectaltname).toMatch(/IP Address:(0:0:0:0:0:0:0:1|::1)/);

    // And a request by IP with the dev Host header reaches the route.
    const reply = await new Promise<number>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port: proxy.httpsPort, path: '/', headers: { host: 'app.localhost' }, ca: certs.ca.certPem, agent: false },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(reply).toBe(200);
    expect(backend.requests).toHaveLength(1);
  });

  it('does not issue leaves for names outside the suffixes, even when a client asks by SNI', async () => {
    const backend = track(await startBackend('app'));
    const proxy = await start([{ host: 'app.localhost', target: backend.url }]);
    const before = certs.store.issued;
    const error = await handshakeError(proxy.httpsPort, { ca: certs.ca.certPem, servername: 'bank.com' });
    expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(certs.store.issued).toBe(before);
  });
});

describe('HTTPS listener with an injected clock', () => {
  const track = closeAfter('each');

  it('renews the certificate it serves while running, without a restart', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const start = Date.now() - 61 * DAY;
    let clock = new Date(start);
    const certs = await openCertificates(dir, ['localhost', 'test'], { now: () => clock });
    const backend = track(await startBackend('app'));
    const proxy = track(await startHttpsEngine(dir, [{ host: 'app.localhost', target: backend.url }], {}, certs));

    const first = await httpsRequest(proxy.httpsPort, { host: 'app.localhost', ca: certs.ca.certPem });
    clock = new Date(start + 61 * DAY);
    const second = await httpsRequest(proxy.httpsPort, { host: 'app.localhost', ca: certs.ca.certPem });
    expect(second.status).toBe(200);
    expect(Date.parse(second.peer.valid_to)).toBeGreaterThan(Date.parse(first.peer.valid_to));
    expect(certs.store.issued).toBe(2);
  });

  it('renews the default (no-SNI) certificate while running too', async () => {
    // The default certificate is what https://127.0.0.1 gets; it lives 90 days like any leaf.
    const dir = track(await tempDataDir(), removeDir);
    const start = Date.now() - 61 * DAY;
    let clock = new Date(start);
    const certs = await openCertificates(dir, ['localhost', 'test'], { now: () => clock });
    const backend = track(await startBackend('app'));
    const proxy = track(await startHttpsEngine(dir, [{ host: 'app.localhost', target: backend.url }], {}, certs));

    const first = await handshake(proxy.httpsPort, { ca: certs.ca.certPem });
    clock = new Date(start + 61 * DAY);
    // The first connection after the due date starts the renewal in the background…
    const before = certs.store.defaultCertificate.cert;
    await handshake(proxy.httpsPort, { ca: certs.ca.certPem });
    await vi.waitFor(() => expect(certs.store.defaultCertificate.cert).not.toBe(before));
    // …and the next no-SNI client gets the new one.
    const second = await handshake(proxy.httpsPort, { ca: certs.ca.certPem });
    // With under 30 days left, the listener should have moved on to a fresh default leaf.
    expect(Date.parse(second.peer.valid_to) - clock.getTime()).toBeGreaterThan(30 * DAY);
    expect(Date.parse(second.peer.valid_to)).toBeGreaterThan(Date.parse(first.peer.valid_to));
  });
});

describe('per-route https mode', () => {
  const shared = closeAfter('all');
  const track = closeAfter('each');
  let dir: string;
  let certs: Certificates;

  beforeAll(async () => {
    dir = shared(await tempDataDir(), removeDir);
    certs = await openCertificates(dir, ['localhost', 'test']);
  });

  it('"redirect": plain HTTP answers 308 to the same path and query on the HTTPS port; HTTPS serves', async () => {
    const backend = track(await startBackend('secure'));
    const proxy = track(await startHttpsEngine(dir, [{ host: 'secure.localhost', target: backend.url, https: 'redirect' }], {}, certs));

    const plain = await request(proxy.httpPort, { host: `secure.localhost:${proxy.httpPort}`, path: '/cart/items?id=7&x=%20y' });
    expect(plain.status).toBe(308);
    expect(plain.headers.location).toBe(`https://secure.localhost:${proxy.httpsPort}/cart/items?id=7&x=%20y`);
    // 308 (not 301/302) keeps a POST a POST.
    const post = await request(proxy.httpPort, { host: 'secure.localhost', method: 'POST', path: '/form', body: 'a=1' });
    expect(post.status).toBe(308);
    expect(post.headers.location).toBe(`https://secure.localhost:${proxy.httpsPort}/form`);
    expect(backend.requests).toEqual([]);

    const secure = await httpsRequest(proxy.httpsPort, { host: 'secure.localhost', ca: certs.ca.certPem, path: '/cart/items?id=7' });
    expect({ status: secure.status, body: secure.body }).toEqual({ status: 200, body: 'secure' });
    expect(backend.requests).toHaveLength(1);
  });

  it('"redirect" applies to WebSocket upgrades on plain HTTP as well', async () => {
    const echo = track(await startWsEcho());
    const proxy = track(await startHttpsEngine(dir, [{ host: 'ws.localhost', target: echo.url, https: 'redirect' }], {}, certs));
    const status = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: proxy.httpPort,
        path: '/socket',
        headers: {
          host: 'ws.localhost',
          connection: 'upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      });
      req.on('upgrade', () => reject(new Error('upgraded over plain HTTP despite https: "redirect"')));
      req.on('error', reject);
      req.end();
    });
    expect(status).toEqual({ status: 308, location: `https://ws.localhost:${proxy.httpsPort}/socket` });
    expect(echo.upgrades).toEqual([]);
    const ws = track(await openWss(proxy.httpsPort, 'ws.localhost', certs.ca.certPem), closeWs);
    expect((await roundTrip(ws, 'secure')).data.toString()).toBe('secure');
  });

  it('"redirect" keeps pointing at the HTTPS port after a config change', async () => {
    const backend = track(await startBackend('late'));
    const proxy = track(await startHttpsEngine(dir, [], {}, certs));
    proxy.engine.setConfig(makeConfig([{ host: 'late.localhost', target: backend.url, https: 'redirect' }]));
    const plain = await request(proxy.httpPort, { host: 'late.localhost', path: '/x' });
    expect({ status: plain.status, location: plain.headers.location }).toEqual({
      status: 308,
      location: `https://late.localhost:${proxy.httpsPort}/x`,
    });
  });

  it('"redirect" on an engine without HTTPS serves plain HTTP (there is nowhere to send the client)', async () => {
    const backend = track(await startBackend('plain'));
    const engine = track(await startTestEngine([{ host: 'plain.localhost', target: backend.url, https: 'redirect' }]), closeEngine);
    const reply = await request(engine.http.port, { host: 'plain.localhost' });
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: 'plain' });
  });

  it('"off": HTTPS answers 404 "Not served over HTTPS" and never reaches the backend; plain HTTP serves', async () => {
    const backend = track(await startBackend('legacy'));
    const proxy = track(await startHttpsEngine(dir, [{ host: 'legacy.localhost', target: backend.url, https: 'off' }], {}, certs));

    const secure = await httpsRequest(proxy.httpsPort, { host: 'legacy.localhost', ca: certs.ca.certPem, headers: { accept: 'application/json' } });
    expect(secure.status).toBe(404);
    expect(JSON.parse(secure.body)).toMatchObject({ error: 'Not served over HTTPS' });

    const h2 = track(await connectH2(proxy.httpsPort, 'legacy.localhost', certs.ca.certPem));
    expect((await h2.request({ ':path': '/' })).status).toBe(404);
    expect(backend.requests).toEqual([]);

    const plain = await request(proxy.httpPort, { host: 'legacy.localhost' });
    expect({ status: plain.status, body: plain.body }).toEqual({ status: 200, body: 'legacy' });
  });

  it('"both" (the default) serves plain HTTP and HTTPS alike', async () => {
    const backend = track(await startBackend('both'));
    const proxy = track(await startHttpsEngine(dir, [{ host: 'both.localhost', target: backend.url }], {}, certs));
    expect(proxy.engine.config.routes[0]!.https).toBe('both');
    const plain = await request(proxy.httpPort, { host: 'both.localhost' });
    const secure = await httpsRequest(proxy.httpsPort, { host: 'both.localhost', ca: certs.ca.certPem });
    expect([plain.status, plain.body, secure.status, secure.body]).toEqual([200, 'both', 200, 'both']);
  });
});
