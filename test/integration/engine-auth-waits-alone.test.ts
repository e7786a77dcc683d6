// A new Basic-auth credential costs an scrypt check. It runs on the thread pool: the one
// request waits for it, with its body held back intact, while every other request the
// proxy serves goes on. (Checked with a deliberately costly hash, so the check outlasts a
// plain round trip by far.)
import { randomBytes, scrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema, type RouteInput } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { closeEngine, makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';
import { startWsEcho, type WsEcho } from '../helpers/wsEcho.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A hash at 4× Node's default cost (64 MiB): a check takes a few hundred milliseconds here. */
async function costlyHash(password: string): Promise<string> {
  const N = 65_536;
  const salt = randomBytes(16);
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (err, derived) => (err ? reject(err) : resolve(derived))),
  );
  return `scrypt$${N}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

let backend: Backend;
let echo: WsEcho;
let engine: Engine;
let store: CaptureStore;
const bodies: number[] = [];

beforeAll(async () => {
  backend = await startBackend('app', (req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      bodies.push(bytes);
      res.end(`got ${bytes}`);
    });
  });
  echo = await startWsEcho();
  const users = { ada: await costlyHash('one'), bob: await costlyHash('two'), eve: await costlyHash('three') };
  const routes: RouteInput[] = [
    { host: 'private.localhost', target: backend.url, auth: { basic: { users } } },
    { host: 'ws.localhost', target: echo.url, auth: { basic: { users } } },
    { host: 'open.localhost', target: backend.url },
  ];
  // Capture on: its tap reads the request body as it flows, which is what must wait too.
  store = new CaptureStore(CaptureSettingsSchema.parse({}));
  engine = await startEngine({ config: makeConfig(routes), http: { host: '127.0.0.1', port: 0 }, recorder: store });
}, 30_000);

afterAll(async () => {
  await closeEngine(engine);
  await backend.close();
  await echo.close();
});

describe('a new credential is checked off the event loop', () => {
  it('lets another request through while the check runs', async () => {
    const order: string[] = [];
    const guarded = request(engine.http.port, { host: 'private.localhost', headers: { authorization: basic('ada', 'one') } }).then((reply) => {
      order.push('guarded');
      return reply;
    });
    // Sent after the guarded one, answered first: the scrypt check is not blocking anyone.
    const open = await request(engine.http.port, { host: 'open.localhost' });
    order.push('open');
    expect(open.status).toBe(200);
    expect((await guarded).status).toBe(200);
    expect(order).toEqual(['open', 'guarded']);
  });

  it('holds the body of the waiting request back and then forwards all of it', async () => {
    const body = randomBytes(512 * 1024);
    const reply = await request(engine.http.port, { host: 'private.localhost', method: 'POST', body, headers: { authorization: basic('bob', 'two') } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(`got ${body.length}`);
    expect(store.list().at(-1)!.request.size).toBe(body.length);
  });

  it('refuses a wrong password after the check, without reaching the backend', async () => {
    const before = bodies.length;
    const reply = await request(engine.http.port, { host: 'private.localhost', method: 'POST', body: 'x', headers: { authorization: basic('eve', 'wrong') } });
    expect(reply.status).toBe(401);
    expect(bodies.length).toBe(before);
  });

  it('opens a WebSocket once a new credential is checked', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${engine.http.port}/live`, { headers: { host: 'ws.localhost', authorization: basic('eve', 'three') } });
    const echoed = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('ping'));
      ws.on('message', (data) => resolve(String(data)));
      ws.on('error', reject);
    });
    ws.close();
    expect(echoed).toBe('ping');
  });
});
