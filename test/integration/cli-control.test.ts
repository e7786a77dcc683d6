// The control service as a user meets it: `portico serve
// --control-port` prints a UI URL with a token; the API wants that token; HAR has the traffic.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';

const MAIN = fileURLToPath(new URL('../../out/proxy-core/cli/main.js', import.meta.url));
const closeEach = closeAfter('each');
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portico-cli-control-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

it('serve --control-port: UI URL with the token, 401 without it, routes and HAR with it', async () => {
  const app = closeEach(await startBackend('hello'));
  const child = spawn(process.execPath, [
    MAIN,
    'serve',
    '--data-dir',
    dataDir,
    '--http-port',
    '0',
    '--https-port',
    '0',
    '--control-port',
    '0',
    '--route',
    `app.localhost=${app.url}`,
  ]);
  closeEach(child, (c) => c.kill('SIGKILL'));
  let out = '';
  const banner = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Press Ctrl+C')) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  const ui = /^UI +(http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+))$/m.exec(banner);
  expect(ui, banner).not.toBeNull();
  const [, , controlPort, printedToken] = ui!;
  const token = (await readFile(join(dataDir, 'control-token'), 'utf8')).trim();
  expect(printedToken).toBe(token);
  expect((await stat(join(dataDir, 'control-token'))).mode & 0o777).toBe(0o600);
  const proxyPort = Number(/^HTTP +http:\/\/127\.0\.0\.1:(\d+)$/m.exec(banner)![1]);

  const api = (path: string, auth?: string) =>
    request(Number(controlPort), { path, host: `127.0.0.1:${controlPort}`, headers: auth ? { authorization: auth } : {} });
  expect((await api('/api/routes')).status).toBe(401);
  const routes = await api('/api/routes', `Bearer ${token}`);
  expect(routes.status).toBe(200);
  expect(JSON.parse(routes.body)).toEqual([expect.objectContaining({ host: 'app.localhost', target: app.url })]);

  for (const path of ['/a', '/b', '/c']) await request(proxyPort, { host: 'app.localhost', path });
  const har = JSON.parse((await api('/api/traffic.har', `Bearer ${token}`)).body) as { log: { version: string; entries: { request: { url: string } }[] } };
  expect(har.log.version).toBe('1.2');
  expect(har.log.entries.map((e) => e.request.url)).toEqual(['/a', '/b', '/c'].map((p) => `http://app.localhost${p}`));
});
