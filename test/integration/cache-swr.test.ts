// stale-while-revalidate (RFC 5861) at the real boundary: a real backend that can hold its
// answer to a conditional request until the test lets it go, the engine on loopback with
// its log and the capture store, and what clients get while the refresh runs and after.
// Freshness is max-age=1; the engine's cache reads a clock that moves only when the test moves it.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema, type RouteInput } from '../../proxy-core/contract/index.js';
import { startEngine } from '../../proxy-core/engine/index.js';
import { startBackend, type BackendHandler } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';

const HOST = 'swr.localhost';
const PAST_MAX_AGE_MS = 1_100;
const SWR = 'max-age=1, stale-while-revalidate=30';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; fails with `what` after a generous deadline (shared machine). */
async function until(what: string, check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * A backend with one representation at a time: ETag "v<n>", body `answer #<hits>` and
 * X-Answer: <hits> (on a 304 too, so a merge shows). While
 * `hold` is set, conditional requests wait for it; `changed` makes the next one a 200 with a
 * new ETag instead of a 304.
 */
function validatingBackend(cacheControl: string, clock: () => number) {
  const state = {
    hits: 0,
    version: 1,
    changed: false,
    paths: [] as string[],
    conditionals: [] as http.IncomingHttpHeaders[],
    hold: undefined as Promise<void> | undefined,
  };
  const handler: BackendHandler = (req, res) => {
    req.resume();
    state.hits++;
    state.paths.push(req.url ?? '');
    const hits = state.hits;
    const answer = () => {
      const wanted = req.headers['if-none-match'];
      if (wanted !== undefined && state.changed) [state.version, state.changed] = [state.version + 1, false];
      const etag = `"v${state.version}"`;
      if (wanted?.split(',').some((tag) => tag.trim() === etag)) {
        res.writeHead(304, { etag, date: new Date(clock()).toUTCString(), 'cache-control': cacheControl, 'x-answer': String(hits) });
        res.end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/plain',
        etag,
        date: new Date(clock()).toUTCString(),
        'cache-control': cacheControl,
        'x-answer': String(hits),
      });
      res.end(`answer #${hits}`);
    };
    if (req.headers['if-none-match'] === undefined) return answer();
    state.conditionals.push(req.headers);
    if (state.hold) void state.hold.then(answer);
    else answer();
  };
  /** Holds conditional answers; call the returned function to let them go. */
  const hold = () => {
    let release = () => {};
    state.hold = new Promise<void>((resolve) => (release = resolve));
    return () => {
      state.hold = undefined;
      release();
    };
  };
  return { state, handler, hold };
}

async function setup(cacheControl: string, route: (target: string) => RouteInput = (target) => ({ host: HOST, target, cache: true })) {
  const close = closeAfter();
  let offset = 0;
  // The backend's Date reads the same clock: the cache works out age from Date (RFC 9111 §4.2.3).
  // The clock stands still on a whole second and moves only when the test says so: Date has
  // whole seconds, so a running clock would make a copy look up to a second older than it is,
  // and with max-age=1 a just-refreshed copy could already be stale.
  const start = Math.ceil(Date.now() / 1000) * 1000;
  const clock = () => start + offset;
  const { state, handler, hold } = validatingBackend(cacheControl, clock);
  const backend = close(await startBackend('validating', handler), (b) => b.close());
  const lines: string[] = [];
  const store = new CaptureStore(CaptureSettingsSchema.parse({}));
  const routes: RouteInput[] = [route(backend.url)];
  /** Time passes for the cache, without waiting for it. */
  const pass = (ms: number) => void (offset += ms);
  const engine = close(
    await startEngine({ config: makeConfig(routes), http: { host: '127.0.0.1', port: 0 }, log: (line) => lines.push(line), recorder: store, clock }),
    closeEngine,
  );
  const get = () => request(engine.http.port, { host: HOST, path: '/page' });
  const refreshes = () => lines.filter((line) => line.startsWith('cache: background revalidation'));
  return { state, hold, backend, engine, store, get, refreshes, pass };
}

/** A reply, or a failure if it has not come within `ms` (it must not wait for the held backend). */
function within<T>(ms: number, reply: Promise<T>): Promise<T> {
  return Promise.race([reply, sleep(ms).then(() => Promise.reject(new Error(`no reply within ${ms} ms: it waited for the backend`)))]);
}

describe('cache: stale-while-revalidate (RFC 5861)', () => {
  it('serves the stale copy at once to every client, sends one conditional request, and a 304 refreshes the entry', async () => {
    const { state, hold, get, refreshes, pass, store, engine } = await setup(SWR);
    expect((await get()).headers['x-cache']).toBe('MISS');
    pass(PAST_MAX_AGE_MS);
    const release = hold();
    // Four at once, then two more while the refresh is still held.
    const first = await within(3_000, Promise.all([get(), get(), get(), get()]));
    const later = await within(3_000, Promise.all([get(), get()]));
    for (const reply of [...first, ...later]) {
      expect(reply.status).toBe(200);
      expect(reply.headers['x-cache']).toBe('STALE');
      expect(reply.body).toBe('answer #1');
      expect(Number(reply.headers.age)).toBeGreaterThanOrEqual(1);
    }
    await until('the conditional request', () => state.conditionals.length > 0);
    expect(state.conditionals).toHaveLength(1);
    expect(state.conditionals[0]!['if-none-match']).toBe('"v1"');
    expect(state.conditionals[0]!.host).toBe(HOST);
    expect(refreshes()).toEqual([]); // still held
    release();
    await until('the refresh to finish', () => refreshes().length === 1);
    expect(refreshes()[0]).toContain('304, refreshed');
    const fresh = await get();
    expect(fresh.headers['x-cache']).toBe('HIT');
    expect(fresh.body).toBe('answer #1');
    expect(fresh.headers['x-answer']).toBe('2'); // the 304's headers merged in
    expect(Number(fresh.headers.age)).toBeLessThan(1);
    expect(state.hits).toBe(2);
    // The clients' exchanges say STALE; the background request is not one of them.
    const marks = store.list().map((x) => x.marks['cache']);
    expect(marks).toEqual(['MISS', ...Array<string>(6).fill('STALE'), 'HIT']);
    for (const x of store.list().slice(1, 7))
      expect(x.marks['cache-reason']).toMatch(
        /^stale: served at once while Portico asks the backend again in the background \(stale-while-revalidate; age \d+ s of 1 s/,
      );
    expect(engine.routeStats()[0]!.cache).toMatchObject({ hits: 1, misses: 1 });
  });

  it("a 200 to the background request replaces the entry with the new body (and the route's response rules)", async () => {
    const { state, hold, get, refreshes, pass } = await setup(SWR, (target) => ({
      host: HOST,
      target,
      cache: true,
      headers: { response: { set: { 'x-edited': 'yes' } } },
    }));
    await get();
    pass(PAST_MAX_AGE_MS);
    state.changed = true;
    const release = hold();
    const stale = await within(3_000, get());
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.body).toBe('answer #1');
    await until('the conditional request', () => state.conditionals.length === 1);
    release();
    await until('the refresh to finish', () => refreshes().length === 1);
    expect(refreshes()[0]).toContain('200, stored anew');
    const fresh = await get();
    expect(fresh.headers['x-cache']).toBe('HIT');
    expect(fresh.body).toBe('answer #2');
    expect(fresh.headers.etag).toBe('"v2"');
    expect(fresh.headers['x-edited']).toBe('yes');
    expect(Number(fresh.headers.age)).toBeLessThan(1);
    expect(state.hits).toBe(2);
  });

  it('the background request goes where the client request went: the target base path, changeOrigin, header rules', async () => {
    const { state, get, refreshes, pass } = await setup(SWR, (target) => ({
      host: HOST,
      target: `${target}/base`,
      changeOrigin: true,
      cache: true,
      headers: { request: { set: { 'x-route': 'swr' } } },
    }));
    await get();
    pass(PAST_MAX_AGE_MS);
    expect((await get()).headers['x-cache']).toBe('STALE');
    await until('the refresh to finish', () => refreshes().length === 1);
    const sent = state.conditionals[0]!;
    expect(state.paths).toEqual(['/base/page', '/base/page']);
    expect(sent.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(sent['x-route']).toBe('swr');
    expect(sent['x-forwarded-host']).toBe(HOST);
    // Refreshed under the client's Host, not the backend's: the next client finds it.
    expect((await get()).headers['x-cache']).toBe('HIT');
  });

  it('a dead backend leaves the stale copy servable and the engine up', async () => {
    const { backend, get, refreshes, pass } = await setup(SWR);
    await get();
    await backend.close();
    pass(PAST_MAX_AGE_MS);
    const stale = await get();
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.body).toBe('answer #1');
    await until('the refresh to fail', () => refreshes().length === 1);
    expect(refreshes()[0]).toMatch(/failed .*the stale copy stays/);
    const again = await get();
    expect(again.headers['x-cache']).toBe('STALE');
    expect(again.body).toBe('answer #1');
    await until('the next refresh to fail too', () => refreshes().length === 2);
  });
});

describe('cache: outside a stale-while-revalidate window the client waits for the revalidation', () => {
  it.each([
    ['absent', 'max-age=1', PAST_MAX_AGE_MS],
    ['zero', 'max-age=1, stale-while-revalidate=0', PAST_MAX_AGE_MS],
    ['over', 'max-age=1, stale-while-revalidate=1', 2 * PAST_MAX_AGE_MS],
  ])('stale-while-revalidate %s: REVALIDATED after the backend answered', async (_name, cacheControl, wait) => {
    const { state, hold, get, refreshes, pass } = await setup(cacheControl);
    await get();
    pass(wait);
    const release = hold();
    let answered = false;
    const pending = get().then((reply) => ((answered = true), reply));
    await until('the conditional request', () => state.conditionals.length === 1);
    await sleep(50);
    expect(answered).toBe(false);
    release();
    const reply = await pending;
    expect(reply.headers['x-cache']).toBe('REVALIDATED');
    expect(reply.body).toBe('answer #1');
    expect(refreshes()).toEqual([]);
  });
});
