// A target a failed request marked down comes back up by itself once its dev server is
// listening again: probed with a TCP connect, no request needed, no health check set.
import { afterEach, expect, it, vi } from 'vitest';
import { freePort, startBackend } from '../helpers/backend.js';
import { startBalancedEngine, type BalancedEngine } from '../helpers/balance.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine } from '../helpers/engine.js';
import { request } from '../helpers/request.js';

const HOST = 'back.localhost';
const closeEach = closeAfter('each');
let running: BalancedEngine | undefined;
afterEach(async () => {
  if (running) await closeEngine(running.engine);
  running = undefined;
});

it('a target down after a refused connection turns up again without traffic once the backend listens', async () => {
  const port = await freePort();
  const target = `http://127.0.0.1:${port}`;
  running = await startBalancedEngine([{ host: HOST, target }]);
  expect((await request(running.engine.http.port, { host: HOST })).status).toBe(502);
  expect(running.changes).toEqual([expect.objectContaining({ target, up: false })]);

  const backend = closeEach(await startBackend('back', undefined, port));
  await vi.waitFor(() => expect(running!.changes.at(-1)).toEqual({ route: HOST, target, up: true }), { timeout: 10_000 });
  expect(running.engine.health()[0]).toMatchObject({ target, up: true });
  expect(backend.requests).toEqual([]); // the probe is a bare connect, never a request
});

