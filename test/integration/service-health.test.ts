// Passive health: a target that refuses connections is reported down (route.health), and
// up again at its first answer; the state lives with the upstream, not the route config.
import { afterEach, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../proxy-core/contract/index.js';
import { freePort, startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';
import { startService, type TestService } from '../helpers/service.js';

const closeEach = closeAfter('each');
let running: TestService;
afterEach(() => running?.close());

it('reports a target down when nothing listens and up when it answers, once each', async () => {
  const port = await freePort();
  running = await startService({ routes: [{ host: 'app.localhost', target: `http://127.0.0.1:${port}` }] });
  const changes: EventPayload<'route.health'>[] = [];
  running.service.on('route.health', (change) => changes.push(change));

  expect((await request(running.port, { host: 'app.localhost' })).status).toBe(502);
  expect((await request(running.port, { host: 'app.localhost' })).status).toBe(502);
  expect(changes).toEqual([
    {
      route: 'app.localhost',
      target: `http://127.0.0.1:${port}`,
      up: false,
      lastError: `Nothing is listening on 127.0.0.1:${port} — is your dev server running?`,
    },
  ]);

  // An edit to the route keeps the upstream's state: still down, no new event.
  await running.service.call('routes.update', {
    id: 'app.localhost',
    route: { host: 'app.localhost', target: `http://127.0.0.1:${port}`, changeOrigin: true },
  });
  expect(changes).toHaveLength(1);

  const backend = closeEach(await startBackend('back', undefined, port));
  expect(backend.port).toBe(port);
  expect((await request(running.port, { host: 'app.localhost' })).body).toBe('back');
  await vi.waitFor(() => expect(changes.at(-1)).toEqual({ route: 'app.localhost', target: `http://127.0.0.1:${port}`, up: true }));
  await request(running.port, { host: 'app.localhost' });
  expect(changes).toHaveLength(2);
});
