// Header rules, rewrites and redirect routes through the real engine: what the backend
// receives, what the client gets (also from the cache), and what the capture records.
import { describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, startTestEngine } from '../helpers/engine.js';
import { rawRequest } from '../helpers/rawRequest.js';
import { request } from '../helpers/request.js';
import { startService } from '../helpers/service.js';

const close = closeAfter();

/** A backend that announces itself and echoes the path and headers it received. */
async function chattyBackend(extra: Record<string, string> = {}): Promise<Backend> {
  return close(
    await startBackend('chatty', (req, res) => {
      req.resume();
      res.writeHead(200, {
        'content-type': 'application/json',
        server: 'Express/4.19',
        'x-powered-by': 'PHP/8.3',
        'x-debug-token': 'abc',
        'cache-control': 'max-age=60',
        ...extra,
      });
      res.end(JSON.stringify({ url: req.url, headers: req.headers }));
    }),
    (b) => b.close(),
  );
}

describe('header rules', () => {
  it('hides the backend and applies response rules, on fresh and cached responses alike', async () => {
    const backend = await chattyBackend();
    const headers = { hideBackend: true, response: { remove: ['x-debug-token'], set: { 'x-frame-options': 'DENY' }, add: { 'cache-control': 'public' } } };
    const engine = close(await startTestEngine([{ host: 'app.localhost', target: backend.url, cache: true, headers }]), closeEngine);
    for (const expected of ['MISS', 'HIT']) {
      const reply = await request(engine.http.port, { host: 'app.localhost' });
      expect(reply.headers['x-cache']).toBe(expected);
      expect(reply.headers.server).toBeUndefined();
      expect(reply.headers['x-powered-by']).toBeUndefined();
      expect(reply.headers['x-debug-token']).toBeUndefined();
      expect(reply.headers['x-frame-options']).toBe('DENY');
      expect(reply.headers['cache-control']).toBe('max-age=60, public');
    }
    expect(backend.requests).toHaveLength(1);
  });

  it('removes, sets and adds request headers on the way to the backend', async () => {
    const backend = await chattyBackend();
    const headers = { request: { remove: ['cookie'], set: { 'x-env': 'dev' }, add: { accept: 'text/plain' } } };
    const engine = close(await startTestEngine([{ host: 'app.localhost', target: backend.url, headers }]), closeEngine);
    await request(engine.http.port, { host: 'app.localhost', headers: { cookie: 'session=secret', accept: 'application/json' } });
    const seen = backend.requests[0]!.headers;
    expect(seen.cookie).toBeUndefined();
    expect(seen['x-env']).toBe('dev');
    expect(seen.accept).toBe('application/json, text/plain');
  });

  it('takes settings.defaults.headers for routes without their own, and leaves Portico pages alone', async () => {
    const backend = await chattyBackend();
    const engine = close(
      await startTestEngine(
        [
          { host: 'plain.localhost', target: backend.url },
          { host: 'own.localhost', target: backend.url, headers: { hideBackend: false } },
        ],
        { defaults: { headers: { hideBackend: true, response: { set: { 'x-served-by': 'portico' } } } } },
      ),
      closeEngine,
    );
    const plain = await request(engine.http.port, { host: 'plain.localhost' });
    expect(plain.headers.server).toBeUndefined();
    expect(plain.headers['x-served-by']).toBe('portico');
    const own = await request(engine.http.port, { host: 'own.localhost' });
    expect(own.headers.server).toBe('Express/4.19');
    const page = await request(engine.http.port, { host: 'unknown.localhost' });
    expect(page.status).toBe(404);
    expect(page.headers['x-served-by']).toBeUndefined();
  });
});

describe('rewrites', () => {
  it('strips and adds prefixes, keeps the query, maps redirects back, and the capture shows both URLs', async () => {
    const backend = close(
      await startBackend('versioned', (req, res) => {
        req.resume();
        if (req.url === '/v1/login') res.writeHead(302, { location: '/v1/home' }).end();
        else res.end(req.url);
      }),
      (b) => b.close(),
    );
    const running = close(
      await startService({
        http: { port: 0 },
        routes: [{ host: 'app.localhost', pathPrefix: '/api', target: backend.url, rewrite: { stripPrefix: '/api', addPrefix: '/v1' } }],
      }),
      (s) => s.close(),
    );
    const reply = await request(running.port, { host: 'app.localhost', path: '/api/users?id=7&x=/api' });
    expect(reply.body).toBe('/v1/users?id=7&x=/api');
    const redirect = await request(running.port, { host: 'app.localhost', path: '/api/login' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe('/api/home');
    const [first] = await running.service.call('traffic.list', undefined);
    expect(first).toMatchObject({ url: '/api/users?id=7&x=/api', marks: { rewrite: '/v1/users?id=7&x=/api' } });
  });

  it('applies the first matching regex rule, WebSocket upgrades included', async () => {
    const backend = await chattyBackend();
    const rewrite = {
      regex: [
        { match: '^/old/(.*)', replace: '/new/$1' },
        { match: '^/old', replace: '/never' },
      ],
    };
    const engine = close(await startTestEngine([{ host: 'app.localhost', target: backend.url, rewrite }]), closeEngine);
    const reply = await request(engine.http.port, { host: 'app.localhost', path: '/old/a/b?c=1' });
    expect(JSON.parse(reply.body)).toMatchObject({ url: '/new/a/b?c=1' });
    // The backend is no WebSocket server; what matters is the path its upgrade request had.
    await rawRequest(
      engine.http.port,
      'GET /old/socket HTTP/1.1\r\nHost: app.localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(backend.requests.map((r) => r.url)).toEqual(['/new/a/b?c=1', '/new/socket']);
  });
});

describe('redirect routes', () => {
  it('answer with the status and Location, keeping the path when asked, with no backend at all', async () => {
    const engine = close(
      await startTestEngine([
        { host: 'old.localhost', redirect: { to: 'https://new.localhost', status: 301, keepPath: true } },
        { host: 'app.localhost', pathPrefix: '/docs', redirect: { to: 'https://docs.localhost/v2/', status: 308, keepPath: true } },
        { host: 'app.localhost', pathPrefix: '/help', redirect: { to: '/docs' } },
      ]),
      closeEngine,
    );
    const moved = await request(engine.http.port, { host: 'old.localhost', path: '/shop/cart?item=3' });
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('https://new.localhost/shop/cart?item=3');
    const docs = await request(engine.http.port, { host: 'app.localhost', path: '/docs/intro', method: 'POST', body: 'x' });
    expect(docs.status).toBe(308);
    expect(docs.headers.location).toBe('https://docs.localhost/v2/intro');
    const help = await request(engine.http.port, { host: 'app.localhost', path: '/help/anything' });
    expect(help.status).toBe(302);
    expect(help.headers.location).toBe('/docs');
    const upgrade = await rawRequest(engine.http.port, 'GET /x HTTP/1.1\r\nHost: old.localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    expect(upgrade.status).toBe(301);
    expect(upgrade.raw).toMatch(/\r\nLocation: https:\/\/new\.localhost\/x\r\n/i);
  });
});
