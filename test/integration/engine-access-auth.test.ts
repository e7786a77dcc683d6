// Access auth (HTTP Basic) on a real engine: 401 with a realm without or with wrong
// credentials, 200 with the right ones, the Authorization header kept from the backend
// unless asked, WebSocket upgrades guarded too, and every refusal captured with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { hashPassword } from '../../proxy-core/auth/password-hash.js';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema, type RouteInput } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { closeEngine, makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';
import { startWsEcho, type WsEcho } from '../helpers/wsEcho.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let backend: Backend;
let echo: WsEcho;
let engine: Engine;
let store: CaptureStore;

beforeAll(async () => {
  backend = await startBackend('app');
  echo = await startWsEcho();
  const users = { ada: await hashPassword('correct horse'), zoë: await hashPassword('pässwörd') };
  const routes: RouteInput[] = [
    { host: 'private.localhost', target: backend.url, auth: { basic: { users, realm: 'Staging' } } },
    { host: 'forward.localhost', target: backend.url, auth: { basic: { users, forwardAuthorization: true } } },
    { host: 'open.localhost', target: backend.url },
    { host: 'ws.localhost', target: echo.url, auth: { basic: { users } } },
    { host: 'nobody.localhost', target: backend.url, auth: { basic: { users: {} } } },
  ];
  store = new CaptureStore(CaptureSettingsSchema.parse({}));
  engine = await startEngine({ config: makeConfig(routes), http: { host: '127.0.0.1', port: 0 }, recorder: store });
});

afterAll(async () => {
  await closeEngine(engine);
  await backend.close();
  await echo.close();
});

const lastMark = () => store.list().at(-1)?.marks['portico'];

describe('HTTP Basic access auth', () => {
  it('answers 401 with a realm and a UTF-8 charset when no credentials come, and the backend sees nothing', async () => {
    backend.reset();
    const reply = await request(engine.http.port, { host: 'private.localhost' });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Basic realm="Staging", charset="UTF-8"');
    expect(backend.requests).toHaveLength(0);
    expect(lastMark()).toBe('auth: missing credentials');
  });

  it('answers 200 with the right password and keeps the Authorization header from the backend', async () => {
    backend.reset();
    const reply = await request(engine.http.port, { host: 'private.localhost', headers: { authorization: basic('ada', 'correct horse') } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('app');
    expect(backend.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('checks UTF-8 user names and passwords', async () => {
    const reply = await request(engine.http.port, { host: 'private.localhost', headers: { authorization: basic('zoë', 'pässwörd') } });
    expect(reply.status).toBe(200);
  });

  it.each([
    ['a wrong password', basic('ada', 'Correct horse'), 'auth: wrong password'],
    ['an unknown user', basic('eve', 'correct horse'), 'auth: unknown user'],
    ['another scheme', 'Bearer abc', 'auth: malformed credentials'],
    ['no colon', `Basic ${Buffer.from('ada').toString('base64')}`, 'auth: malformed credentials'],
  ])('answers 401 to %s, twice alike (the second from the remembered verdict)', async (_what, authorization, mark) => {
    for (let i = 0; i < 2; i++) {
      backend.reset();
      const reply = await request(engine.http.port, { host: 'private.localhost', headers: { authorization } });
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toContain('Basic realm="Staging"');
      expect(backend.requests).toHaveLength(0);
      expect(lastMark()).toBe(mark);
    }
    // The mark names the reason, never the password.
    expect(JSON.stringify(store.list().at(-1)!.marks)).not.toContain('horse');
  });

  it('forwards the Authorization header when the route asks for it; realm defaults to the host', async () => {
    backend.reset();
    expect((await request(engine.http.port, { host: 'forward.localhost' })).headers['www-authenticate']).toBe(
      'Basic realm="forward.localhost", charset="UTF-8"',
    );
    const reply = await request(engine.http.port, { host: 'forward.localhost', headers: { authorization: basic('ada', 'correct horse') } });
    expect(reply.status).toBe(200);
    expect(backend.requests[0]!.headers.authorization).toBe(basic('ada', 'correct horse'));
  });

  it('lets nobody in on a route with auth and no users, and leaves other routes open', async () => {
    expect((await request(engine.http.port, { host: 'nobody.localhost', headers: { authorization: basic('ada', 'correct horse') } })).status).toBe(401);
    expect((await request(engine.http.port, { host: 'open.localhost' })).status).toBe(200);
  });

  it('guards WebSocket upgrades: 401 without credentials, an open socket with them', async () => {
    const refused = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${engine.http.port}/live`, { headers: { host: 'ws.localhost' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('opened without credentials')));
      ws.on('error', () => {});
    });
    expect(refused).toBe(401);
    expect(echo.upgrades).toHaveLength(0);
    const ws = new WebSocket(`ws://127.0.0.1:${engine.http.port}/live`, { headers: { host: 'ws.localhost', authorization: basic('ada', 'correct horse') } });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hi'));
      ws.on('message', (data) => resolve(String(data)));
      ws.on('error', reject);
    });
    ws.close();
    expect(reply).toBe('hi');
    expect(echo.upgrades[0]!.headers.authorization).toBeUndefined();
  });
});
