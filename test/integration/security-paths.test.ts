// Dot segments and backslashes: every path-based decision judges the path the backend
// receives. A request for `/x/../admin/users` must meet the /admin route's auth and
// allow-list (the backend would read /admin/users), over HTTP/1.1 and HTTP/2, and the
// firewall's deny list, rewrites and the cache key see that same path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../proxy-core/auth/password-hash.js';
import { startBackend, type Backend, type BackendHandler } from '../helpers/backend.js';
import { rawRequest } from '../helpers/rawRequest.js';
import { connectH2, removeDir, startHttpsEngine, tempDataDir, type HttpsEngine } from '../helpers/tls.js';

/** Each of these reads as /admin/users to the URL parser http-proxy-3 builds the upstream path with. */
const TO_ADMIN = [
  '/x/../admin/users',
  '/%2e%2e/admin/users',
  '/%2E%2E/admin/users',
  '/./admin/users',
  '/static/..\\admin/users',
  '/x/%2e%2e/admin/users',
  '/admin/./users',
];

const cacheable: BackendHandler = (req, res, backend) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' });
  res.end(`${backend.name} ${req.url} #${backend.requests.length}`);
};

let dir: string;
let open: Backend;
let admin: Backend;
let api: Backend;
let proxy: HttpsEngine;

beforeAll(async () => {
  dir = await tempDataDir();
  open = await startBackend('open', cacheable);
  admin = await startBackend('admin');
  api = await startBackend('api');
  proxy = await startHttpsEngine(dir, [
    { host: 'shop.localhost', target: open.url },
    {
      host: 'shop.localhost',
      pathPrefix: '/admin',
      target: admin.url,
      auth: { basic: { users: { ada: await hashPassword('correct horse') } } },
      firewall: { allow: ['10.0.0.0/8'] },
    },
    { host: 'deny.localhost', target: open.url, firewall: { deny: ['/admin'] } },
    { host: 'rw.localhost', target: open.url },
    { host: 'rw.localhost', pathPrefix: '/api', target: api.url, rewrite: { stripPrefix: '/api' } },
    { host: 'cache.localhost', target: open.url, cache: { xCache: true } },
  ]);
});
afterAll(async () => {
  await proxy?.close();
  await Promise.all([open?.close(), admin?.close(), api?.close()]);
  await removeDir(dir);
});

const get = (host: string, path: string) => rawRequest(proxy.httpPort, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
const reset = () => [open, admin, api].forEach((b) => b.reset());
const received = () => [...open.requests, ...admin.requests, ...api.requests].map((r) => r.url);

describe('route match: the protected route is not bypassed', () => {
  it.each(TO_ADMIN)("HTTP/1.1 %s meets /admin's allow-list, and no backend hears of it", async (path) => {
    reset();
    const reply = await get('shop.localhost', path);
    expect(reply.status).toBe(403);
    expect(received()).toEqual([]);
  });

  it.each(TO_ADMIN)('HTTP/2 %s is refused on its stream, and no backend hears of it', async (path) => {
    reset();
    const client = await connectH2(proxy.httpsPort, 'shop.localhost', proxy.certs.ca.certPem);
    try {
      const status = await client.request({ ':path': path }).then(
        (reply) => reply.status,
        () => 'reset', // an HTTP/2 stack may refuse the :path itself; either way nothing passes
      );
      expect([403, 400, 'reset']).toContain(status);
      expect(received()).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('a path the parser would read as a host (/\\evil.example/x) is a 400', async () => {
    reset();
    const reply = await get('shop.localhost', '/\\evil.example/x');
    expect(reply.status).toBe(400);
    expect(received()).toEqual([]);
  });

  it('an ordinary path still reaches the open route byte for byte', async () => {
    reset();
    const reply = await get('shop.localhost', '/static/app.js?v=1&q=%2F');
    expect(reply.status).toBe(200);
    expect(received()).toEqual(['/static/app.js?v=1&q=%2F']);
  });
});

describe('the other path-based decisions see the forwarded path', () => {
  it.each(['/x/../admin/users', '/%2e%2e/admin', '/static/..\\admin'])('firewall.deny: %s is refused like /admin', async (path) => {
    reset();
    const reply = await get('deny.localhost', path);
    expect(reply.status).toBe(403);
    expect(received()).toEqual([]);
  });

  it('rewrites: /x/../api/users goes to the /api route, whose stripPrefix sends /users', async () => {
    reset();
    const reply = await get('rw.localhost', '/x/../api/users');
    expect(reply.status).toBe(200);
    expect(api.requests.map((r) => r.url)).toEqual(['/users']);
    expect(open.requests).toEqual([]);
  });

  it('cache key: /x/../page and /page are one entry, the URL the backend was asked for', async () => {
    reset();
    const first = await get('cache.localhost', '/x/../page');
    const second = await get('cache.localhost', '/page');
    expect(first.raw).toMatch(/x-cache: MISS/i);
    expect(second.raw).toMatch(/x-cache: HIT/i);
    expect(open.requests.map((r: { url: string }) => r.url)).toEqual(['/page']);
  });
});
