// The one retry on another target (rule in proxy-core/engine/upstream/retry.ts), at the real
// boundary: what is retried, what never is, and what the capture shows.
import { afterEach, expect, it } from 'vitest';
import { freePort, startBackend, type BackendHandler } from '../helpers/backend.js';
import { startBalancedEngine, type BalancedEngine } from '../helpers/balance.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine } from '../helpers/engine.js';
import { request } from '../helpers/request.js';

const HOST = 'pool.localhost';
const closeEach = closeAfter('each');
let running: BalancedEngine;
afterEach(() => closeEngine(running.engine));

/** Reads the whole request, then drops the connection without a word: the backend got it all. */
const hangUp: BackendHandler = (req) => {
  req.resume();
  req.on('end', () => req.socket.destroy());
};

/** first-available, so every request meets `first` before `good`. */
async function start(first: string) {
  const good = closeEach(await startBackend('good'));
  running = await startBalancedEngine([{ host: HOST, targets: [first, good.url], balance: 'first-available' }]);
  return good;
}

const send = (method: string, body?: string) => request(running.engine.http.port, { host: HOST, path: '/thing', method, body });

it('a GET whose connection broke before any answer is sent once more, to the other target', async () => {
  const flaky = closeEach(await startBackend('flaky', hangUp));
  const good = await start(flaky.url);
  const reply = await send('GET');
  expect(reply).toMatchObject({ status: 200, body: 'good' });
  expect(flaky.requests.map((r) => r.method)).toEqual(['GET']);
  expect(good.requests.map((r) => r.url)).toEqual(['/thing']);
  const [exchange] = running.store.list();
  expect(exchange).toMatchObject({ status: 200, target: good.url, marks: { retry: `${flaky.url}: connection reset; sent to ${good.url}` } });
  expect(running.changes).toEqual([]); // a reset is not "nothing listens": the target stays up
});

it('a POST with a body is not retried once its bytes went upstream', async () => {
  const flaky = closeEach(await startBackend('flaky', hangUp));
  const good = await start(flaky.url);
  const reply = await send('POST', 'order=1');
  expect(reply.status).toBe(502);
  expect(flaky.requests.map((r) => r.method)).toEqual(['POST']);
  expect(good.requests).toEqual([]); // never sent twice
  const [exchange] = running.store.list();
  expect(exchange?.marks['retry']).toBeUndefined();
});

it('a PUT (idempotent) with a body is not retried either: the body was streamed, not kept', async () => {
  const flaky = closeEach(await startBackend('flaky', hangUp));
  const good = await start(flaky.url);
  expect((await send('PUT', 'x'.repeat(10_000))).status).toBe(502);
  expect(good.requests).toEqual([]);
});

it('a POST without a body is retried when the connection was refused (nothing reached the backend)', async () => {
  const dead = `http://127.0.0.1:${await freePort()}`;
  const good = await start(dead);
  expect(await send('POST')).toMatchObject({ status: 200, body: 'good' });
  expect(good.requests.map((r) => r.method)).toEqual(['POST']);
  expect(running.store.list()[0]?.marks['retry']).toBe(`${dead}: connection refused; sent to ${good.url}`);
});

it('a POST without a body is not retried after a reset: the backend may have acted on it', async () => {
  const flaky = closeEach(await startBackend('flaky', hangUp));
  const good = await start(flaky.url);
  expect((await send('POST')).status).toBe(502);
  expect(good.requests).toEqual([]);
});

it('retries once only: with every target dead the client gets one clear 502', async () => {
  const [one, two] = [`http://127.0.0.1:${await freePort()}`, `http://127.0.0.1:${await freePort()}`];
  running = await startBalancedEngine([{ host: HOST, targets: [one, two] }]);
  const reply = await send('GET');
  expect(reply.status).toBe(502);
  expect(reply.body).toMatch(/Nothing is listening on 127\.0\.0\.1:\d+/);
  // Both were tried (the first, then the retry), both are down now.
  expect(running.engine.health().map((t) => t.up)).toEqual([false, false]);
  // Next request: all down, one is still tried (best guess) rather than refused outright.
  expect((await send('GET')).status).toBe(502);
  expect(running.engine.health().map((t) => t.activeRequests)).toEqual([0, 0]);
});
