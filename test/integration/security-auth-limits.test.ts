// Guessing credentials is limited per client address: after ten wrong LAN tokens or
// Basic-auth passwords in a minute, that address gets 429 with Retry-After (even with the
// right credential) and the capture says why; another address is not held back.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashPassword } from '../../proxy-core/auth/password-hash.js';
import type { ExchangeSummary } from '../../proxy-core/contract/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';
import { startService, type TestService } from '../helpers/service.js';

const LAN = '127.0.0.2';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
let backend: Backend;
let running: TestService;
let token: string;

beforeAll(async () => {
  backend = await startBackend('shop');
  running = await startService({
    lan: { enabled: true, address: LAN, port: 0 },
    routes: [
      { host: 'shop.localhost', target: backend.url, share: true },
      { host: 'private.localhost', target: backend.url, auth: { basic: { users: { ada: await hashPassword('correct horse') } } } },
    ],
  });
  token = (await readFile(path.join(running.dataDir, 'lan-token'), 'utf8')).trim();
});
afterAll(async () => {
  await running?.close();
  await backend?.close();
});

async function lastMarks(urlEnd: string): Promise<Record<string, string>> {
  let found: ExchangeSummary | undefined;
  await vi.waitFor(async () => {
    const list = await running.service.call('traffic.list', {});
    found = list.filter((x) => x.url.endsWith(urlEnd) && x.status !== undefined).at(-1);
    expect(found).toBeDefined();
  });
  return found!.marks;
}

describe('failed credential guesses per address', () => {
  it('LAN token: ten wrong tokens, then 429 with Retry-After even for the right one; another address still gets in', async () => {
    const lanPort = (await running.service.call('lan.status', undefined)).shares[0]!.port;
    const from = '127.0.0.21';
    const bearer = (value: string, localAddress = from) =>
      request(lanPort, { address: LAN, localAddress, path: '/lan-guess', headers: { authorization: `Bearer ${value}` } });
    for (let i = 0; i < 10; i++) expect((await bearer(`wrong-${i}`)).status).toBe(403);
    const blocked = await bearer(token);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await lastMarks('/lan-guess')).portico).toMatch(/^auth: too many failed attempts/);
    backend.reset();
    expect((await bearer(token, '127.0.0.22')).status).toBe(200);
    expect(backend.requests).toHaveLength(1);
  });

  it('Basic auth: ten wrong passwords, then 429 with Retry-After even for the right one; another address still gets in', async () => {
    const from = '127.0.0.31';
    const login = (password: string, localAddress = from) =>
      request(running.port, { host: 'private.localhost', localAddress, path: '/basic-guess', headers: { authorization: basic('ada', password) } });
    for (let i = 0; i < 10; i++) expect((await login(`guess ${i}`)).status).toBe(401);
    const blocked = await login('correct horse');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await lastMarks('/basic-guess')).portico).toMatch(/^auth: too many failed attempts/);
    expect((await login('correct horse', '127.0.0.32')).status).toBe(200);
  });

  it("a request without credentials is no guess: the browser's first 401 costs nothing", async () => {
    for (let i = 0; i < 12; i++) {
      expect((await request(running.port, { host: 'private.localhost', localAddress: '127.0.0.41' })).status).toBe(401);
    }
    expect(
      (await request(running.port, { host: 'private.localhost', localAddress: '127.0.0.41', headers: { authorization: basic('ada', 'correct horse') } }))
        .status,
    ).toBe(200);
  });
});
