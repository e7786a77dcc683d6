// The control service around the per-route switches, at the real boundary: routes.stats
// counts what really went through the engine (bytes on the wire, hits the backend never
// saw), defaults from settings.set apply to routes without their own switch, a pause
// reaches every listener as status, and a deleted run-only route comes back run-only.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import type { EventPayload } from '../../proxy-core/contract/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { startService, type TestService } from '../helpers/service.js';

const closeEach = closeAfter('each');
let running: TestService;
afterEach(() => running?.close());

const PAGE = Buffer.from('<p>a page worth compressing</p>\n'.repeat(200));

/** Counts the requests that reach it; every answer is cacheable for a minute. */
async function pageBackend(): Promise<Backend & { hits: () => number }> {
  let hits = 0;
  const backend = await startBackend('pages', (req, res) => {
    req.resume();
    hits++;
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': PAGE.length, 'cache-control': 'max-age=60' });
    res.end(PAGE);
  });
  return Object.assign(backend, { hits: () => hits });
}

/** The body as it came over the wire (still encoded), with the headers. */
function fetchRaw(port: number, host: string, path = '/'): Promise<{ headers: http.IncomingHttpHeaders; wire: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { host, 'accept-encoding': 'br, gzip' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, wire: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

it('counts cache hits, misses, bytes answered from the store and bytes compression saved, per route', async () => {
  const backend = closeEach(await pageBackend());
  running = await startService({
    routes: [
      { id: 'switched', host: 'shop.localhost', target: backend.url, cache: true, compression: true },
      { id: 'plain', host: 'plain.localhost', target: backend.url },
    ],
  });
  const first = await fetchRaw(running.port, 'shop.localhost');
  const second = await fetchRaw(running.port, 'shop.localhost');
  await fetchRaw(running.port, 'plain.localhost');
  expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
  expect(backend.hits()).toBe(2); // one for the MISS, one for the plain route
  expect(zlib.brotliDecompressSync(second.wire).equals(PAGE)).toBe(true);

  const stats = await running.service.call('routes.stats', undefined);
  expect(stats).toEqual([
    {
      route: 'switched',
      cache: { hits: 1, misses: 1, bytesServed: PAGE.length },
      compression: { responses: 2, bytesIn: 2 * PAGE.length, bytesOut: first.wire.length + second.wire.length },
    },
  ]);
});

it('applies settings.defaults to a route without its own switch, and keeps a route that says false off', async () => {
  const backend = closeEach(await pageBackend());
  running = await startService({
    routes: [
      { id: 'follows', host: 'shop.localhost', target: backend.url },
      { id: 'opts-out', host: 'raw.localhost', target: backend.url, compression: false },
    ],
  });
  expect((await fetchRaw(running.port, 'shop.localhost')).headers['content-encoding']).toBeUndefined();
  await running.service.call('settings.set', { defaults: { compression: { threshold: 100, encodings: ['gzip'] }, cache: false } });
  const followed = await fetchRaw(running.port, 'shop.localhost');
  expect(followed.headers['content-encoding']).toBe('gzip');
  expect(zlib.gunzipSync(followed.wire).equals(PAGE)).toBe(true);
  expect((await fetchRaw(running.port, 'raw.localhost')).headers['content-encoding']).toBeUndefined();
  const saved = JSON.parse(await readFile(running.configFile, 'utf8')) as { defaults: unknown };
  expect(saved.defaults).toEqual({ compression: { threshold: 100, encodings: ['gzip'] }, cache: false, throttle: false });
  const stats = await running.service.call('routes.stats', undefined);
  expect(stats.map((s) => [s.route, s.compression.responses])).toEqual([['follows', 1]]);
});

it('tells every listener when the capture is paused or resumed', async () => {
  running = await startService({ routes: [] });
  const seen: EventPayload<'listeners'>[] = [];
  running.service.on('listeners', (status) => seen.push(status));
  await running.service.call('traffic.pause', { paused: true });
  await running.service.call('traffic.pause', { paused: false });
  expect(seen.map((s) => s.capture.paused)).toEqual([true, false]);
  expect((await running.service.call('status', undefined)).capture.paused).toBe(false);
});

it('puts a deleted run-only route back as run-only when it is created again with its id (undo)', async () => {
  const backend = closeEach(await pageBackend());
  running = await startService(
    { routes: [{ host: 'file.localhost', target: backend.url }] },
    { overlay: [{ host: 'shop.localhost', target: backend.url, cache: true }] },
  );
  const before = await readFile(running.configFile, 'utf8');
  const deleted = await running.service.call('routes.delete', { id: 'run:shop.localhost' });
  expect((await running.service.call('routes.list', undefined)).map((r) => r.id)).toEqual(['file.localhost']);
  expect((await fetchRaw(running.port, 'shop.localhost')).headers['x-portico']).toBeDefined();

  const restored = await running.service.call('routes.create', deleted);
  expect(restored).toEqual(deleted);
  expect((await running.service.call('routes.list', undefined)).map((r) => r.id)).toEqual(['file.localhost', 'run:shop.localhost']);
  expect(await readFile(running.configFile, 'utf8')).toBe(before); // never written to the file
  expect((await fetchRaw(running.port, 'shop.localhost')).headers['x-cache']).toBe('MISS');
  // And it is still run-only: toggling it works on the overlay.
  expect((await running.service.call('routes.toggle', { id: 'run:shop.localhost', enabled: false })).enabled).toBe(false);
});

it('edits run-only routes in its own copy, one at a time with config edits', async () => {
  const backend = closeEach(await pageBackend());
  running = await startService({ routes: [{ host: 'file.localhost', target: backend.url }] }, { overlay: [{ host: 'shop.localhost', target: backend.url }] });
  const given = running.overlay.map((r) => ({ ...r }));
  // A config edit and a run-only edit sent together: both land, in the order sent.
  await Promise.all([
    running.service.call('routes.toggle', { id: 'file.localhost', enabled: false }),
    running.service.call('routes.delete', { id: 'run:shop.localhost' }),
  ]);
  expect((await running.service.call('routes.list', undefined)).map((r) => [r.id, r.enabled])).toEqual([['file.localhost', false]]);
  expect((await fetchRaw(running.port, 'shop.localhost')).headers['x-portico']).toBe('page'); // Portico's own page: no route
  // The list the front door handed over (portico serve's --route routes) is left as it was.
  expect(running.overlay).toEqual(given);
});
