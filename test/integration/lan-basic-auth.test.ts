// LAN sharing with the route's own Basic auth as the credential: a device on the LAN needs
// no token then, but the route's password (the auth policy asks with a 401, so a browser
// prompts). The LAN listener is on 127.0.0.2, standing in for the LAN address.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../proxy-core/auth/password-hash.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';
import { startService, type TestService } from '../helpers/service.js';

const LAN = '127.0.0.2';
let backend: Backend;
let running: TestService;
let port: number;

beforeAll(async () => {
  backend = await startBackend('locked');
  running = await startService({
    lan: { enabled: true, address: LAN, port: 0 },
    routes: [{ host: 'locked.localhost', target: backend.url, share: true, auth: { basic: { users: { ann: await hashPassword('s3cret') } } } }],
  });
  port = (await running.service.call('lan.status', undefined)).shares[0]!.port;
});
afterAll(async () => {
  await running?.close();
  await backend?.close();
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

it('asks a LAN device without a token for the password (401, not the token page)', async () => {
  const reply = await request(port, { address: LAN, path: '/' });
  expect(reply.status).toBe(401);
  expect(reply.headers['www-authenticate']).toMatch(/^Basic realm=/);
});

it('lets the right password in, and refuses a wrong one', async () => {
  expect((await request(port, { address: LAN, path: '/', headers: { authorization: basic('ann', 's3cret') } })).status).toBe(200);
  expect((await request(port, { address: LAN, path: '/', headers: { authorization: basic('ann', 'guess') } })).status).toBe(401);
});
