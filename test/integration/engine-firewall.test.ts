// The application firewall on a real engine: allow-list (403), rate limit (429 with
// Retry-After), denied paths (403), body size (413, never buffered) — each captured with
// its reason, and the proxy serving everyone else meanwhile.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema, type RouteInput } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { closeEngine, makeConfig } from '../helpers/engine.js';
import { rawRequest } from '../helpers/rawRequest.js';
import { request } from '../helpers/request.js';

let backend: Backend;
let engine: Engine;
let store: CaptureStore;
/** Bytes of request body each backend request delivered. */
const received: number[] = [];

beforeAll(async () => {
  backend = await startBackend('app', (req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      received.push(bytes);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`got ${bytes}`);
    });
  });
  const routes: RouteInput[] = [
    { host: 'open.localhost', target: backend.url },
    { host: 'limited.localhost', target: backend.url, firewall: { rateLimit: { requestsPerSecond: 0.5, burst: 2 } } },
    { host: 'inherits.localhost', target: backend.url },
    { host: 'unlimited.localhost', target: backend.url, firewall: { rateLimit: false } },
    { host: 'allow.localhost', target: backend.url, firewall: { allow: ['127.0.0.2', '10.0.0.0/8'], rateLimit: false } },
    { host: 'deny.localhost', target: backend.url, firewall: { deny: ['/admin', { regex: '\\.(env|git)(/|$)' }], rateLimit: false } },
    { host: 'body.localhost', target: backend.url, firewall: { maxBodyBytes: 1000, rateLimit: false } },
  ];
  store = new CaptureStore(CaptureSettingsSchema.parse({}));
  const config = makeConfig(routes, { defaults: { firewall: { rateLimit: { requestsPerSecond: 0.5, burst: 1 } } } });
  engine = await startEngine({ config, http: { host: '127.0.0.1', port: 0 }, recorder: store });
});

afterAll(async () => {
  await closeEngine(engine);
  await backend.close();
});

const port = () => engine.http.port;
const markOf = (host: string) =>
  store
    .list()
    .filter((x) => x.host === host)
    .at(-1)?.marks['portico'];

describe('rate limit', () => {
  it('answers 429 with Retry-After past the burst, per client address, while others are served', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(port(), { host: 'limited.localhost' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await request(port(), { host: 'limited.localhost' });
    expect(limited.status).toBe(429);
    // One token every 2 s: the wait is announced in whole seconds, at least 1, at most 2.
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(2);
    expect(markOf('limited.localhost')).toBe('firewall: rate limit');
    // Another client address has its own bucket; another route is not limited at all.
    expect((await request(port(), { host: 'limited.localhost', localAddress: '127.0.0.3' })).status).toBe(200);
    expect((await request(port(), { host: 'unlimited.localhost' })).status).toBe(200);
  });

  it('applies settings.defaults.firewall to routes without their own; "rateLimit": false turns it off', async () => {
    expect((await request(port(), { host: 'inherits.localhost', localAddress: '127.0.0.4' })).status).toBe(200);
    expect((await request(port(), { host: 'inherits.localhost', localAddress: '127.0.0.4' })).status).toBe(429);
    for (let i = 0; i < 4; i++) expect((await request(port(), { host: 'unlimited.localhost', localAddress: '127.0.0.4' })).status).toBe(200);
  });
});

describe('allow-list', () => {
  it('serves addresses in the list and answers 403 to others', async () => {
    expect((await request(port(), { host: 'allow.localhost', localAddress: '127.0.0.2' })).status).toBe(200);
    const refused = await request(port(), { host: 'allow.localhost' });
    expect(refused.status).toBe(403);
    expect(markOf('allow.localhost')).toBe('firewall: address not allowed (127.0.0.1)');
  });
});

describe('path deny rules', () => {
  it.each([
    ['/admin', 403],
    ['/admin/users?x=1', 403],
    ['/%61dmin/users', 403],
    ['/public/../admin', 403],
    ['//admin', 403],
    ['/administrator', 200],
    ['/.env', 403],
    ['/app/.git/config', 403],
    ['/environment', 200],
  ])('%s → %i', async (path, status) => {
    const reply = await rawRequest(port(), `GET ${path} HTTP/1.1\r\nHost: deny.localhost\r\nConnection: close\r\n\r\n`);
    expect(reply.status).toBe(status);
    if (status === 403) expect(markOf('deny.localhost')).toMatch(/^firewall: path denied/);
  });
});

describe('maximum body size', () => {
  it('refuses a declared Content-Length over the limit before reading the body, with Connection: close', async () => {
    received.length = 0;
    // Headers only: the client has not sent (and never sends) the 10 MB it announced.
    const reply = await rawRequest(port(), 'POST /upload HTTP/1.1\r\nHost: body.localhost\r\nContent-Length: 10000000\r\n\r\n');
    expect(reply.status).toBe(413);
    expect(reply.raw.toLowerCase()).toContain('connection: close');
    expect(received).toHaveLength(0);
    expect(markOf('body.localhost')).toBe('firewall: body over 1000 bytes');
  });

  it('passes bodies within the limit, chunked or not', async () => {
    expect((await request(port(), { host: 'body.localhost', method: 'POST', body: 'x'.repeat(1000) })).body).toBe('got 1000');
    const chunked = await rawRequest(
      port(),
      'POST / HTTP/1.1\r\nHost: body.localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1f4\r\n' + 'y'.repeat(500) + '\r\n0\r\n\r\n',
    );
    expect(chunked.body).toBe('got 500');
  });

  it('counts a chunked body as it streams and answers 413 once it goes over, cutting the backend off', async () => {
    received.length = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ port: port(), method: 'POST', path: '/stream', headers: { host: 'body.localhost' }, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // 600 bytes now, 600 more a moment later: the second chunk crosses the limit.
      req.write('a'.repeat(600));
      setTimeout(() => req.write('b'.repeat(600)), 50);
    });
    expect(status).toBe(413);
    expect(markOf('body.localhost')).toBe('firewall: body over 1000 bytes');
    // The backend never saw a complete request; the engine still serves.
    expect(received).toHaveLength(0);
    expect((await request(port(), { host: 'open.localhost' })).status).toBe(200);
  });
});
