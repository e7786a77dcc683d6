// The app registers its IPC handlers before the engine is up (the window shows at once),
// through a ControlApi that waits for the service. A call made while it starts gets its
// answer when it is ready; if it never starts, every call says why, as an ok:false reply.
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNEL, commandChannel } from '../../proxy-core/contract/index.js';
import { deferredApi } from '../../electron/deferred-api.js';
import { attachIpcAdapter } from '../../electron/ipc-adapter.js';
import type { CommandName, EventName } from '../../proxy-core/contract/index.js';
import type { ControlApi } from '../../proxy-core/service/types.js';
import { FakeIpcMain, FakeWebContents } from '../helpers/ipc.js';

const RENDERER = pathToFileURL('/app/renderer/dist/index.html').href;

/** A stand-in service: answers `status` with a marker and lets the test fire events. */
function tinyService() {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const api: ControlApi = {
    call: async (name: CommandName) => ({ answeredBy: 'service', name }) as never,
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  const fire = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  return { api, fire, listeners };
}

function setup(ready: Promise<ControlApi>) {
  const ipc = new FakeIpcMain();
  const window = new FakeWebContents(RENDERER);
  attachIpcAdapter({ ipcMain: ipc, api: deferredApi(ready), contents: () => [window], rendererUrl: RENDERER });
  const call = (name: CommandName, input?: unknown) => ipc.invoke(commandChannel(name), window.eventFrom(), input);
  return { ipc, window, call };
}

describe('deferredApi behind the IPC adapter', () => {
  it('holds a call made during start-up and answers it once the service is ready', async () => {
    const service = tinyService();
    let start!: (api: ControlApi) => void;
    const { call } = setup(new Promise((resolve) => (start = resolve)));
    let settled = false;
    const pending = call('status').finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    start(service.api);
    expect(await pending).toEqual({ ok: true, result: { answeredBy: 'service', name: 'status' } });
  });

  it('delivers events subscribed before start-up once the service is ready', async () => {
    const service = tinyService();
    const { window } = setup(Promise.resolve(service.api));
    await new Promise((r) => setTimeout(r, 0));
    service.fire('traffic.cleared', {});
    expect(window.sent).toEqual([{ channel: EVENT_CHANNEL, args: [{ event: 'traffic.cleared', data: {} }] }]);
  });

  it('answers every call with the reason when the service failed to start', async () => {
    const { call } = setup(Promise.reject(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8080')));
    for (const name of ['status', 'routes.list'] as const) {
      expect(await call(name)).toEqual({
        ok: false,
        error: { message: 'The proxy did not start: listen EADDRINUSE: address already in use 127.0.0.1:8080' },
      });
    }
  });

  it('never subscribes a listener that was removed before start-up', async () => {
    const service = tinyService();
    let start!: (api: ControlApi) => void;
    const api = deferredApi(new Promise((resolve) => (start = resolve)));
    const off = api.on('traffic.cleared', () => {});
    off();
    start(service.api);
    await new Promise((r) => setTimeout(r, 0));
    expect(service.listeners.get('traffic.cleared')?.size ?? 0).toBe(0);
  });
});
