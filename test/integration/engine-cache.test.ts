// The cache switch at the real boundary: a real backend that counts what reaches it, the
// engine on loopback, and what the client gets (status, X-Cache, Age, bodies).
import http from 'node:http';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RouteInput } from '../../proxy-core/contract/index.js';
import { startBackend, type BackendHandler } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, startTestEngine } from '../helpers/engine.js';

const HOST = 'cache.localhost';
const BIG = Buffer.from('cacheable text '.repeat(400));

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

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

/** Each path is one caching behaviour; the body names how many requests reached the path. */
const origin: BackendHandler = (req, res) => {
  req.resume();
  const url = new URL(req.url ?? '/', 'http://backend');
  const hits = (counts.get(url.pathname) ?? 0) + 1;
  counts.set(url.pathname, hits);
  const text = { 'content-type': 'text/plain' };
  const body = `${url.pathname} #${hits}`;
  const send = (status: number, headers: http.OutgoingHttpHeaders, payload: string | Buffer = body) => {
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
  };
  switch (url.pathname) {
    case '/max-age':
      return send(200, { ...text, 'cache-control': 'max-age=60', etag: '"m1"' });
    case '/s-maxage':
      return send(200, { ...text, 'cache-control': 'max-age=0, s-maxage=60' });
    case '/expires':
      return send(200, { ...text, date: new Date().toUTCString(), expires: new Date(Date.now() + 60_000).toUTCString() });
    case '/heuristic': // no explicit freshness: 10% of the time since Last-Modified
      return send(200, { ...text, date: new Date().toUTCString(), 'last-modified': new Date(Date.now() - 3_600_000).toUTCString() });
    case '/no-store':
      return send(200, { ...text, 'cache-control': 'no-store, max-age=60' });
    case '/private':
      return send(200, { ...text, 'cache-control': 'private, max-age=60' });
    case '/cookie':
      return send(200, { ...text, 'cache-control': 'max-age=60', 'set-cookie': 'session=1' });
    case '/vary':
      return send(200, { ...text, 'cache-control': 'max-age=60', vary: 'Accept-Language' }, `${body} ${req.headers['accept-language'] ?? '-'}`);
    case '/etag': {
      const tags = (req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim());
      if (tags.includes('"v1"')) return send(304, { etag: '"v1"', 'cache-control': 'max-age=0', 'x-fresh': String(hits) });
      return send(200, { ...text, etag: '"v1"', 'cache-control': 'max-age=0', 'x-fresh': String(hits) });
    }
    case '/big':
      return send(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60', 'content-length': BIG.length }, BIG);
    case '/item':
      if (req.method === 'POST') return send(201, { ...text, location: '/other' });
      return send(200, { ...text, 'cache-control': 'max-age=60' });
    case '/other':
      return send(200, { ...text, 'cache-control': 'max-age=60' });
    default:
      return send(200, text);
  }
};
const counts = new Map<string, number>();

async function setup(routes: (target: string) => RouteInput[] = (target) => [{ host: HOST, target, cache: true }]) {
  counts.clear();
  const close = closeAfter();
  const backend = close(await startBackend('origin', origin), (b) => b.close());
  const engine = close(await startTestEngine(routes(backend.url)), closeEngine);
  const get = (path: string, headers?: http.OutgoingHttpHeaders, method?: string) => fetchRaw(engine.http.port, path, headers, method);
  return { engine, get, reached: (path: string) => counts.get(path) ?? 0 };
}

describe('cache: freshness', () => {
  it.each(['/max-age', '/s-maxage', '/expires', '/heuristic'])('%s: the second request is a HIT that never reaches the backend', async (path) => {
    const { get, reached } = await setup();
    const first = await get(path);
    expect(first.headers['x-cache']).toBe('MISS');
    const second = await get(path);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body.toString()).toBe(`${path} #1`);
    expect(second.headers.age).toMatch(/^\d+$/);
    expect(reached(path)).toBe(1);
  });

  it.each(['/no-store', '/private', '/cookie', '/plain'])('%s is never served from the cache', async (path) => {
    const { get, reached } = await setup();
    await get(path);
    const second = await get(path);
    expect(second.headers['x-cache']).toBe('MISS');
    expect(reached(path)).toBe(2);
  });

  it('a request with Authorization is not stored (shared cache, no public)', async () => {
    const { get, reached } = await setup();
    await get('/max-age', { authorization: 'Bearer x' });
    await get('/max-age', { authorization: 'Bearer x' });
    expect(reached('/max-age')).toBe(2);
  });
});

describe('cache: request directives', () => {
  it('no-cache goes to the backend; max-age=0 too; only-if-cached answers 504 on a miss', async () => {
    const { get, reached } = await setup();
    await get('/max-age');
    expect((await get('/max-age', { 'cache-control': 'no-cache' })).headers['x-cache']).toBe('MISS');
    expect((await get('/max-age', { 'cache-control': 'max-age=0' })).headers['x-cache']).toBe('MISS');
    expect(reached('/max-age')).toBe(3);
    expect((await get('/max-age', { 'cache-control': 'only-if-cached' })).headers['x-cache']).toBe('HIT');
    expect((await get('/never-seen', { 'cache-control': 'only-if-cached' })).status).toBe(504);
    expect(reached('/never-seen')).toBe(0);
  });
});

describe('cache: Vary', () => {
  it('keeps one variant per Accept-Language', async () => {
    const { get, reached } = await setup();
    expect((await get('/vary', { 'accept-language': 'en' })).body.toString()).toBe('/vary #1 en');
    expect((await get('/vary', { 'accept-language': 'fr' })).body.toString()).toBe('/vary #2 fr');
    const en = await get('/vary', { 'accept-language': 'en' });
    expect(en.headers['x-cache']).toBe('HIT');
    expect(en.body.toString()).toBe('/vary #1 en');
    expect((await get('/vary', { 'accept-language': 'fr' })).body.toString()).toBe('/vary #2 fr');
    expect(reached('/vary')).toBe(2);
  });
});

describe('cache: revalidation', () => {
  it('a stale entry is revalidated with If-None-Match; the 304 merges headers and the stored body is served', async () => {
    const { get, reached } = await setup();
    expect((await get('/etag')).headers['x-cache']).toBe('MISS');
    const second = await get('/etag');
    expect(second.status).toBe(200);
    expect(second.headers['x-cache']).toBe('REVALIDATED');
    expect(second.body.toString()).toBe('/etag #1');
    expect(second.headers['x-fresh']).toBe('2'); // the 304's header replaced the stored one
    expect(reached('/etag')).toBe(2);
  });

  it("a client's own If-None-Match on a HIT gets a 304", async () => {
    const { get } = await setup();
    await get('/max-age');
    const reply = await get('/max-age', { 'if-none-match': 'W/"m1"' });
    expect(reply.status).toBe(304);
    expect(reply.headers['x-cache']).toBe('HIT');
    expect(reply.body.length).toBe(0);
    expect((await get('/max-age', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it("a client's own If-None-Match on a stale entry: revalidated, then 304 to the client", async () => {
    const { get, reached } = await setup();
    await get('/etag');
    const reply = await get('/etag', { 'if-none-match': '"v1"' });
    expect(reply.status).toBe(304);
    expect(reply.headers['x-cache']).toBe('REVALIDATED');
    expect(reached('/etag')).toBe(2);
  });
});

describe('cache: invalidation and purge', () => {
  it('a successful POST invalidates the URL and its Location', async () => {
    const { get, reached } = await setup();
    await get('/item');
    await get('/other');
    expect((await get('/item', {}, 'POST')).headers['x-cache']).toBe('BYPASS');
    expect((await get('/item')).headers['x-cache']).toBe('MISS');
    expect((await get('/other')).headers['x-cache']).toBe('MISS');
    expect(reached('/item')).toBe(3);
  });

  it('HEAD is answered from a stored GET', async () => {
    const { get, reached } = await setup();
    await get('/max-age');
    const head = await get('/max-age', {}, 'HEAD');
    expect(head.headers['x-cache']).toBe('HIT');
    expect(head.body.length).toBe(0);
    expect(reached('/max-age')).toBe(1);
  });

  it('engine.purgeCache drops one URL, one route, or everything', async () => {
    const { engine, get } = await setup((target) => [{ id: 'r1', host: HOST, target, cache: true }]);
    await get('/max-age');
    await get('/s-maxage');
    expect(engine.purgeCache({ url: `http://${HOST}/max-age` })).toBe(1);
    expect((await get('/max-age')).headers['x-cache']).toBe('MISS');
    expect(engine.purgeCache({ route: 'other' })).toBe(0);
    expect(engine.purgeCache({ route: 'r1' })).toBe(2);
    expect(engine.purgeCache()).toBe(0);
  });
});

describe('cache and compression together', () => {
  it('stores the identity body and compresses each HIT for its client, byte-correct', async () => {
    const { get, reached } = await setup((target) => [{ host: HOST, target, cache: true, compression: true }]);
    const miss = await get('/big', { 'accept-encoding': 'gzip' });
    expect(miss.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(miss.body).equals(BIG)).toBe(true);
    const br = await get('/big', { 'accept-encoding': 'br' });
    expect(br.headers['x-cache']).toBe('HIT');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(zlib.brotliDecompressSync(br.body).equals(BIG)).toBe(true);
    const plain = await get('/big');
    expect(plain.headers['x-cache']).toBe('HIT');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(BIG)).toBe(true);
    expect(reached('/big')).toBe(1);
  });

  it('xCache: false keeps the header off', async () => {
    const { get } = await setup((target) => [{ host: HOST, target, cache: { xCache: false } }]);
    await get('/max-age');
    expect((await get('/max-age')).headers['x-cache']).toBeUndefined();
  });
});

describe('cache: teeing', () => {
  it('the first client gets the body as it streams; the whole body is stored once it ends', async () => {
    const close = closeAfter();
    let finish!: () => void;
    const slow: BackendHandler = (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' });
      res.write('first part, ');
      finish = () => res.end('second part');
    };
    const backend = close(await startBackend('slow', slow), (b) => b.close());
    const engine = close(await startTestEngine([{ host: HOST, target: backend.url, cache: true }]), closeEngine);
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: engine.http.port, path: '/s', headers: { host: HOST }, agent: false }, (res) => {
        expect(res.headers['x-cache']).toBe('MISS');
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
          // The backend is still holding the response open: only then does it finish.
          if (body === 'first part, ') finish();
        });
        res.on('end', () => resolve(body));
      });
      req.on('error', reject).end();
    });
    expect(text).toBe('first part, second part');
    const again = await fetchRaw(engine.http.port, '/s');
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body.toString()).toBe('first part, second part');
  }, 5_000);
});
