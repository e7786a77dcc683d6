// A main listener bound to every interface (a config with "0.0.0.0", or macOS handing out
// port 80 only that way) meets other devices directly. They stand in here as this
// machine's own non-loopback address, which the kernel reports as the peer: the test
// needs such an interface and is skipped on a machine with none.
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema, type ConfigInput } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';

const EXTERNAL = Object.values(os.networkInterfaces())
  .flat()
  .find((info) => info?.family === 'IPv4' && !info.internal)?.address;
const TOKEN = 'c'.repeat(48);
const closeEach = closeAfter('each');
let backend: Backend;
afterEach(() => backend?.close());

async function start(lanEnabled: boolean, loopbackOnly: boolean): Promise<Engine> {
  backend = await startBackend('shop');
  const config: ConfigInput = {
    http: { port: 0, host: '0.0.0.0' },
    // The LAN listeners go to 127.0.0.2 so that they never collide with the wildcard bind.
    lan: { enabled: lanEnabled, address: '127.0.0.2', port: 0 },
    routes: [
      { host: 'shop.localhost', target: backend.url, share: true },
      { host: 'other.localhost', target: backend.url },
    ],
  };
  const engine = await startEngine({ config: ConfigSchema.parse(config), http: { loopbackOnly }, lan: { token: TOKEN } });
  return closeEach(engine, (e) => e.close(100));
}

const fromDevice = (engine: Engine, host: string, headers: Record<string, string> = {}) =>
  request(engine.http.port, { address: EXTERNAL!, localAddress: EXTERNAL!, host, headers });

describe.skipIf(EXTERNAL === undefined)(`peers other than this machine on a wildcard bind (seen from ${EXTERNAL})`, () => {
  it('sharing off, bound on purpose: another device gets 403 "LAN sharing is off"; this machine is served', async () => {
    const engine = await start(false, false);
    const reply = await fromDevice(engine, 'shop.localhost', { authorization: `Bearer ${TOKEN}` });
    expect(reply.status).toBe(403);
    expect(reply.body).toContain('LAN sharing is off');
    expect((await request(engine.http.port, { host: 'shop.localhost' })).status).toBe(200);
    expect(backend.requests).toHaveLength(1);
  });

  it('sharing off, wildcard only for the port (macOS): another device is cut at connect', async () => {
    const engine = await start(false, true);
    await expect(fromDevice(engine, 'shop.localhost')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
    expect((await request(engine.http.port, { host: 'other.localhost' })).status).toBe(200);
  });

  it('sharing on: a shared route with the token answers; others are refused without listing hosts', async () => {
    const engine = await start(true, true);
    const shared = await fromDevice(engine, 'shop.localhost', { authorization: `Bearer ${TOKEN}` });
    expect(shared.status).toBe(200);
    expect(backend.requests[0]!.headers.authorization).toBeUndefined();
    expect((await fromDevice(engine, 'shop.localhost')).status).toBe(403);

    for (const host of ['other.localhost', 'unknown.localhost']) {
      const refused = await fromDevice(engine, host, { authorization: `Bearer ${TOKEN}` });
      expect(refused.status, host).toBe(403);
      expect(refused.body).toContain('Not shared on this network');
      expect(refused.body).not.toContain('shop.localhost');
    }
    expect(backend.requests).toHaveLength(1);
    // This machine: every route, no token.
    expect((await request(engine.http.port, { host: 'other.localhost' })).status).toBe(200);
  });
});
