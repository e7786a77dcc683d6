// WebSocket upgrades through the engine, and sockets that survive live config changes.
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RouteInput } from '../../proxy-core/contract/index.js';
import { freePort, startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, makeConfig, startTestEngine } from '../helpers/engine.js';
import { request } from '../helpers/request.js';
import { closeWs, openWs, roundTrip, startWsEcho } from '../helpers/wsEcho.js';

describe('WebSocket proxying', () => {
  const track = closeAfter('each');

  it('echoes text and binary frames through the proxy, upgrade path and headers intact', async () => {
    const echo = track(await startWsEcho());
    const engine = track(await startTestEngine([{ host: 'ws.localhost', target: echo.url }]), closeEngine);
    const devHost = `ws.localhost:${engine.http.port}`;

    const ws = track(await openWs(engine.http.port, devHost, '/_hmr?token=abc'), closeWs);
    const text = await roundTrip(ws, 'hello through portico');
    expect({ text: text.data.toString(), isBinary: text.isBinary }).toEqual({ text: 'hello through portico', isBinary: false });
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    const binary = await roundTrip(ws, bytes);
    expect({ data: binary.data, isBinary: binary.isBinary }).toEqual({ data: bytes, isBinary: true });

    expect(echo.upgrades).toHaveLength(1);
    const upgrade = echo.upgrades[0]!;
    expect(upgrade.url).toBe('/_hmr?token=abc');
    expect(upgrade.headers.host).toBe(devHost);
    expect(upgrade.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('routes upgrades like requests: wildcard host and path prefix', async () => {
    const echo = track(await startWsEcho());
    const web = track(await startBackend('web'));
    const engine = track(
      await startTestEngine([
        { host: '*.app.localhost', target: web.url },
        { host: '*.app.localhost', pathPrefix: '/socket', target: echo.url },
      ]),
      closeEngine,
    );

    const ws = track(await openWs(engine.http.port, 'tenant.app.localhost', '/socket/live'), closeWs);
    expect((await roundTrip(ws, 'ping')).data.toString()).toBe('ping');
    expect(echo.upgrades.map((u) => u.url)).toEqual(['/socket/live']);
    expect(web.requests).toEqual([]);
  });

  it('stays open and working when a route is added', async () => {
    const echo = track(await startWsEcho());
    const added = track(await startBackend('added'));
    const routes: RouteInput[] = [{ host: 'ws.localhost', target: echo.url }];
    const engine = track(await startTestEngine(routes), closeEngine);
    const ws = track(await openWs(engine.http.port, 'ws.localhost'), closeWs);
    const closes: number[] = [];
    ws.on('close', (code) => closes.push(code));
    expect((await roundTrip(ws, 'before')).data.toString()).toBe('before');

    engine.setConfig(makeConfig([...routes, { host: 'added.localhost', target: added.url }]));

    const reply = await request(engine.http.port, { host: 'added.localhost' });
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: 'added' });
    expect((await roundTrip(ws, 'after')).data.toString()).toBe('after');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(closes).toEqual([]);
    expect(echo.upgrades).toHaveLength(1);
  });

  it('stays open and working when its own route is edited (changeOrigin toggled)', async () => {
    const echo = track(await startWsEcho());
    const engine = track(await startTestEngine([{ host: 'ws.localhost', target: echo.url }]), closeEngine);
    const ws = track(await openWs(engine.http.port, 'ws.localhost'), closeWs);
    const closes: number[] = [];
    ws.on('close', (code) => closes.push(code));
    expect((await roundTrip(ws, 'before')).data.toString()).toBe('before');

    engine.setConfig(makeConfig([{ host: 'ws.localhost', target: echo.url, changeOrigin: true }]));

    // The edit is in force for new sockets...
    const fresh = track(await openWs(engine.http.port, 'ws.localhost'), closeWs);
    expect(echo.upgrades.map((u) => u.headers.host)).toEqual(['ws.localhost', echo.hostPort]);
    expect((await roundTrip(fresh, 'fresh')).data.toString()).toBe('fresh');
    // ...and the old socket did not notice.
    expect((await roundTrip(ws, 'after')).data.toString()).toBe('after');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(closes).toEqual([]);

    // Toggle back: still the same socket.
    engine.setConfig(makeConfig([{ host: 'ws.localhost', target: echo.url, changeOrigin: false }]));
    expect((await roundTrip(ws, 'again')).data.toString()).toBe('again');
    expect(closes).toEqual([]);
  });

  it('refuses an upgrade for an unknown host with a 404, contacting no backend', async () => {
    const echo = track(await startWsEcho());
    const engine = track(await startTestEngine([{ host: 'ws.localhost', target: echo.url }]), closeEngine);

    await expect(openWs(engine.http.port, 'nope.localhost')).rejects.toMatchObject({ status: 404 });
    expect(echo.upgrades).toEqual([]);
    expect(echo.httpRequests).toEqual([]);
  });

  it('fails an upgrade to a dead backend cleanly and keeps serving', async () => {
    const port = await freePort();
    const live = track(await startWsEcho());
    const engine = track(
      await startTestEngine([
        { host: 'dead.localhost', target: `http://127.0.0.1:${port}` },
        { host: 'live.localhost', target: live.url },
      ]),
      closeEngine,
    );

    const failure = await openWs(engine.http.port, 'dead.localhost').then(
      (ws) => {
        ws.terminate();
        return 'opened';
      },
      (error: unknown) => (error as { status?: number }).status ?? 'socket error',
    );
    // A 502 is the friendly answer; a closed socket is acceptable; opening is not.
    expect([502, 'socket error']).toContain(failure);
    const ws = track(await openWs(engine.http.port, 'live.localhost'), closeWs);
    expect((await roundTrip(ws, 'alive')).data.toString()).toBe('alive');
  });
});
