// settings.set changes only the settings it is given: saving one section of Settings (the
// route defaults) keeps the others as the config file had them, ports included; saves that
// overlap run one after another.
import { readFile } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import { startService, type TestService } from '../helpers/service.js';

let running: TestService | undefined;
afterEach(() => running?.close());

it('keeps every setting it was not given', async () => {
  const kept = {
    http: { port: 8080, host: '127.0.0.1' },
    cacheStore: { maxBytes: 32 * 1024 * 1024, maxEntryBytes: 2 * 1024 * 1024 },
    capture: { maxExchanges: 500 },
  };
  running = await startService({ ...kept, routes: [] });
  const answer = await running.service.call('settings.set', { defaults: { compression: true, cache: false, throttle: 'fast-3g' } });
  expect(answer.http.port).toBe(8080);
  expect(answer.cacheStore).toEqual(kept.cacheStore);
  expect(answer.capture.maxExchanges).toBe(500);
  expect(answer.defaults.throttle).toBe('fast-3g');
  const saved = JSON.parse(await readFile(running.configFile, 'utf8')) as Record<string, unknown>;
  expect(saved).toMatchObject({ http: { port: 8080 }, cacheStore: kept.cacheStore, capture: { maxExchanges: 500 }, defaults: { throttle: 'fast-3g' } });
});

it('still checks what it is given, in the schema’s words', async () => {
  running = await startService({ routes: [] });
  await expect(running.service.call('settings.set', { cacheStore: { maxBytes: -1, maxEntryBytes: 1 } })).rejects.toMatchObject({
    issues: [expect.stringMatching(/cacheStore.maxBytes/)],
  });
});

it('runs overlapping saves one after another, so neither undoes the other', async () => {
  running = await startService({ routes: [] });
  const { service } = running;
  // Two sections (or two windows) saving at once, plus a route created meanwhile.
  await Promise.all([
    service.call('settings.set', { defaults: { compression: true, cache: false } }),
    service.call('settings.set', { cacheStore: { maxBytes: 8 * 1024 * 1024, maxEntryBytes: 1024 * 1024 } }),
    service.call('routes.create', { host: 'shop.localhost', target: 'http://127.0.0.1:3000' }),
    service.call('lan.set', { enabled: false }),
  ]);
  const settings = await service.call('settings.get', undefined);
  expect(settings.defaults.compression).toBe(true);
  expect(settings.cacheStore.maxBytes).toBe(8 * 1024 * 1024);
  expect((await service.call('routes.list', undefined)).map((r) => r.host)).toContain('shop.localhost');
  const saved = JSON.parse(await readFile(running.configFile, 'utf8')) as { defaults: unknown; cacheStore: unknown; routes: unknown[] };
  expect(saved).toMatchObject({ defaults: { compression: true }, cacheStore: { maxBytes: 8 * 1024 * 1024 }, routes: [{ host: 'shop.localhost' }] });
});
