// routes.setPassword / routes.deletePassword through the control service: the password
// is hashed in the service, only the hash reaches the config file, and the engine asks
// for it at once.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandFailure } from '../../proxy-core/service/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';
import { startService, type TestService } from '../helpers/service.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
let backend: Backend;
let running: TestService;

beforeAll(async () => {
  backend = await startBackend('app');
  running = await startService({ routes: [{ host: 'app.localhost', target: backend.url }] });
});
afterAll(async () => {
  await running.close();
  await backend.close();
});

it('sets a password: hashed in the file, enforced by the engine at once', async () => {
  expect((await request(running.port, { host: 'app.localhost' })).status).toBe(200);
  const route = await running.service.call('routes.setPassword', { id: 'app.localhost', user: 'ada', password: 'correct horse' });
  expect(route.auth?.basic.users['ada']).toMatch(/^scrypt\$/);
  const file = await readFile(running.configFile, 'utf8');
  expect(file).not.toContain('correct horse');
  expect(file).toContain(route.auth!.basic.users['ada']!);
  expect((await request(running.port, { host: 'app.localhost' })).status).toBe(401);
  expect((await request(running.port, { host: 'app.localhost', headers: { authorization: basic('ada', 'correct horse') } })).status).toBe(200);
});

it('deletes a user; with none left nobody gets in; an unknown user or route is a clear failure', async () => {
  const route = await running.service.call('routes.deletePassword', { id: 'app.localhost', user: 'ada' });
  expect(route.auth?.basic.users).toEqual({});
  expect((await request(running.port, { host: 'app.localhost', headers: { authorization: basic('ada', 'correct horse') } })).status).toBe(401);
  await expect(running.service.call('routes.deletePassword', { id: 'app.localhost', user: 'ada' })).rejects.toThrow('route "app.localhost" has no user "ada"');
  await expect(running.service.call('routes.setPassword', { id: 'nope', user: 'ada', password: 'x' })).rejects.toBeInstanceOf(CommandFailure);
  await expect(running.service.call('routes.setPassword', { id: 'app.localhost', user: 'a:b', password: 'x' })).rejects.toThrow('invalid input');
});
