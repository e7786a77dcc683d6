// LAN sharing at the real boundary: the real service and engine, the LAN listener bound
// to 127.0.0.2 (Linux routes all of 127/8 to lo), standing in for this machine's LAN
// address; requests to it are "from another device" whatever their source address.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExchangeSummary, LanStatus } from '../../proxy-core/contract/index.js';
import { WebSocket } from 'ws';
import { startBackend, type Backend } from '../helpers/backend.js';
import { startWsEcho, type WsEcho } from '../helpers/wsEcho.js';
import { rawRequest } from '../helpers/rawRequest.js';
import { request } from '../helpers/request.js';
import { startService, type TestService } from '../helpers/service.js';

const LAN = '127.0.0.2';
let backend: Backend;
let echo: WsEcho;
let running: TestService;
let token: string;

beforeAll(async () => {
  backend = await startBackend('shop');
  echo = await startWsEcho();
  running = await startService({
    lan: { enabled: true, address: LAN, port: 0 },
    routes: [
      { host: 'shop.localhost', target: backend.url, share: true },
      { host: 'shop.localhost', pathPrefix: '/admin', target: backend.url },
      { host: 'other.localhost', target: backend.url },
      { host: 'shop.localhost', pathPrefix: '/hmr', target: echo.url, share: true },
    ],
  });
  token = (await readFile(path.join(running.dataDir, 'lan-token'), 'utf8')).trim();
});
afterAll(async () => {
  await running?.close();
  await backend?.close();
  await echo?.close();
});

/** Opens a WebSocket and resolves with the echo of one message, or rejects with the refusal. */
function echoOnce(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => ws.send('ping'));
    ws.once('message', (data) => {
      resolve(String(data));
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const status = () => running.service.call('lan.status', undefined);
const lanPort = async () => (await status()).shares[0]!.port;

/** The capture's marks of the last exchange whose URL ends with `pathAndQuery`. */
async function marksOf(pathAndQuery: string): Promise<Record<string, string>> {
  let found: ExchangeSummary | undefined;
  await vi.waitFor(async () => {
    const list = await running.service.call('traffic.list', {});
    found = list.filter((x) => x.url.endsWith(pathAndQuery) && x.status !== undefined).at(-1);
    expect(found).toBeDefined();
  });
  return found!.marks;
}

describe('LAN sharing on, LAN listener on 127.0.0.2', () => {
  it('reports one URL per shared host, with the token link and its QR code', async () => {
    const lan: LanStatus = await status();
    expect(lan).toMatchObject({ enabled: true, address: LAN });
    expect(lan.error).toBeUndefined();
    expect(lan.shares).toHaveLength(1); // other.localhost is not shared: no port for it
    const [share] = lan.shares;
    expect(share).toMatchObject({ host: 'shop.localhost', url: `http://${LAN}:${share!.port}/`, routes: ['shop.localhost', 'shop.localhost/hmr'] });
    expect(share!.link).toBe(`${share!.url}?portico-token=${token}`);
    expect(share!.qrSvg).toMatch(/^<svg [^>]*viewBox/);
  });

  it('the token link sets an HttpOnly cookie and redirects to the same URL without it', async () => {
    const port = await lanPort();
    const reply = await request(port, { address: LAN, path: `/page?a=1&portico-token=${token}&b=%20x` });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/page?a=1&b=%20x');
    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toContain(`portico-lan=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect((await marksOf(`/page?a=1&portico-token=${token}&b=%20x`)).portico).toBe('lan: token accepted, cookie set');
  });

  it('with the cookie, the shared route answers; the backend never sees the token', async () => {
    backend.reset();
    const port = await lanPort();
    const reply = await request(port, { address: LAN, path: '/page?q=1', headers: { cookie: `theme=dark; portico-lan=${token}; sid=42` } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('shop');
    const seen = backend.requests[0]!;
    expect(seen.url).toBe('/page?q=1');
    expect(seen.headers.cookie).toBe('theme=dark; sid=42');
    expect(JSON.stringify(seen.headers)).not.toContain(token);
    // The backend sees the address the device used, so its absolute links work there.
    expect(seen.headers.host).toBe(`${LAN}:${port}`);
    expect((await marksOf('/page?q=1')).lan).toMatch(/^shared with /);
  });

  it('with a Bearer token, the shared route answers and the header is not forwarded', async () => {
    backend.reset();
    const reply = await request(await lanPort(), { address: LAN, path: '/bearer', headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
    expect(backend.requests[0]!.headers.authorization).toBeUndefined();
    expect(backend.requests[0]!.headers.cookie).toBeUndefined();
  });

  it('without the token: 403 and the mark "lan: missing token"; a wrong one: "lan: wrong token"', async () => {
    backend.reset();
    const port = await lanPort();
    const missing = await request(port, { address: LAN, path: '/no-token' });
    expect(missing.status).toBe(403);
    expect(missing.body).toContain('Access token needed');
    expect((await marksOf('/no-token')).portico).toBe('lan: missing token');
    const wrong = await request(port, { address: LAN, path: '/wrong', headers: { authorization: `Bearer ${'0'.repeat(48)}` } });
    expect(wrong.status).toBe(403);
    expect((await marksOf('/wrong')).portico).toBe('lan: wrong token');
    const wrongLink = await request(port, { address: LAN, path: '/?portico-token=nope' });
    expect(wrongLink.status).toBe(403);
    expect(backend.requests).toHaveLength(0);
  });

  it('a route of the shared host that is not shared: 403 with the mark, even with the token', async () => {
    backend.reset();
    const reply = await request(await lanPort(), { address: LAN, path: '/admin/users', headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(403);
    expect(reply.body).toContain('Not shared on this network');
    expect((await marksOf('/admin/users')).portico).toBe('lan: route not shared');
    expect(backend.requests).toHaveLength(0);
  });

  it.each(['/x/../admin/users', '/%2e%2e/admin/users', '/static/..\\admin/users'])(
    'dot segments cannot reach the route that is not shared: %s is judged as /admin/users',
    async (path) => {
      backend.reset();
      const reply = await rawRequest(
        await lanPort(),
        `GET ${path} HTTP/1.1\r\nHost: shop.localhost\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
        5_000,
        LAN,
      );
      expect(reply.status).toBe(403);
      expect(reply.body).toContain('Not shared on this network');
      expect(backend.requests).toHaveLength(0);
    },
  );

  it.each([
    ['//evil.example/x', '/evil.example/x'],
    ['///evil.example/x', '/evil.example/x'],
  ])('the token link %s redirects on this origin only (Location %s)', async (path, location) => {
    const reply = await request(await lanPort(), { address: LAN, path: `${path}?portico-token=${token}` });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe(location);
  });

  it('a token link the URL parser would read as another host (/\\evil.example/x) is refused, not redirected', async () => {
    const reply = await rawRequest(
      await lanPort(),
      `GET /\\evil.example/x?portico-token=${token} HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n`,
      5_000,
      LAN,
    );
    expect(reply.status).toBe(400);
    expect(reply.raw).not.toMatch(/^location:/im);
  });

  it('WebSockets (the HMR socket) pass with the cookie or the link token, never forwarding it', async () => {
    const base = `ws://${LAN}:${await lanPort()}/hmr`;
    await expect(echoOnce(base)).rejects.toThrow('refused with 403');
    expect(await echoOnce(base, { cookie: `portico-lan=${token}` })).toBe('ping');
    expect(await echoOnce(`${base}?portico-token=${token}&v=1`)).toBe('ping');
    expect(echo.upgrades.map((u) => u.url)).toEqual(['/hmr', '/hmr?v=1']);
    expect(JSON.stringify(echo.upgrades)).not.toContain(token);
  });

  it('the Host header cannot reach another route through the LAN port', async () => {
    backend.reset();
    const reply = await request(await lanPort(), { address: LAN, host: 'other.localhost', path: '/admin/x', headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(403);
    expect(backend.requests).toHaveLength(0);
  });

  it('clients on this machine keep using every route on the main listener, no token asked', async () => {
    for (const [host, p] of [
      ['shop.localhost', '/'],
      ['shop.localhost', '/admin'],
      ['other.localhost', '/'],
    ] as const) {
      const reply = await request(running.port, { host, path: p });
      expect(reply.status, `${host}${p}`).toBe(200);
    }
  });
});

describe('switching LAN sharing', () => {
  it('off closes the LAN listener; on opens it again', async () => {
    const before = await lanPort();
    expect((await request(before, { address: LAN, path: '/', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    const off = await running.service.call('lan.set', { enabled: false });
    expect(off).toEqual({ enabled: false, shares: [] });
    await expect(request(before, { address: LAN, path: '/' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // Saved in the config file, so it stays off after a restart.
    expect(JSON.parse(await readFile(running.configFile, 'utf8')).lan.enabled).toBe(false);
    expect((await request(running.port, { host: 'shop.localhost' })).status).toBe(200);

    const on = await running.service.call('lan.set', { enabled: true });
    expect(on.shares).toHaveLength(1);
    const reply = await request(on.shares[0]!.port, { address: LAN, path: '/', headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
  });

  it('un-sharing a route closes its port; the others keep theirs', async () => {
    const shop = await lanPort();
    await running.service.call('routes.update', { id: 'other.localhost', route: { host: 'other.localhost', target: backend.url, share: true } });
    const both = await status();
    expect(both.shares[0]!.port).toBe(shop);
    expect(both.shares.map((s) => s.host)).toEqual(['shop.localhost', 'other.localhost']);
    const other = both.shares[1]!.port;
    expect((await request(other, { address: LAN, headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    await running.service.call('routes.update', { id: 'other.localhost', route: { host: 'other.localhost', target: backend.url } });
    const one = await status();
    expect(one.shares.map((s) => s.host)).toEqual(['shop.localhost']);
    expect(one.shares[0]!.port).toBe(shop);
    await expect(request(other, { address: LAN })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
