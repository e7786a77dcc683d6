// The control server's WebSocket, as the browser UI uses it: commands with replies, and
// traffic events (batched) that arrive in order while requests flow through the proxy.
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Exchange, WireMessage } from '../../proxy-core/contract/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';
import { connectUi, startService, TOKEN, type TestService } from '../helpers/service.js';

const closeEach = closeAfter('each');
let running: TestService;
afterEach(() => running?.close());

type TrafficEvent = { event: 'traffic'; data: { started: Exchange[]; updated: Exchange[]; finished: Exchange[]; evicted: string[] } };
const isTraffic = (m: WireMessage): m is TrafficEvent => 'event' in m && m.event === 'traffic';

function refused(port: number, options: { token?: string; origin?: string; path?: string }): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/ws'}?token=${options.token ?? TOKEN}`, {
      origin: options.origin ?? `http://127.0.0.1:${port}`,
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => {});
  });
}

describe('control server over WebSocket', () => {
  it('refuses a wrong token and a foreign Origin', async () => {
    running = await startService({ routes: [] }, { control: true });
    const port = running.control!.port;
    expect(await refused(port, {})).toBe(101);
    expect(await refused(port, { token: 'nope' })).toBe(403);
    expect(await refused(port, { origin: 'http://evil.com' })).toBe(403);
  });

  it('answers commands by id, with field problems for bad input', async () => {
    running = await startService({ routes: [{ host: 'a.localhost', target: 'http://127.0.0.1:9' }] }, { control: true });
    const ui = await connectUi(running.control!.port);
    closeEach(ui, (u) => u.close());
    expect(await ui.call('routes.list')).toMatchObject({ ok: true, result: [{ host: 'a.localhost' }] });
    const bad = await ui.call('routes.toggle', { id: 'a.localhost', enabled: 'yes' });
    expect(bad).toMatchObject({ ok: false, error: { message: 'invalid input for routes.toggle', issues: [expect.stringContaining('enabled')] } });
    expect(await ui.call('no.such')).toMatchObject({ ok: false, error: { message: 'unknown command "no.such"' } });
    const status = await ui.call('status');
    expect(status).toMatchObject({ ok: true, result: { http: { port: running.port }, capture: { enabled: true } } });
  });

  it('pushes traffic in batches: each exchange starts, then finishes, with status and timings', async () => {
    const app = closeEach(await startBackend('hello'));
    running = await startService({ routes: [{ host: 'app.localhost', target: app.url }] }, { control: true });
    const ui = await connectUi(running.control!.port);
    closeEach(ui, (u) => u.close());
    for (let i = 0; i < 5; i++) await request(running.port, { host: 'app.localhost', path: `/n/${i}` });

    const seen = new Map<string, string[]>();
    await ui.waitFor(() => {
      seen.clear();
      for (const m of ui.received.filter(isTraffic)) {
        for (const kind of ['started', 'updated', 'finished'] as const) {
          for (const x of m.data[kind]) seen.set(x.url, [...(seen.get(x.url) ?? []), x.state]);
        }
      }
      return [...seen.values()].filter((states) => states.at(-1) === 'done').length === 5;
    });
    const finished = ui.received.filter(isTraffic).flatMap((m) => m.data.finished);
    expect(finished.map((x) => x.url)).toEqual(['/n/0', '/n/1', '/n/2', '/n/3', '/n/4']);
    for (const x of finished) {
      expect(x.status).toBe(200);
      expect(x.route).toBe('app.localhost');
      expect(x.timings.end).toBeGreaterThanOrEqual(x.timings.firstByte ?? Infinity);
      expect(x.timings.firstByte).toBeGreaterThanOrEqual(x.timings.connected ?? Infinity);
    }
    // Batched: far fewer events than exchange changes.
    expect(ui.received.filter(isTraffic).length).toBeLessThan(15);
  });

  it('keeps the first bodyLimit bytes, marks truncation, and decodes gzip for display', async () => {
    const text = 'portico '.repeat(2_000); // 16 000 bytes, compresses well
    const app = closeEach(
      await startBackend('gz', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(zlib.gzipSync(text));
      }),
    );
    running = await startService({ routes: [{ host: 'gz.localhost', target: app.url }], capture: { bodyLimit: 100_000 } }, { control: true });
    const ui = await connectUi(running.control!.port);
    closeEach(ui, (u) => u.close());
    await request(running.port, { host: 'gz.localhost', method: 'POST', body: 'x'.repeat(150_000) });
    const list = ((await ui.call('traffic.list')) as { ok: true; result: Exchange[] }).result;
    const exchange = list[0]!;
    expect(exchange.request).toEqual({ size: 150_000, captured: 100_000, truncated: true });
    expect(exchange.response.truncated).toBe(false);
    const body = ((await ui.call('traffic.body', { id: exchange.id, part: 'response' })) as { ok: true; result: { decoded: string; encoding: string } }).result;
    expect(body.encoding).toBe('gzip');
    expect(Buffer.from(body.decoded, 'base64').toString()).toBe(text);
  });
});
