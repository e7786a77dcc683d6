// The IPC adapter against the real control service (a real engine on 127.0.0.1:0, a CA in
// a temp dir) with Electron's ipcMain, web contents and frames replaced by fakes: every
// contract command has its own channel and answers the trusted frame, invalid input comes
// back as field issues, foreign senders are refused before the service sees anything,
// and events go to our window only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_CHANNEL, commandChannel } from '../../proxy-core/contract/index.js';
import { EVENT_NAMES, attachIpcAdapter, isTrustedRendererUrl } from '../../electron/ipc-adapter.js';
import { COMMAND_NAMES, CommandErrorSchema, commands, events, type CommandName, type CommandOutput, type Route } from '../../proxy-core/contract/index.js';
import { startEngine } from '../../proxy-core/engine/index.js';
import { openControlService, type ControlService } from '../../proxy-core/service/index.js';
import { sandboxTrust } from '../helpers/service.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { makeConfig } from '../helpers/engine.js';
import { FakeIpcMain, FakeWebContents, recordingApi } from '../helpers/ipc.js';
import { request } from '../helpers/request.js';

const RENDERER = pathToFileURL('/opt/Portico/resources/app.asar/renderer/dist/index.html').href;

let dataDir: string;
let backend: Backend;
let service: ControlService;
let api: ReturnType<typeof recordingApi>;
let ipc: FakeIpcMain;
let ours: FakeWebContents;
let detach: () => void;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portico-ipc-'));
  backend = await startBackend('shop');
  service = await openControlService({
    dataDir,
    configFile: join(dataDir, 'config.json'),
    version: '0.0.0-test',
    fileConfig: makeConfig([{ host: 'shop.localhost', target: backend.url }]),
    log: () => {},
    // Never this machine's trust stores or hosts file: a sandbox under the temp dir.
    trust: await sandboxTrust(dataDir),
    start: (config, { hooks }) => startEngine({ config, ...hooks, http: { host: '127.0.0.1', port: 0 } }),
  });
});

afterAll(async () => {
  await service?.close(100);
  await backend?.close();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  ipc = new FakeIpcMain();
  ours = new FakeWebContents(RENDERER);
  api = recordingApi(service);
  detach = attachIpcAdapter({ ipcMain: ipc, api, contents: () => [ours], rendererUrl: RENDERER });
  return () => detach();
});

/** A call from our window's top frame, as the preload makes it. */
function call(name: CommandName, input?: unknown): Promise<unknown> {
  return ipc.invoke(commandChannel(name), ours.eventFrom(), input);
}

/** Parses a reply as the contract's success for `name`, failing the test with the error otherwise. */
function expectOk<N extends CommandName>(name: N, reply: unknown): CommandOutput<N> {
  expect(reply, `${name} replied`).toMatchObject({ ok: true });
  return commands[name].output.parse((reply as { result: unknown }).result) as CommandOutput<N>;
}

const REFUSED = { ok: false, error: { message: expect.stringMatching(/^Refused/) } };

describe('channels', () => {
  it('registers exactly one channel per contract command, and nothing else', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(COMMAND_NAMES.map((n) => `portico:${n}`).sort());
    expect(ipc.handlers.has('portico:invoke')).toBe(false);
  });

  it('subscribes to every contract event', () => {
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
  });

  it('removes every handler when detached', () => {
    detach();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('calls from the trusted frame', () => {
  it('reach the service and answer with contract-shaped results', async () => {
    const status = expectOk('status', await call('status'));
    expect(status.version).toBe('0.0.0-test');
    expect(status.http.port).toBeGreaterThan(0);

    const routes = expectOk('routes.list', await call('routes.list'));
    expect(routes.map((r) => r.host)).toEqual(['shop.localhost']);
    expect(api.calls.map((c) => c.name)).toEqual(['status', 'routes.list']);
  });

  it('every contract command answers with an envelope, never a thrown error', async () => {
    // A request through the proxy, so the traffic commands have an exchange to work on.
    const { http } = expectOk('status', await call('status'));
    expect((await request(http.port, { host: 'shop.localhost', path: '/hello' })).body).toBe('shop');
    const [exchange] = expectOk('traffic.list', await call('traffic.list'));
    expect(exchange?.url).toContain('/hello');
    const id = exchange!.id;

    // In an order where each step has what it needs; the route id follows create/update.
    let routeId = '';
    let processId = '';
    const steps: [CommandName, () => unknown][] = [
      ['status', () => undefined],
      ['routes.list', () => undefined],
      ['routes.create', () => ({ host: 'api.shop.localhost', target: backend.url })],
      ['routes.update', () => ({ id: routeId, route: { host: 'api.shop.localhost', target: backend.url, pathPrefix: '/v2' } })],
      ['routes.toggle', () => ({ id: routeId, enabled: false })],
      ['routes.setPassword', () => ({ id: routeId, user: 'ada', password: 'correct horse' })],
      ['routes.deletePassword', () => ({ id: routeId, user: 'ada' })],
      ['routes.delete', () => ({ id: routeId })],
      ['settings.get', () => undefined],
      ['settings.set', () => ({ timeouts: { connectMs: 4_000, responseMs: 60_000 } })],
      ['ca.info', () => undefined],
      ['trust.status', () => undefined],
      ['trust.install', () => ({})],
      ['trust.uninstall', () => ({ only: [] })],
      ['doctor', () => undefined],
      ['hosts.status', () => undefined],
      ['hosts.set', () => ({ names: ['shop.test'] })],
      ['traffic.list', () => ({ limit: 10 })],
      ['traffic.get', () => ({ id })],
      ['traffic.search', () => ({ text: 'hello' })],
      ['traffic.body', () => ({ id, part: 'response' })],
      ['traffic.messages', () => ({ id })],
      ['traffic.pause', () => ({ paused: false })],
      ['traffic.exportHar', () => ({})],
      ['traffic.importHar', () => ({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: [] } })],
      ['traffic.replay', () => ({ id })],
      ['traffic.clear', () => undefined],
      ['cache.purge', () => ({ route: 'no-such-route' })],
      ['health.list', () => undefined],
      ['routes.stats', () => undefined],
      ['lan.status', () => undefined],
      ['lan.set', () => ({ enabled: false })],
      ['processes.add', () => ({ host: 'run.shop.localhost', port: 4000, pid: process.pid, ownerPid: process.pid, command: 'node server.js', cwd: '/tmp' })],
      ['processes.list', () => undefined],
      ['processes.stop', () => ({ id: processId })],
      ['processes.remove', () => ({ id: processId })],
      ['rules.create', () => ({ rule: { id: 'r1', match: { pathPrefix: '/never' }, action: { delay: { ms: 1 } } } })],
      ['rules.update', () => ({ id: 'r1', rule: { id: 'r1', enabled: false, action: { delay: { ms: 1 } } } })],
      ['rules.move', () => ({ id: 'r1', index: 0 })],
      ['rules.list', () => undefined],
      ['rules.delete', () => ({ id: 'r1' })],
      ['breakpoints.list', () => undefined],
      ['breakpoints.resume', () => ({ id: 'b-none' })],
      ['breakpoints.abort', () => ({ id: 'b-none' })],
    ];
    expect(steps.map(([name]) => name).sort()).toEqual([...COMMAND_NAMES].sort());
    for (const [name, input] of steps) {
      const result = expectOk(name, await call(name, input()));
      if (name === 'routes.create' || name === 'routes.update') routeId = (result as Route).id!;
      if (name === 'processes.add') processId = (result as { id: string }).id;
    }
    expect(new Set(api.calls.map((c) => c.name))).toEqual(new Set(COMMAND_NAMES));
  });

  it('returns invalid input as ok:false with readable field issues, not a thrown error', async () => {
    const reply = await call('routes.create', { host: 'http://shop.localhost:3000/', target: 'localhost:3000' });
    expect(reply).toMatchObject({ ok: false });
    const error = CommandErrorSchema.parse((reply as { error: unknown }).error);
    expect(error.issues?.join('\n')).toMatch(/host/);
    expect(error.issues?.join('\n')).toMatch(/http:\/\/localhost:3000/);
    expect(api.calls).toHaveLength(1); // it reached the service, which said no
  });

  it('returns a failing command (unknown id) as ok:false with the message', async () => {
    const reply = await call('traffic.get', { id: 'no-such-exchange' });
    expect(reply).toMatchObject({ ok: false, error: { message: expect.any(String) } });
    expect(Object.keys((reply as { error: object }).error).every((k) => k === 'message' || k === 'issues')).toBe(true);
  });

  it('accepts the renderer with a hash or a query (client-side routing)', async () => {
    ours.mainFrame.url = `${RENDERER}?tab=traffic#/routes`;
    expect(await call('routes.list')).toMatchObject({ ok: true });
  });
});

describe('calls from anywhere else are refused before the service', () => {
  const foreign: [string, () => Parameters<FakeIpcMain['invoke']>[1]][] = [
    ['a web page in our window', () => ((ours.mainFrame.url = 'https://evil.example/'), ours.eventFrom())],
    ['another file in our window', () => ((ours.mainFrame.url = pathToFileURL('/tmp/evil/index.html').href), ours.eventFrom())],
    ['a subframe showing our own renderer', () => ours.eventFrom(ours.subframe(RENDERER))],
    ['a subframe showing a web page', () => ours.eventFrom(ours.subframe('https://ads.example/'))],
    ['a missing sender frame (navigated away or destroyed)', () => ours.eventFrom(null)],
    ['a destroyed frame', () => ((ours.mainFrame.destroyed = true), ours.eventFrom())],
    ['a detached frame', () => ((ours.mainFrame.detached = true), ours.eventFrom())],
    ['another window showing our renderer', () => new FakeWebContents(RENDERER).eventFrom()],
    ['our window, destroyed', () => ((ours.destroyed = true), ours.eventFrom())],
    [
      "a frame whose url getter throws (Electron's disposed frame)",
      () => {
        Object.defineProperty(ours.mainFrame, 'url', {
          get() {
            throw new Error('Render frame was disposed before WebFrameMain could be accessed');
          },
        });
        return ours.eventFrom();
      },
    ],
  ];

  it.each(foreign)('%s', async (_label, makeEvent) => {
    const event = makeEvent();
    for (const [name, input] of [
      ['routes.list', undefined],
      ['routes.delete', { id: 'shop.localhost' }],
      ['traffic.clear', undefined],
    ] as const) {
      expect(await ipc.invoke(commandChannel(name), event, input)).toEqual(REFUSED);
    }
    expect(api.calls).toEqual([]);
  });

  it('leaves the service untouched by a refused call', async () => {
    await ipc.invoke(commandChannel('routes.delete'), ours.eventFrom(ours.subframe(RENDERER)), { id: 'shop.localhost' });
    expect(expectOk('routes.list', await call('routes.list')).map((r) => r.host)).toContain('shop.localhost');
  });
});

describe('events', () => {
  it('forwards contract events to our window as { event, data }', async () => {
    const created = expectOk('routes.create', await call('routes.create', { host: 'events.shop.localhost', target: backend.url }));
    const configChanged = ours.sent.filter((m) => m.channel === EVENT_CHANNEL && (m.args[0] as { event: string }).event === 'config.changed');
    expect(configChanged).toHaveLength(1);
    const data = events['config.changed'].parse((configChanged[0]!.args[0] as { data: unknown }).data);
    expect(data.routes.map((r) => r.host)).toContain('events.shop.localhost');
    expectOk('routes.delete', await call('routes.delete', { id: created.id }));
  });

  it('forwards batched traffic events, with data the contract accepts', async () => {
    const { http } = expectOk('status', await call('status'));
    await request(http.port, { host: 'shop.localhost', path: '/events' });
    await expect.poll(() => trafficFinished(ours).some((e) => e.url.includes('/events')), { timeout: 2_000 }).toBe(true);
  });

  it('does not send to a window that no longer shows our renderer, nor to a destroyed one', async () => {
    const good = new FakeWebContents(RENDERER);
    const gone = new FakeWebContents(RENDERER);
    detach();
    detach = attachIpcAdapter({ ipcMain: ipc, api, contents: () => [ours, gone, good], rendererUrl: RENDERER });
    ours.mainFrame.url = 'https://evil.example/';
    gone.destroyed = true; // its send() would throw
    await service.call('traffic.clear', undefined);
    expect(good.sent.map((m) => m.args[0])).toEqual([{ event: 'traffic.cleared', data: {} }]);
    expect(ours.sent).toEqual([]);
    expect(gone.sent).toEqual([]);
  });

  it('stops forwarding once detached', async () => {
    detach();
    await service.call('traffic.clear', undefined);
    expect(ours.sent).toEqual([]);
  });
});

function trafficFinished(contents: FakeWebContents) {
  return contents.sent
    .filter((m) => m.channel === EVENT_CHANNEL && (m.args[0] as { event: string }).event === 'traffic')
    .flatMap((m) => events.traffic.parse((m.args[0] as { data: unknown }).data).finished);
}

describe('isTrustedRendererUrl', () => {
  it.each([
    [RENDERER, RENDERER, true],
    [`${RENDERER}#/traffic`, RENDERER, true],
    ['file:///opt/Portico/resources/app.asar/renderer/dist/other.html', RENDERER, false],
    ['file://evil-host/opt/Portico/resources/app.asar/renderer/dist/index.html', RENDERER, false],
    ['http://localhost:5173/routes', 'http://localhost:5173/', true],
    ['http://localhost:5174/', 'http://localhost:5173/', false],
    ['http://127.0.0.1:5173/', 'http://localhost:5173/', false],
    ['https://localhost:5173/', 'http://localhost:5173/', false],
    ['about:blank', RENDERER, false],
    ['', RENDERER, false],
    [RENDERER, 'not a url', false],
  ])('%s against %s → %s', (url, renderer, trusted) => {
    expect(isTrustedRendererUrl(url, renderer)).toBe(trusted);
  });
});
