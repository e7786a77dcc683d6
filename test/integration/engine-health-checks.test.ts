// Active health checks on a real engine: a target is marked down and up again with no
// client traffic at all, feeds the same record and events as passive health, and the
// checks stop when no route asks for them.
import { afterEach, expect, it, vi } from 'vitest';
import { freePort, startBackend, answerWithName, type BackendHandler } from '../helpers/backend.js';
import { startBalancedEngine, tally, type BalancedEngine } from '../helpers/balance.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine } from '../helpers/engine.js';
import { request } from '../helpers/request.js';

const HOST = 'pool.localhost';
const closeEach = closeAfter('each');
let running: BalancedEngine | undefined;
afterEach(async () => {
  if (running) await closeEngine(running.engine);
  running = undefined;
});

/** /health answers `state.status`; anything else the backend's name. */
function withHealth(state: { status: number }): BackendHandler {
  return (req, res, backend) => {
    if (req.url !== '/health') return answerWithName(req, res, backend);
    res.writeHead(state.status).end();
  };
}

const checks = (backend: { requests: { url: string }[] }) => backend.requests.filter((r) => r.url === '/health').length;

it('marks a target down and up again from its check alone, and requests avoid it meanwhile', async () => {
  const state = { status: 200 };
  const a = closeEach(await startBackend('a', withHealth(state)));
  const b = closeEach(await startBackend('b', withHealth({ status: 200 })));
  running = await startBalancedEngine([{ host: HOST, targets: [a.url, b.url], healthCheck: { path: '/health', intervalMs: 100 } }]);
  await vi.waitFor(() => expect(checks(a)).toBeGreaterThanOrEqual(2));
  expect(running.changes).toEqual([]);

  state.status = 503;
  const down = { route: HOST, target: a.url, up: false, lastError: 'Health check /health answered 503 (expected 2xx).' };
  await vi.waitFor(() => expect(running!.changes).toEqual([down]), { timeout: 5_000 });
  expect(running.engine.health()[0]).toMatchObject({ target: a.url, up: false, check: '/health', lastError: down.lastError });

  const bodies: string[] = [];
  for (let i = 0; i < 6; i++) bodies.push((await request(running.engine.http.port, { host: HOST })).body);
  expect(tally(bodies)).toEqual({ b: 6 }); // a answers requests fine, but its check says no: it stays out
  expect(running.changes).toHaveLength(1);

  state.status = 200;
  await vi.waitFor(() => expect(running!.changes.at(-1)).toEqual({ route: HOST, target: a.url, up: true }), { timeout: 5_000 });
  expect(running.changes).toHaveLength(2);
});

it('a check finds a target where nothing listens, with the same words as a failed request', async () => {
  const port = await freePort();
  running = await startBalancedEngine([{ host: HOST, target: `http://127.0.0.1:${port}`, healthCheck: { path: '/up', intervalMs: 100, expectStatus: 204 } }]);
  await vi.waitFor(
    () =>
      expect(running!.changes).toEqual([
        { route: HOST, target: `http://127.0.0.1:${port}`, up: false, lastError: `Nothing is listening on 127.0.0.1:${port} — is your dev server running?` },
      ]),
    { timeout: 5_000 },
  );
  closeEach(await startBackend('late', (_req, res) => res.writeHead(204).end(), port));
  await vi.waitFor(() => expect(running!.changes.at(-1)).toMatchObject({ up: true }), { timeout: 5_000 });
});

it('a check that takes longer than timeoutMs fails', async () => {
  const silent = closeEach(await startBackend('silent', (req) => req.resume())); // never answers
  running = await startBalancedEngine([{ host: HOST, target: silent.url, healthCheck: { path: '/health', intervalMs: 100, timeoutMs: 200 } }]);
  await vi.waitFor(
    () =>
      expect(running!.changes).toEqual([
        { route: HOST, target: silent.url, up: false, lastError: `Health check /health got no answer from ${silent.hostPort} within 0.2 s.` },
      ]),
    { timeout: 5_000 },
  );
});

it('stops checking when the config no longer asks, and on close; health is kept across the swap', async () => {
  const state = { status: 503 };
  const a = closeEach(await startBackend('a', withHealth(state)));
  running = await startBalancedEngine([{ host: HOST, target: a.url, healthCheck: { path: '/health', intervalMs: 100 } }]);
  await vi.waitFor(() => expect(running!.changes).toHaveLength(1));

  const route = running.engine.config.routes[0]!;
  const { healthCheck: _dropped, ...withoutCheck } = route;
  running.engine.setConfig({ ...running.engine.config, routes: [withoutCheck] });
  await new Promise((r) => setTimeout(r, 50));
  const seen = checks(a);
  await new Promise((r) => setTimeout(r, 400));
  expect(checks(a)).toBe(seen);
  // The check's verdict no longer holds it down: the next request tries it, and its answer brings it up.
  expect(running.engine.health()[0]).toMatchObject({ up: false });
  expect((await request(running.engine.http.port, { host: HOST })).body).toBe('a');
  expect(running.changes.at(-1)).toMatchObject({ up: true });

  // Checks again, then the engine closes: no check after that.
  running.engine.setConfig({ ...running.engine.config, routes: [route] });
  await vi.waitFor(() => expect(checks(a)).toBeGreaterThan(seen));
  await closeEngine(running.engine);
  running = undefined;
  await new Promise((r) => setTimeout(r, 50));
  const atClose = checks(a);
  await new Promise((r) => setTimeout(r, 400));
  expect(checks(a)).toBe(atClose);
});
