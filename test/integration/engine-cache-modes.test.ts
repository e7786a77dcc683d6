// The cache beyond plain freshness, at the real boundary: stale-if-error when the backend
// answers 5xx or is gone, the labelled dev mode, and the store's limits from the settings.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ConfigInput, RouteInput } from '../../proxy-core/contract/index.js';
import { startBackend, type BackendHandler } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, makeConfig, startTestEngine } from '../helpers/engine.js';

const HOST = 'modes.localhost';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(port: number, path: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { host: HOST }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

/** Answers 200 until `failing` is set, then 503; every answer names its number. */
function flakyBackend(headers: http.OutgoingHttpHeaders) {
  const state = { failing: false, hits: 0 };
  const handler: BackendHandler = (req, res) => {
    req.resume();
    state.hits++;
    if (state.failing) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('backend broke');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', ...headers });
    res.end(`answer #${state.hits}`);
  };
  return { state, handler };
}

async function setup(headers: http.OutgoingHttpHeaders, route: Partial<RouteInput> = {}, extra: Omit<ConfigInput, 'routes'> = {}) {
  const close = closeAfter();
  const { state, handler } = flakyBackend(headers);
  const backend = close(await startBackend('flaky', handler), (b) => b.close());
  const engine = close(await startTestEngine([{ host: HOST, target: backend.url, cache: true, ...route }], extra), closeEngine);
  return { state, backend, engine, fetch: (path = '/page') => get(engine.http.port, path) };
}

describe('cache: stale-if-error (RFC 5861)', () => {
  it('a stale copy answers for a backend that now fails with 5xx, marked STALE', async () => {
    const { state, fetch } = await setup({ 'cache-control': 'max-age=0, stale-if-error=60' });
    expect((await fetch()).headers['x-cache']).toBe('MISS');
    state.failing = true;
    const stale = await fetch();
    expect(stale.status).toBe(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.body).toBe('answer #1');
    expect(state.hits).toBe(2); // the backend was asked, and failed
  });

  it('a stale copy answers for a backend that is gone (no connection at all)', async () => {
    const { backend, fetch } = await setup({ 'cache-control': 'max-age=0, stale-if-error=60' });
    await fetch();
    await backend.close();
    const stale = await fetch();
    expect(stale.status).toBe(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.body).toBe('answer #1');
  });

  it('without stale-if-error the failure goes through as it is', async () => {
    const { state, fetch } = await setup({ 'cache-control': 'max-age=0', etag: '"e1"' });
    await fetch();
    state.failing = true;
    const failed = await fetch();
    expect(failed.status).toBe(503);
    expect(failed.body).toBe('backend broke');
  });
});

describe('cache: dev mode', () => {
  it('keeps a response that says nothing about caching, and does not tell the browser to cache it', async () => {
    const { state, fetch } = await setup({}, { cache: { devSeconds: 60 } });
    expect((await fetch()).headers['x-cache']).toBe('MISS');
    const hit = await fetch();
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body).toBe('answer #1');
    expect(hit.headers['cache-control']).toBeUndefined();
    expect(state.hits).toBe(1);
  });

  it('leaves alone what the backend said: no-cache is still revalidated, and dev mode is off by default', async () => {
    const said = await setup({ 'cache-control': 'no-cache' }, { cache: { devSeconds: 60 } });
    await said.fetch();
    expect((await said.fetch()).headers['x-cache']).toBe('MISS');
    const off = await setup({});
    await off.fetch();
    expect((await off.fetch()).headers['x-cache']).toBe('MISS');
  });
});

describe('cache: store limits from the settings', () => {
  it('a body over cacheStore.maxEntryBytes is passed through; raising the limit stores it', async () => {
    const { engine, fetch } = await setup({ 'cache-control': 'max-age=60' }, {}, { cacheStore: { maxBytes: 1_000_000, maxEntryBytes: 4 } });
    await fetch();
    expect((await fetch()).headers['x-cache']).toBe('MISS'); // "answer #n" is over 4 bytes
    engine.setConfig(
      makeConfig([{ host: HOST, target: engine.config.routes[0]!.target!, cache: true }], { cacheStore: { maxBytes: 1_000_000, maxEntryBytes: 1_000 } }),
    );
    await fetch();
    expect((await fetch()).headers['x-cache']).toBe('HIT');
  });
});
