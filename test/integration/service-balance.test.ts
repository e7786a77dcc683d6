// The health the UI reads: health.list through the control service, in step with the
// route.health events, and kept across a route edit made through the service.
import { afterEach, expect, it } from 'vitest';
import type { EventPayload } from '../../proxy-core/contract/index.js';
import { freePort, startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';
import { startService, type TestService } from '../helpers/service.js';

const closeEach = closeAfter('each');
let running: TestService;
afterEach(() => running?.close());

it('health.list shows each target up or down with its last error, as the events said', async () => {
  const alive = closeEach(await startBackend('alive'));
  const dead = `http://127.0.0.1:${await freePort()}`;
  running = await startService({ routes: [{ id: 'pool', host: 'pool.localhost', targets: [dead, alive.url], balance: 'first-available' }] });
  const changes: EventPayload<'route.health'>[] = [];
  running.service.on('route.health', (change) => changes.push(change));

  expect(await running.service.call('health.list', undefined)).toEqual([
    { target: dead, routes: ['pool.localhost'], up: true, activeRequests: 0 },
    { target: alive.url, routes: ['pool.localhost'], up: true, activeRequests: 0 },
  ]);
  expect(await request(running.port, { host: 'pool.localhost' })).toMatchObject({ status: 200, body: 'alive' });

  const [down] = changes;
  expect(down).toMatchObject({ target: dead, up: false });
  const list = await running.service.call('health.list', undefined);
  expect(list[0]).toEqual({
    target: dead,
    routes: ['pool.localhost'],
    up: false,
    since: expect.any(Number),
    lastError: down!.lastError,
    lastErrorAt: list[0]!.since,
    activeRequests: 0,
  });

  await running.service.call('routes.update', { id: 'pool', route: { host: 'pool.localhost', targets: [dead, alive.url], balance: 'round-robin' } });
  expect(await running.service.call('health.list', undefined)).toEqual(list);
  expect(changes).toHaveLength(1);
});
