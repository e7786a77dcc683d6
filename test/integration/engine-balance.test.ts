// Load balancing at the real boundary: two real backends behind one route, each policy,
// failover when a backend dies mid-run, and the in-flight counts least-connections reads.
import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { holding, startBalancedEngine, tally, type BalancedEngine } from '../helpers/balance.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine } from '../helpers/engine.js';
import { request } from '../helpers/request.js';

const HOST = 'pool.localhost';
const closeEach = closeAfter('each');
let running: BalancedEngine;
afterEach(() => closeEngine(running.engine));

async function backends(...names: string[]): Promise<Backend[]> {
  return Promise.all(names.map(async (name) => closeEach(await startBackend(name))));
}

async function start(targets: Backend[], balance?: 'round-robin' | 'least-connections' | 'first-available', extra = {}) {
  running = await startBalancedEngine([{ host: HOST, targets: targets.map((b) => b.url), ...(balance && { balance }) }], extra);
  return running;
}

const get = (path = '/') => request(running.engine.http.port, { host: HOST, path });
const activeRequests = () => running.engine.health().map((t) => t.activeRequests);

async function getMany(n: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < n; i++) {
    const reply = await get();
    expect(reply.status).toBe(200);
    bodies.push(reply.body);
  }
  return bodies;
}

describe('round-robin', () => {
  it('two backends behind one route both get traffic, in turn', async () => {
    const [a, b] = await backends('a', 'b');
    await start([a!, b!]);
    expect(tally(await getMany(20))).toEqual({ a: 10, b: 10 });
  });

  it('is the default from settings.defaults.balance unless the route names its own', async () => {
    const [a, b] = await backends('a', 'b');
    await start([a!, b!], undefined, { defaults: { balance: 'first-available' } });
    expect(tally(await getMany(6))).toEqual({ a: 6 });
    running.engine.setConfig({ ...running.engine.config, routes: [{ ...running.engine.config.routes[0]!, balance: 'round-robin' }] });
    expect(tally(await getMany(6))).toEqual({ a: 3, b: 3 });
  });

  it('keeps answering 200 when one backend dies mid-run, and reports it down once', async () => {
    const [a, b] = await backends('a', 'b');
    await start([a!, b!]);
    const before = await getMany(10);
    expect(tally(before)).toEqual({ a: 5, b: 5 });
    await a!.close();
    const after = await getMany(30); // every one 200: the request that meets the dead backend is retried
    expect(tally(after)).toEqual({ b: 30 });
    expect(running.changes).toEqual([
      { route: HOST, target: a!.url, up: false, lastError: `Nothing is listening on ${a!.hostPort} — is your dev server running?` },
    ]);
    const retried = running.store.list().filter((x) => x.marks['retry'] !== undefined);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(retried[0]).toMatchObject({ status: 200, target: b!.url, marks: { retry: expect.stringContaining(`${a!.url}: `) } });
    expect(retried[0]!.marks['retry']).toContain(`sent to ${b!.url}`);
    const health = running.engine.health();
    expect(health.find((t) => t.target === a!.url)).toMatchObject({ up: false, routes: [HOST], lastError: expect.stringContaining('Nothing is listening') });
    expect(health.find((t) => t.target === b!.url)).toMatchObject({ up: true });
    expect(activeRequests()).toEqual([0, 0]);
  });
});

describe('least-connections', () => {
  it('sends new requests to the idle backend while the other holds a slow one; counts return to 0', async () => {
    const slow = holding();
    const a = closeEach(await startBackend('a', slow.handler));
    const [b] = await backends('b');
    await start([a, b!], 'least-connections');

    const held = get('/hold'); // a tie at 0: the first target takes it
    await vi.waitFor(() => expect(slow.held).toHaveLength(1));
    expect(activeRequests()).toEqual([1, 0]);
    expect(tally(await getMany(8))).toEqual({ b: 8 });

    slow.release();
    expect((await held).body).toBe('released');
    await vi.waitFor(() => expect(activeRequests()).toEqual([0, 0]));
    expect(Object.keys(tally(await getMany(4))).sort()).toEqual(['a', 'b']); // idle again: both take turns
  });

  it('counts a request down once when the client gives up mid-wait', async () => {
    const slow = holding();
    const a = closeEach(await startBackend('a', slow.handler));
    const b = closeEach(await startBackend('b', slow.handler));
    await start([a, b], 'least-connections');
    const clients = [0, 1, 2].map(() => http.get({ port: running.engine.http.port, path: '/hold', headers: { host: HOST } }).on('error', () => {}));
    await vi.waitFor(() => expect(slow.held).toHaveLength(3));
    expect(activeRequests().sort()).toEqual([1, 2]);
    for (const client of clients) client.destroy();
    await vi.waitFor(() => expect(activeRequests()).toEqual([0, 0]));
    slow.release();
  });
});

describe('first-available', () => {
  it('sticks to the first target until it dies, then fails over, and goes back when it returns', async () => {
    const [a, b] = await backends('a', 'b');
    await start([a!, b!], 'first-available');
    expect(tally(await getMany(5))).toEqual({ a: 5 });
    const port = a!.port;
    await a!.close();
    expect(tally(await getMany(5))).toEqual({ b: 5 });
    expect(running.changes.map((c) => c.up)).toEqual([false]);

    // Back on the same port: after its backoff (1 s) one request tries it, finds it, and it is first again.
    closeEach(await startBackend('a', undefined, port));
    await vi.waitFor(async () => expect((await get()).body).toBe('a'), { timeout: 5_000, interval: 200 });
    expect(running.changes.map((c) => c.up)).toEqual([false, true]);
    expect(tally(await getMany(3))).toEqual({ a: 3 });
  });
});

describe('health is runtime state, apart from the config', () => {
  it('survives setConfig: a down target stays down, with its time and error', async () => {
    const [a, b] = await backends('a', 'b');
    await start([a!, b!]);
    await a!.close();
    await getMany(4);
    const down = running.engine.health().find((t) => t.target === a!.url)!;
    expect(down).toMatchObject({ up: false, since: expect.any(Number), lastError: expect.any(String) });

    const route = running.engine.config.routes[0]!;
    running.engine.setConfig({ ...running.engine.config, routes: [{ ...route, changeOrigin: true, balance: 'least-connections' }] });
    expect(running.engine.health().find((t) => t.target === a!.url)).toEqual(down);
    expect(tally(await getMany(4))).toEqual({ b: 4 });
    expect(running.changes).toHaveLength(1);
  });

  it('lists every target of the enabled routes once, with the routes that use it', async () => {
    const [a, b] = await backends('a', 'b');
    running = await startBalancedEngine([
      { host: HOST, targets: [a!.url, b!.url] },
      { host: 'other.localhost', target: `${a!.url}/base` },
      { host: 'off.localhost', target: 'http://127.0.0.1:9', enabled: false },
    ]);
    expect(running.engine.health()).toEqual([
      { target: a!.url, routes: [HOST, 'other.localhost'], up: true, activeRequests: 0 },
      { target: b!.url, routes: [HOST], up: true, activeRequests: 0 },
    ]);
  });
});
