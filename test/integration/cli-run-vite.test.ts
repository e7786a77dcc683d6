// The real Vite dev server behind `portico run`: a fresh project whose dev script is "vite"
// gets its port flags, is reached by name over HTTPS with its HMR WebSocket, and its route
// goes when Vite stops.
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';
import { WebSocket } from 'ws';
import { devLookup, httpsRequest } from '../helpers/tls.js';
import { killPid, portico, runDataDir, startRun } from '../helpers/portico-run.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
const closeEach = closeAfter('each');
let dataDir: string;
let site: string;

beforeAll(async () => {
  dataDir = await runDataDir();
  site = join(dataDir, 'projects', 'vite-site');
  await mkdir(site, { recursive: true });
  await writeFile(join(site, 'package.json'), JSON.stringify({ name: 'vite-site', private: true, scripts: { dev: 'vite' } }));
  await writeFile(join(site, 'index.html'), '<!doctype html><title>vite site</title><h1>Hello from Vite</h1>\n');
  // Vite from the repository's devDependencies: no network needed.
  await symlink(NODE_MODULES, join(site, 'node_modules'), 'dir');
});
afterAll(async () => {
  portico(['stop', '--data-dir', dataDir]);
  await rm(dataDir, { recursive: true, force: true });
});

it('runs "vite" with its port flags, serves it by name over HTTPS with HMR, and drops the route when Vite stops', async () => {
  const run = startRun([], { cwd: site, dataDir });
  closeEach(run, (r) => killPid(r.child.pid));
  const { https, http } = await run.urls;
  expect(https.hostname).toBe('vite-site.localhost');
  expect(run.stdout()).toMatch(/vite told --port \d+/);
  await run.printed('ready in');
  const ca = await readFile(join(dataDir, 'ca', 'root.pem'), 'utf8');

  const page = await httpsRequest(Number(https.port), { host: https.hostname, ca });
  expect(page.status).toBe(200);
  expect(page.body).toContain('Hello from Vite');
  expect(page.body).toContain('/@vite/client');

  // The HMR socket, as Vite's client opens it: same host, its token, the vite-hmr protocol.
  const client = await httpsRequest(Number(https.port), { host: https.hostname, ca, path: '/@vite/client' });
  const token = /const wsToken = "([^"]+)"/.exec(client.body)?.[1];
  expect(token).toBeDefined();
  const ws = await openWssProtocol(Number(https.port), https.hostname, ca, `/?token=${token}`);
  const first = await new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
  expect(JSON.parse(first)).toMatchObject({ type: 'connected' });
  ws.close();

  run.child.kill('SIGINT');
  await run.exited;
  expect((await request(Number(http.port), { host: http.host, headers: { accept: 'application/json' } })).status).toBe(404);
});

/** A wss:// client with Vite's subprotocol, trusting only `ca`. */
function openWssProtocol(port: number, host: string, ca: string, path: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://${host}:${port}${path}`, 'vite-hmr', { ca, rejectUnauthorized: true, lookup: devLookup });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`unexpected response ${res.statusCode}`)));
    ws.once('error', reject);
  });
}
