// Breakpoint rules at the real boundary, over HTTP/1.1 and HTTP/2: a paused request or
// response goes on unchanged, goes on edited (the backend sees the edited header and
// body, the client the edited status, every Content-Length true), is aborted, times out
// (the timeout is injected short), or ends because the client gave up.
import http from 'node:http';
import http2 from 'node:http2';
import { describe, expect, it } from 'vitest';
import type { RuleInput } from '../../proxy-core/contract/index.js';
import { closeAfter } from '../helpers/cleanup.js';
import { startEchoBackend, startRulesEngine, type Echo, type RulesEngine } from '../helpers/rules.js';
import { devLookup, removeDir, tempDataDir } from '../helpers/tls.js';

const close = closeAfter();
const HOST = 'shop.localhost';

interface Sent {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}
interface Call {
  reply: Promise<Got>;
  cancel(): void;
}
type Client = (sent: Sent) => Call;

function h1(port: number): Client {
  return (sent) => {
    let req!: http.ClientRequest;
    const reply = new Promise<Got>((resolve, reject) => {
      req = http.request(
        { host: '127.0.0.1', port, method: sent.method ?? 'GET', path: sent.path, headers: { host: HOST, ...sent.headers }, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(sent.body);
    });
    return { reply, cancel: () => req.destroy() };
  };
}

function h2(session: http2.ClientHttp2Session): Client {
  return (sent) => {
    const stream = session.request({ ':method': sent.method ?? 'GET', ':path': sent.path, ...sent.headers }, { endStream: sent.body === undefined });
    const reply = new Promise<Got>((resolve, reject) => {
      let head: http2.IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on('response', (h) => (head = h));
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', reject);
      stream.on('close', () =>
        stream.rstCode && stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR ? reject(new Error(`stream reset ${stream.rstCode}`)) : undefined,
      );
      stream.on('end', () =>
        resolve({ status: Number(head[':status']), headers: head as http.IncomingHttpHeaders, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    if (sent.body !== undefined) stream.end(sent.body);
    return { reply, cancel: () => stream.close(http2.constants.NGHTTP2_CANCEL) };
  };
}

const protocols = ['HTTP/1.1', 'HTTP/2'] as const;

async function setup(protocol: (typeof protocols)[number], rules: RuleInput[], timeoutMs?: number) {
  const dir = close(await tempDataDir(), removeDir);
  const backend = close(await startEchoBackend(), (b) => b.close());
  const proxy: RulesEngine = close(await startRulesEngine(dir, [{ host: HOST, target: backend.url }], rules, timeoutMs), (p) => p.close());
  let client: Client;
  if (protocol === 'HTTP/1.1') client = h1(proxy.httpPort);
  else {
    const session = http2.connect(`https://${HOST}:${proxy.httpsPort}`, { ca: proxy.certs.ca.certPem, lookup: devLookup });
    session.on('error', () => {});
    close(session, (s) => new Promise<void>((done) => s.close(() => done())));
    client = h2(session);
  }
  return { backend, proxy, client };
}

const onRequest: RuleInput = { id: 'pause-cart', name: 'pause cart', match: { pathPrefix: '/api/cart' }, action: { breakpoint: 'request' } };
const onResponse: RuleInput = { id: 'pause-reply', match: { pathPrefix: '/api/cart' }, action: { breakpoint: 'response' } };

describe.each(protocols)('breakpoints over %s', (protocol) => {
  it('a request breakpoint resumed unchanged sends the request as it came', async () => {
    const { backend, proxy, client } = await setup(protocol, [onRequest]);
    const call = client({ method: 'POST', path: '/api/cart?x=1', headers: { 'content-type': 'text/plain' }, body: 'two apples' });
    const paused = await proxy.paused.next();
    expect([paused.phase, paused.rule, paused.method, paused.url]).toEqual(['request', 'pause-cart', 'POST', '/api/cart?x=1']);
    expect(Buffer.from(paused.body, 'base64').toString()).toBe('two apples');
    expect(paused.editable).toEqual(['method', 'url', 'headers', 'body']);
    // Nothing reached the backend while paused.
    expect(backend.requests).toHaveLength(0);
    expect(proxy.engine.breakpoints.list().map((p) => p.id)).toEqual([paused.id]);
    expect(proxy.engine.breakpoints.resume(paused.id)).toBe(true);
    const got = await call.reply;
    const echo = JSON.parse(got.body) as Echo;
    expect([got.status, echo.method, echo.url, echo.body]).toEqual([200, 'POST', '/api/cart?x=1', 'two apples']);
    expect((await proxy.resumed.next()).outcome).toBe('resumed');
    expect(proxy.engine.breakpoints.list()).toEqual([]);
  });

  it('a request resumed with edits reaches the backend with the edited header, body, method and URL', async () => {
    const { backend, proxy, client } = await setup(protocol, [onRequest]);
    const call = client({ method: 'POST', path: '/api/cart', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    const paused = await proxy.paused.next();
    const headers = [...paused.headers.filter(([name]) => name !== 'content-length'), ['x-debug', 'on'] as [string, string]];
    const body = Buffer.from('{"n":12345}').toString('base64');
    proxy.engine.breakpoints.resume(paused.id, { method: 'PUT', url: '/api/cart/7', headers, body });
    const echo = JSON.parse((await call.reply).body) as Echo;
    expect([echo.method, echo.url, echo.headers['x-debug'], echo.body]).toEqual(['PUT', '/api/cart/7', 'on', '{"n":12345}']);
    expect(echo.headers['content-length']).toBe('11');
    expect(backend.requests).toHaveLength(1);
    expect((await proxy.resumed.next()).outcome).toBe('edited');
  });

  it('a response resumed with edits reaches the client with the edited status, header and body', async () => {
    const { backend, proxy, client } = await setup(protocol, [onResponse]);
    const call = client({ path: '/api/cart' });
    const paused = await proxy.paused.next();
    expect([paused.phase, paused.status]).toEqual(['response', 200]);
    expect((JSON.parse(Buffer.from(paused.body, 'base64').toString()) as Echo).url).toBe('/api/cart');
    expect(backend.requests).toHaveLength(1);
    const headers = [...paused.headers.filter(([name]) => name !== 'content-length'), ['x-edited', 'yes'] as [string, string]];
    proxy.engine.breakpoints.resume(paused.id, { status: 503, headers, body: Buffer.from('édité').toString('base64') });
    const got = await call.reply;
    expect([got.status, got.headers['x-edited'], got.body]).toEqual([503, 'yes', 'édité']);
    expect(got.headers['content-length']).toBe(String(Buffer.byteLength('édité')));
  });

  it('headers the protocol cannot carry, typed into a paused response, are left out rather than breaking the exchange', async () => {
    const { proxy, client } = await setup(protocol, [onResponse]);
    const call = client({ path: '/api/cart' });
    const paused = await proxy.paused.next();
    const headers: [string, string][] = [
      ['content-type', 'text/plain'],
      ['connection', 'close'],
      ['http2-settings', 'AAMAAABkAARAAAAAAAIAAAAA'],
      ['transfer-encoding', 'chunked'],
      ['x-kept', '1'],
    ];
    proxy.engine.breakpoints.resume(paused.id, { headers, body: Buffer.from('plain').toString('base64') });
    const got = await call.reply;
    expect([got.status, got.headers['x-kept'], got.headers['http2-settings'], got.body]).toEqual([200, '1', undefined, 'plain']);
    expect((await client({ path: '/other' }).reply).status).toBe(200);
  });

  it('a response resumed unchanged is the backend response', async () => {
    const { proxy, client } = await setup(protocol, [{ ...onResponse, action: { breakpoint: 'both' } }]);
    const call = client({ path: '/api/cart' });
    const first = await proxy.paused.next();
    expect(first.phase).toBe('request');
    proxy.engine.breakpoints.resume(first.id);
    const second = await proxy.paused.next();
    expect(second.phase).toBe('response');
    proxy.engine.breakpoints.resume(second.id);
    const got = await call.reply;
    expect([got.status, got.headers['x-backend'], (JSON.parse(got.body) as Echo).url]).toEqual([200, 'echo', '/api/cart']);
  });

  it('an aborted request never reaches the backend and the client sees a broken exchange', async () => {
    const { backend, proxy, client } = await setup(protocol, [onRequest]);
    const call = client({ path: '/api/cart' });
    const paused = await proxy.paused.next();
    expect(proxy.engine.breakpoints.abort(paused.id)).toBe(true);
    await expect(call.reply).rejects.toThrow();
    expect((await proxy.resumed.next()).outcome).toBe('aborted');
    // A later request is the barrier.
    expect((await client({ path: '/other' }).reply).status).toBe(200);
    expect(backend.requests.map((r) => r.url)).toEqual(['/other']);
  });

  it('a pause nobody touches goes on unchanged after the timeout', async () => {
    const { backend, proxy, client } = await setup(protocol, [onRequest], 100);
    const call = client({ method: 'POST', path: '/api/cart', body: 'as it was' });
    await proxy.paused.next();
    const got = await call.reply;
    expect((JSON.parse(got.body) as Echo).body).toBe('as it was');
    expect((await proxy.resumed.next()).outcome).toBe('timed out');
    expect(backend.requests).toHaveLength(1);
  });

  it("the client's cancellation ends the pause; the backend never sees the request", async () => {
    const { backend, proxy, client } = await setup(protocol, [onRequest]);
    const call = client({ path: '/api/cart' });
    call.reply.catch(() => {});
    const paused = await proxy.paused.next();
    call.cancel();
    const resumed = await proxy.resumed.next();
    expect([resumed.id, resumed.outcome]).toEqual([paused.id, 'cancelled']);
    expect(proxy.engine.breakpoints.list()).toEqual([]);
    expect(proxy.engine.breakpoints.resume(paused.id)).toBe(false);
    expect((await client({ path: '/other' }).reply).status).toBe(200);
    expect(backend.requests.map((r) => r.url)).toEqual(['/other']);
  });
});
