// The control server's plain-HTTP API, as scripts use it: token, Host and Origin checks,
// route CRUD that reaches the config file and the running engine, HAR out and back in.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request, type Reply } from '../helpers/request.js';
import { startService, TOKEN, type TestService } from '../helpers/service.js';

const closeEach = closeAfter('each');
let running: TestService;
afterEach(() => running?.close());

/** A request to the control server's API. */
function api(method: string, path: string, options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const port = running.control!.port;
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...options.headers };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body) headers['content-type'] = 'application/json';
  return request(port, { method, path, headers, body });
}
const json = (reply: Reply) => JSON.parse(reply.body) as unknown;

describe('control server over HTTP', () => {
  it('refuses a missing or wrong token (401) and a foreign Host or Origin (403)', async () => {
    running = await startService({ routes: [{ host: 'a.localhost', target: 'http://127.0.0.1:9' }] }, { control: true });
    expect((await api('GET', '/api/routes', { token: null })).status).toBe(401);
    expect((await api('GET', '/api/routes', { token: 'b'.repeat(48) })).status).toBe(401);
    expect((await api('GET', '/api/routes', { headers: { host: 'evil.com' } })).status).toBe(403);
    // DNS rebinding: a page on evil.com whose name now points at 127.0.0.1.
    expect((await api('GET', '/api/routes', { headers: { host: `evil.com:${running.control!.port}` } })).status).toBe(403);
    expect((await api('GET', '/api/routes', { headers: { origin: 'http://evil.com' } })).status).toBe(403);
    const ok = await api('GET', '/api/routes', { headers: { origin: `http://localhost:${running.control!.port}` } });
    expect(ok.status).toBe(200);
    expect(json(ok)).toEqual([expect.objectContaining({ host: 'a.localhost', id: 'a.localhost' })]);
  });

  it('creates, updates and deletes routes: saved to the file, in force at once', async () => {
    const one = closeEach(await startBackend('one'));
    const two = closeEach(await startBackend('two'));
    running = await startService({ routes: [] }, { control: true });

    const created = await api('POST', '/api/routes', { body: { host: 'shop.localhost', target: one.url } });
    expect(created.status).toBe(201);
    const { id } = json(created) as { id: string };
    expect((await request(running.port, { host: 'shop.localhost' })).body).toBe('one');
    expect(JSON.parse(await readFile(running.configFile, 'utf8')).routes).toEqual([expect.objectContaining({ id, host: 'shop.localhost' })]);

    const updated = await api('PUT', `/api/routes/${id}`, { body: { host: 'shop.localhost', target: two.url } });
    expect(updated.status).toBe(200);
    expect((await request(running.port, { host: 'shop.localhost' })).body).toBe('two');

    expect((await api('DELETE', `/api/routes/${id}`)).status).toBe(200);
    expect((await request(running.port, { host: 'shop.localhost' })).status).toBe(404);
    expect(JSON.parse(await readFile(running.configFile, 'utf8')).routes).toEqual([]);
    expect((await api('DELETE', `/api/routes/${id}`)).status).toBe(404);
  });

  it('answers an invalid route with 400 and the field problems, and changes nothing', async () => {
    running = await startService({ routes: [] }, { control: true });
    const before = await readFile(running.configFile, 'utf8');
    const bad = await api('POST', '/api/routes', { body: { host: 'http://shop.localhost', target: 'ftp://x' } });
    expect(bad.status).toBe(400);
    const { issues } = json(bad) as { issues: string[] };
    expect(issues.join('\n')).toContain('host');
    expect(issues.join('\n')).toContain('target');
    expect((await api('POST', '/api/routes', { body: 'not json at all', headers: {} })).status).toBe(400);
    expect(await readFile(running.configFile, 'utf8')).toBe(before);
  });

  it('exports the traffic as HAR 1.2 that names the requests, and imports it back', async () => {
    const app = closeEach(await startBackend('hello'));
    running = await startService({ routes: [{ host: 'app.localhost', target: app.url }] }, { control: true });
    await request(running.port, { host: 'app.localhost', path: '/first?x=1' });
    await request(running.port, { host: 'app.localhost', path: '/second', method: 'POST', body: 'payload' });

    const har = await api('GET', '/api/traffic.har');
    expect(har.status).toBe(200);
    expect(har.headers['content-disposition']).toContain('portico-traffic.har');
    const doc = json(har) as {
      log: { version: string; entries: { request: { url: string; method: string }; response: { status: number; content: { text?: string } } }[] };
    };
    expect(doc.log.version).toBe('1.2');
    expect(doc.log.entries.map((e) => `${e.request.method} ${e.request.url}`)).toEqual([
      `GET http://app.localhost/first?x=1`,
      `POST http://app.localhost/second`,
    ]);
    expect(doc.log.entries[0]!.response.status).toBe(200);
    expect(doc.log.entries[0]!.response.content.text).toBe('hello');

    const cleared = await api('POST', '/api/commands/traffic.clear');
    expect(json(cleared)).toEqual({ cleared: 2 });
    const imported = await api('POST', '/api/commands/traffic.importHar', { body: doc });
    expect(json(imported)).toEqual({ imported: 2 });
    const list = json(await api('POST', '/api/commands/traffic.list')) as { url: string; marks: Record<string, string> }[];
    expect(list.map((x) => x.url)).toEqual(['/first?x=1', '/second']);
    expect(list[0]!.marks.imported).toBe('HAR');
  });

  it('serves the built UI at / with a content security policy', async () => {
    running = await startService({ routes: [] }, { control: true });
    const page = await api('GET', '/', { token: null });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await api('GET', '/../package.json', { token: null })).status).toBe(404);
  });
});
