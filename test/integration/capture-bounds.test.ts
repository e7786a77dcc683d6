// The capture store's bounds and switches, through real requests: count and byte budgets
// (oldest evicted first), the ignore filter, pause, and capture switched off.
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';
import { startService, type TestService } from '../helpers/service.js';

const closeEach = closeAfter('each');
let running: TestService;
afterEach(() => running?.close());

const list = () => running.service.call('traffic.list', undefined);

describe('capture store bounds', () => {
  it('keeps the newest maxExchanges, evicting the oldest first', async () => {
    const app = closeEach(await startBackend('ok'));
    running = await startService({ routes: [{ host: 'app.localhost', target: app.url }], capture: { maxExchanges: 10 } });
    const evicted: string[] = [];
    running.service.on('traffic', (batch) => evicted.push(...batch.evicted));
    for (let i = 0; i < 25; i++) await request(running.port, { host: 'app.localhost', path: `/${i}` });
    const kept = await list();
    expect(kept.map((x) => x.url)).toEqual(Array.from({ length: 10 }, (_, i) => `/${i + 15}`));
    running.service.parts.batcher.flush();
    // Ids are handed out in order; every one of the first 15 was announced as evicted
    // (unless it was evicted before its own batch went out, then it was never announced).
    expect(evicted.every((id) => Number(id.slice(1)) <= 15)).toBe(true);
  });

  it('stays under maxBytes with many bodies, however many requests come', async () => {
    const body = 'y'.repeat(10_000);
    const app = closeEach(await startBackend('big', (_req, res) => res.end(body)));
    running = await startService({ routes: [{ host: 'app.localhost', target: app.url }], capture: { maxBytes: 60_000 } });
    for (let i = 0; i < 40; i++) await request(running.port, { host: 'app.localhost', path: `/${i}` });
    const { bytes, exchanges } = running.service.parts.store.stats();
    expect(bytes).toBeLessThanOrEqual(60_000);
    expect(exchanges).toBeGreaterThanOrEqual(4);
    expect(exchanges).toBeLessThan(7);
    expect((await list()).at(-1)?.url).toBe('/39');
  });

  it('skips ignored hosts and paths, records nothing while paused or switched off', async () => {
    const app = closeEach(await startBackend('ok'));
    running = await startService({
      routes: [
        { host: 'app.localhost', target: app.url },
        { host: 'noise.localhost', target: app.url },
      ],
      capture: { ignore: [{ host: 'noise.localhost' }, { host: 'app.localhost', pathPrefix: '/health' }] },
    });
    await request(running.port, { host: 'noise.localhost', path: '/x' });
    await request(running.port, { host: 'app.localhost', path: '/health' });
    await request(running.port, { host: 'app.localhost', path: '/healthy' });
    expect((await list()).map((x) => `${x.host}${x.url}`)).toEqual(['app.localhost/healthy']);

    await running.service.call('traffic.pause', { paused: true });
    await request(running.port, { host: 'app.localhost', path: '/paused' });
    await running.service.call('traffic.pause', { paused: false });
    await request(running.port, { host: 'app.localhost', path: '/resumed' });
    expect((await list()).map((x) => x.url)).toEqual(['/healthy', '/resumed']);

    const settings = await running.service.call('settings.get', undefined);
    await running.service.call('settings.set', { capture: { ...settings.capture, enabled: false } });
    await request(running.port, { host: 'app.localhost', path: '/off' });
    expect((await list()).map((x) => x.url)).toEqual(['/healthy', '/resumed']);
    // The proxy itself kept working all along.
    expect((await request(running.port, { host: 'app.localhost', path: '/still' })).body).toBe('ok');
  });
});
