// Every cache mark comes with its reason in words, so a MISS on each reload reads as what
// it is (the browser asked to revalidate, or the response gave nothing to keep it by)
// rather than as a broken cache. Real backend, real engine, the capture store's marks.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../proxy-core/contract/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';
import { startService, type TestService } from '../helpers/service.js';

describe('cache marks say why', () => {
  let backend: Backend;
  let running: TestService;

  beforeAll(async () => {
    backend = await startBackend('app', (req, res) => {
      req.resume();
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'text/plain' };
      if (req.url?.startsWith('/fresh')) headers['cache-control'] = 'max-age=60';
      if (req.url?.startsWith('/private')) headers['cache-control'] = 'private, max-age=60';
      res.writeHead(200, headers).end(`page ${req.url}`);
    });
    running = await startService({
      routes: [
        { id: 'plain', host: 'shop.localhost', target: backend.url, cache: true },
        { id: 'dev', host: 'dev.localhost', target: backend.url, cache: { devSeconds: 30 } },
      ],
    });
  });
  afterAll(async () => {
    await running?.close();
    await backend?.close();
  });

  async function marks(path: string, host = 'shop.localhost', headers: http.OutgoingHttpHeaders = {}): Promise<Exchange['marks']> {
    expect((await request(running.port, { host, path, headers })).status).toBe(200);
    let found: Exchange | undefined;
    await expect
      .poll(async () => {
        const list = (await running.service.call('traffic.list', undefined)) as Exchange[];
        found = list.filter((x) => x.host === host && x.url === path && x.state === 'done').at(-1);
        return found?.marks['cache-reason'];
      })
      .toBeDefined();
    return found!.marks;
  }

  it('a response with no freshness: MISS, not stored, and dev mode would keep it', async () => {
    const m = await marks('/silent');
    expect(m['cache']).toBe('MISS');
    expect(m['cache-reason']).toBe('not stored: the response has no freshness (no Cache-Control or Expires) — dev mode would keep it');
  });

  it('dev mode keeps it, and says so', async () => {
    expect((await marks('/silent', 'dev.localhost'))['cache-reason']).toBe('stored for 30 s by dev mode (the response says nothing about caching)');
  });

  it('a fresh response: stored for its max-age, then a HIT with its age', async () => {
    expect((await marks('/fresh'))['cache-reason']).toBe('stored for 60 s');
    const again = await marks('/fresh');
    expect(again['cache']).toBe('HIT');
    expect(again['cache-reason']).toMatch(/^HIT, age \d+ s, fresh for \d+ s more$/);
  });

  it('a reload (max-age=0) is not served from the cache, and says the browser asked', async () => {
    const m = await marks('/fresh', 'shop.localhost', { 'cache-control': 'max-age=0' });
    expect(m['cache']).not.toBe('HIT');
    expect(m['cache-reason']).toMatch(/^not served from cache: the browser asked to revalidate \(a reload sends max-age=0/);
  });

  it('a private response is not stored, and says why', async () => {
    expect((await marks('/private'))['cache-reason']).toBe('not stored: the response says Cache-Control: private (for the browser only)');
  });

  it('a POST bypasses the cache, and says why', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: running.port, method: 'POST', path: '/form', headers: { host: 'shop.localhost' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end('x=1');
    });
    await expect
      .poll(async () => ((await running.service.call('traffic.list', undefined)) as Exchange[]).find((x) => x.method === 'POST')?.marks['cache-reason'])
      .toMatch(/^not cached: POST requests go to the backend/);
  });
});
