// HAR export through the real control server: by default no credential leaves in the file
// (Basic auth, cookies, Portico's LAN token in a URL, a cookie or a Bearer header, an OAuth
// code in a callback URL), with
// `?sensitive=1` everything as captured; the live inspector keeps showing everything.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REDACTED, URL_REDACTED } from '../../proxy-core/capture/har-sanitize.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request, type Reply } from '../helpers/request.js';
import { startService, TOKEN, type TestService } from '../helpers/service.js';

const LAN = '127.0.0.2';
const CREDENTIAL = Buffer.from('ada:correct horse').toString('base64');
const OAUTH_CODE = '4/0AX4XfWh-oauth-code-31337';

interface HarDoc {
  log: {
    comment?: string;
    entries: { request: { url: string; headers: { name: string; value: string }[]; cookies: unknown[] }; response: { cookies: unknown[] } }[];
  };
}

let backend: Backend;
let running: TestService;
let lanToken: string;

/** A request to the control server's API with the bearer token. */
function api(method: string, urlPath: string, body?: unknown): Promise<Reply> {
  const port = running.control!.port;
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return request(port, { method, path: urlPath, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

beforeAll(async () => {
  backend = await startBackend('app', (req, res) => {
    req.resume();
    res.writeHead(200, { 'set-cookie': 'session=backend-secret-42; HttpOnly' }).end('ok');
  });
  running = await startService(
    {
      lan: { enabled: true, address: LAN, port: 0 },
      routes: [
        { host: 'app.localhost', target: backend.url },
        { host: 'shop.localhost', target: backend.url, share: true },
      ],
    },
    { control: true },
  );
  lanToken = (await readFile(path.join(running.dataDir, 'lan-token'), 'utf8')).trim();
  await running.service.call('routes.setPassword', { id: 'app.localhost', user: 'ada', password: 'correct horse' });

  expect((await request(running.port, { host: 'app.localhost', path: '/private', headers: { authorization: `Basic ${CREDENTIAL}` } })).status).toBe(200);
  const lanPort = (await running.service.call('lan.status', undefined)).shares[0]!.port;
  expect((await request(lanPort, { address: LAN, path: `/phone?a=1&portico-token=${lanToken}` })).status).toBe(303);
  expect((await request(lanPort, { address: LAN, path: '/phone?a=1', headers: { cookie: `portico-lan=${lanToken}` } })).status).toBe(200);
  expect((await request(lanPort, { address: LAN, path: '/script', headers: { authorization: `Bearer ${lanToken}` } })).status).toBe(200);
  // An OAuth provider sending the browser back to the dev server with its one-time code.
  const callback = `/callback?code=${encodeURIComponent(OAUTH_CODE)}&state=s1`;
  expect((await request(running.port, { host: 'app.localhost', path: callback, headers: { authorization: `Basic ${CREDENTIAL}` } })).status).toBe(200);
  await vi.waitFor(async () => {
    const done = (await running.service.call('traffic.list', {})).filter((x) => x.state === 'done');
    expect(done).toHaveLength(5);
  });
});
afterAll(async () => {
  await running?.close();
  await backend?.close();
});

describe('GET /api/traffic.har', () => {
  it('by default: header names kept with the placeholder, no credential anywhere in the file text', async () => {
    const reply = await api('GET', '/api/traffic.har');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toContain('portico-traffic.har');
    for (const secret of [CREDENTIAL, lanToken, 'backend-secret-42', encodeURIComponent(OAUTH_CODE), OAUTH_CODE]) {
      expect(reply.body).not.toContain(secret);
    }

    const har = JSON.parse(reply.body) as HarDoc;
    expect(har.log.comment).toMatch(/^Sanitized by Portico/);
    const [basic, link, cookie, bearer] = har.log.entries;
    expect(basic!.request.headers).toContainEqual({ name: 'authorization', value: REDACTED });
    expect(link!.request.url).toMatch(/^http:\/\/[^/]+\/phone\?a=1$/);
    expect(cookie!.request.headers).toContainEqual({ name: 'cookie', value: REDACTED });
    expect(bearer!.request.headers).toContainEqual({ name: 'authorization', value: REDACTED });
    expect(har.log.entries[4]!.request.url).toMatch(new RegExp(`/callback\\?code=${URL_REDACTED}&state=s1$`));
    for (const entry of har.log.entries) {
      expect(entry.request.cookies).toEqual([]);
      expect(entry.response.cookies).toEqual([]);
    }
  });

  it('with ?sensitive=1: the headers, cookies and URLs as captured', async () => {
    const reply = await api('GET', '/api/traffic.har?sensitive=1');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toContain('portico-traffic-sensitive.har');
    const har = JSON.parse(reply.body) as HarDoc;
    expect(har.log.comment).toMatch(/with sensitive data/);
    const [basic, link] = har.log.entries;
    expect(basic!.request.headers).toContainEqual({ name: 'authorization', value: `Basic ${CREDENTIAL}` });
    expect(link!.request.url.endsWith(`/phone?a=1&portico-token=${lanToken}`)).toBe(true);
    expect(reply.body).toContain('backend-secret-42');
    expect(har.log.entries[4]!.request.url).toContain(`code=${encodeURIComponent(OAUTH_CODE)}&state=s1`);
  });

  it('the live inspector still shows the credential; a sanitized export imports back', async () => {
    const [summary] = await running.service.call('traffic.list', {});
    const first = await running.service.call('traffic.get', { id: summary!.id });
    expect(first.requestHeaders).toContainEqual(['authorization', `Basic ${CREDENTIAL}`]);

    const sanitized = JSON.parse((await api('GET', '/api/traffic.har')).body) as HarDoc;
    const imported = await api('POST', '/api/commands/traffic.importHar', sanitized);
    expect(JSON.parse(imported.body)).toEqual({ imported: 5 });
    const last = (await running.service.call('traffic.list', {})).slice(-5);
    const reimported = await running.service.call('traffic.get', { id: last[0]!.id });
    expect(reimported.requestHeaders).toContainEqual(['authorization', REDACTED]);
    expect(reimported.marks['imported']).toBe('HAR');
  });
});
