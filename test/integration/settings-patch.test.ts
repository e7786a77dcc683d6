// settings.set changes only the settings it is given: saving one section of Settings (the
// route defaults) keeps the others as the config file had them, ports included.
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
  await expect(running.service.call('settings.set', { cacheStore: { maxBytes: -1, maxEntryBytes: 1 } })).rejects.toMatchObject({ issues: [expect.stringMatching(/cacheStore.maxBytes/)] });
});
