// Traffic rules over HTTP/1.1 at the real boundary: a real backend counts what reaches it,
// so each action shows whether the backend was contacted. Rule order, enable switches, a
// file mock edited between requests, and the marks the capture shows.
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RuleInput } from '../../proxy-core/contract/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, makeConfig, startTestEngine } from '../helpers/engine.js';
import { request } from '../helpers/request.js';
import { startService } from '../helpers/service.js';
import { closeWs, openWs, roundTrip, startWsEcho } from '../helpers/wsEcho.js';

const close = closeAfter();
const HOST = 'shop.localhost';

async function setup(rules: RuleInput[]) {
  const backend = close(await startBackend('shop'), (b) => b.close());
  const engine = close(await startTestEngine([{ host: HOST, target: backend.url }], { rules }), closeEngine);
  return { backend, engine, port: engine.http.port };
}

const cart500: RuleInput = {
  id: 'cart-500',
  match: { host: HOST, pathPrefix: '/api/cart', method: 'GET' },
  action: { respond: { status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":"boom"}' } },
};

/** A request that ends in an error (reset, client timeout) instead of a response. */
function failedRequest(
  port: number,
  pathName: string,
  timeoutMs?: number,
  headers: http.OutgoingHttpHeaders = {},
): Promise<NodeJS.ErrnoException | 'answered'> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathName, headers: { host: HOST, ...headers }, agent: false }, (res) => {
      res.resume();
      resolve('answered');
    });
    req.on('upgrade', () => resolve('answered'));
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('client gave up'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', (error) => resolve(error));
    req.end();
  });
}

describe('traffic rules (HTTP/1.1)', () => {
  it('respond answers with the rule status, headers and body and never contacts the backend', async () => {
    const { backend, port } = await setup([cart500]);
    const reply = await request(port, { host: HOST, path: '/api/cart' });
    expect(reply.status).toBe(500);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['content-length']).toBe(String('{"error":"boom"}'.length));
    expect(JSON.parse(reply.body)).toEqual({ error: 'boom' });
    expect(backend.requests).toHaveLength(0);
    // Outside the match (another method, another path) the backend answers as usual.
    expect((await request(port, { host: HOST, path: '/api/cart', method: 'POST', body: 'x' })).body).toBe('shop');
    expect((await request(port, { host: HOST, path: '/api/cartx' })).body).toBe('shop');
    expect(backend.requests.map((r) => r.url)).toEqual(['/api/cart', '/api/cartx']);
  });

  it('a respond rule on the normalised path cannot be dodged with dot segments or a query', async () => {
    const { backend, port } = await setup([cart500]);
    expect((await request(port, { host: HOST, path: '/api/cart?x=1' })).status).toBe(500);
    expect((await request(port, { host: HOST, path: '/api/cart/items' })).status).toBe(500);
    expect(backend.requests).toHaveLength(0);
  });

  it('matches a header value, a query value and a path regex', async () => {
    const { backend, port } = await setup([
      { id: 'h', match: { header: { name: 'X-Mock', value: 'yes' } }, action: { respond: { status: 201, body: 'header' } } },
      { id: 'q', match: { query: { name: 'mock', value: '1' } }, action: { respond: { status: 202, body: 'query' } } },
      { id: 'r', match: { pathRegex: '^/v\\d+/users$' }, action: { respond: { status: 203, json: { users: [] } } } },
    ]);
    expect((await request(port, { host: HOST, path: '/a', headers: { 'x-mock': 'yes' } })).body).toBe('header');
    expect((await request(port, { host: HOST, path: '/a?mock=1' })).body).toBe('query');
    const json = await request(port, { host: HOST, path: '/v2/users' });
    expect([json.status, json.headers['content-type'], json.body]).toEqual([203, 'application/json', '{"users":[]}']);
    expect(backend.requests).toHaveLength(0);
    await request(port, { host: HOST, path: '/a?mock=2', headers: { 'x-mock': 'no' } });
    await request(port, { host: HOST, path: '/v2/users/1' });
    expect(backend.requests).toHaveLength(2);
  });

  it('the first enabled matching rule wins; a switched-off rule is skipped', async () => {
    const first: RuleInput = { id: 'first', match: { pathPrefix: '/api' }, action: { respond: { status: 200, body: 'first' } } };
    const second: RuleInput = { id: 'second', match: { pathPrefix: '/api/cart' }, action: { respond: { status: 200, body: 'second' } } };
    const { backend, engine, port } = await setup([first, second]);
    expect((await request(port, { host: HOST, path: '/api/cart' })).body).toBe('first');
    engine.setConfig(makeConfig([{ host: HOST, target: backend.url }], { rules: [second, first] }));
    expect((await request(port, { host: HOST, path: '/api/cart' })).body).toBe('second');
    engine.setConfig(makeConfig([{ host: HOST, target: backend.url }], { rules: [{ ...second, enabled: false }, first] }));
    expect((await request(port, { host: HOST, path: '/api/cart' })).body).toBe('first');
    engine.setConfig(
      makeConfig([{ host: HOST, target: backend.url }], {
        rules: [
          { ...second, enabled: false },
          { ...first, enabled: false },
        ],
      }),
    );
    expect((await request(port, { host: HOST, path: '/api/cart' })).body).toBe('shop');
    expect(backend.requests).toHaveLength(1);
  });

  it('a file mock is read again on every request, so an edit shows at once', async () => {
    const dir = close(await mkdtemp(path.join(os.tmpdir(), 'portico-mock-')), (d) => rm(d, { recursive: true, force: true }));
    const file = path.join(dir, 'cart.json');
    await writeFile(file, '{"items":1}');
    const { backend, port } = await setup([{ id: 'file', match: { pathPrefix: '/api/cart' }, action: { respond: { file } } }]);
    const one = await request(port, { host: HOST, path: '/api/cart' });
    expect([one.status, one.headers['content-type'], one.body]).toEqual([200, 'application/json', '{"items":1}']);
    await writeFile(file, '{"items":2,"more":true}');
    const two = await request(port, { host: HOST, path: '/api/cart' });
    expect(two.body).toBe('{"items":2,"more":true}');
    expect(two.headers['content-length']).toBe(String(two.body.length));
    await rm(file);
    const gone = await request(port, { host: HOST, path: '/api/cart' });
    expect(gone.status).toBe(500);
    expect(gone.body).not.toContain('items');
    // The file is only ever served inside the rule's match.
    expect((await request(port, { host: HOST, path: '/other' })).body).toBe('shop');
    expect(backend.requests.map((r) => r.url)).toEqual(['/other']);
  });

  it('fail with a status answers with that status page; the backend is not contacted', async () => {
    const { backend, port } = await setup([{ id: 'down', match: { pathPrefix: '/api' }, action: { fail: { status: 503 } } }]);
    const reply = await request(port, { host: HOST, path: '/api/x', headers: { accept: 'application/json' } });
    expect(reply.status).toBe(503);
    expect(backend.requests).toHaveLength(0);
  });

  it('fail "reset" cuts the connection; the backend is not contacted', async () => {
    const { backend, port } = await setup([{ id: 'reset', match: { pathPrefix: '/api' }, action: { fail: 'reset' } }]);
    const outcome = await failedRequest(port, '/api/x');
    expect(outcome).not.toBe('answered');
    expect((outcome as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect((await request(port, { host: HOST, path: '/ok' })).body).toBe('shop');
    expect(backend.requests.map((r) => r.url)).toEqual(['/ok']);
  });

  it('fail "timeout" never answers: the client gives up and the backend never hears of it', async () => {
    const { backend, port } = await setup([{ id: 'hang', match: { pathPrefix: '/api' }, action: { fail: 'timeout' } }]);
    const outcome = await failedRequest(port, '/api/x', 300);
    expect((outcome as NodeJS.ErrnoException).code).toBe('CLIENT_TIMEOUT');
    // A later request is the barrier: the held one would have reached the backend before it.
    expect((await request(port, { host: HOST, path: '/ok' })).body).toBe('shop');
    expect(backend.requests.map((r) => r.url)).toEqual(['/ok']);
  });

  it('delay holds the request back, then it goes to the backend as usual', async () => {
    const { backend, port } = await setup([
      { id: 'long', match: { pathPrefix: '/long' }, action: { delay: { ms: 600_000 } } },
      { id: 'short', match: { pathPrefix: '/short' }, action: { delay: { ms: 50 } } },
    ]);
    const held = failedRequest(port, '/long', 300);
    expect((await request(port, { host: HOST, path: '/short' })).body).toBe('shop');
    expect(((await held) as NodeJS.ErrnoException).code).toBe('CLIENT_TIMEOUT');
    expect((await request(port, { host: HOST, path: '/after' })).body).toBe('shop');
    expect(backend.requests.map((r) => r.url)).toEqual(['/short', '/after']);
  });

  it('a WebSocket upgrade can be refused by a respond or fail rule', async () => {
    const { backend, port } = await setup([{ id: 'no-ws', match: { pathPrefix: '/ws' }, action: { fail: { status: 403 } } }]);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        path: '/ws',
        headers: { host: HOST, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' },
        agent: false,
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect(backend.requests).toHaveLength(0);
  });

  it('a WebSocket upgrade can be delayed, then is served as usual; a cancelled one never reaches the backend', async () => {
    const echo = close(await startWsEcho(), (e) => e.close());
    const engine = close(
      await startTestEngine([{ host: HOST, target: echo.url }], {
        rules: [
          { id: 'ws-later', match: { pathPrefix: '/ws-later' }, action: { delay: { ms: 30 } } },
          { id: 'ws-never', match: { pathPrefix: '/ws-never' }, action: { delay: { ms: 600_000 } } },
        ],
      }),
      closeEngine,
    );
    const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' };
    const held = failedRequest(engine.http.port, '/ws-never', 200, upgrade);
    const ws = await openWs(engine.http.port, HOST, '/ws-later');
    expect((await roundTrip(ws, 'hello')).data.toString()).toBe('hello');
    await closeWs(ws);
    expect(((await held) as NodeJS.ErrnoException).code).toBe('CLIENT_TIMEOUT');
    expect(echo.upgrades.map((u) => u.url)).toEqual(['/ws-later']);
  });

  it('the captured exchange carries a mark naming the rule', async () => {
    const backend = close(await startBackend('shop'), (b) => b.close());
    const svc = close(await startService({ http: { port: 0 }, routes: [{ host: HOST, target: backend.url }], rules: [{ ...cart500, name: 'cart 500' }] }));
    await request(svc.port, { host: HOST, path: '/api/cart' });
    svc.service.parts.batcher.flush();
    const [exchange] = await svc.service.call('traffic.list', undefined);
    expect(exchange?.status).toBe(500);
    expect(exchange?.marks.rule).toBe("mocked by rule 'cart 500'");
    expect(backend.requests).toHaveLength(0);
  });
});
