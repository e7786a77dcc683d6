// Nothing a client, a web page or a backend sends may end the process. Each test runs the
// built Portico in a child process and checks it is still alive and serving afterwards.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromiumMissing, loadInChromium } from '../helpers/chromium.js';
import { rawRequest } from '../helpers/rawRequest.js';
import { request } from '../helpers/request.js';

const MAIN = fileURLToPath(new URL('../../out/proxy-core/cli/main.js', import.meta.url));
const CRASH_CHILD = fileURLToPath(new URL('../helpers/crash-child.mjs', import.meta.url));

interface Running {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
}

function watch(child: ChildProcessWithoutNullStreams): Running {
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { child, stderr: () => stderr };
}

const alive = (running: Running) => running.child.exitCode === null && running.child.signalCode === null;

describe('the control server and malformed percent-encoding', () => {
  let dataDir: string;
  let serve: Running;
  let controlPort: number;
  let token: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'portico-security-process-'));
    const child = spawn(process.execPath, [MAIN, 'serve', '--data-dir', dataDir, '--http-port', '0', '--https-port', '0', '--control-port', '0']);
    serve = watch(child);
    let out = '';
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('Press Ctrl+C')) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${serve.stderr()}`)));
    });
    controlPort = Number(/^UI +http:\/\/127\.0\.0\.1:(\d+)\//m.exec(banner)![1]);
    token = (await readFile(join(dataDir, 'control-token'), 'utf8')).trim();
  });
  afterAll(async () => {
    serve?.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  const api = () => request(controlPort, { path: '/api/routes', host: `127.0.0.1:${controlPort}`, headers: { authorization: `Bearer ${token}` } });

  it.each(['/%', '/%zz', '/api%', '/assets/%C0', '/%E0%A4%A'])('GET %s (no token) is a 400, and the process goes on serving', async (path) => {
    const reply = await rawRequest(controlPort, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${controlPort}\r\nConnection: close\r\n\r\n`);
    expect(reply.status).toBe(400);
    expect((await api()).status).toBe(200);
    expect(alive(serve)).toBe(true);
  });

  it('a malformed route id in the API is a 404, not a crash', async () => {
    const reply = await request(controlPort, {
      method: 'DELETE',
      path: '/api/routes/%E0%A4%A',
      host: `127.0.0.1:${controlPort}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(404);
    expect((await api()).status).toBe(200);
  });

  it.skipIf(chromiumMissing() !== undefined)('a web page on another origin that loads http://127.0.0.1:<control>/% cannot end the process', async () => {
    const page = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<!doctype html><title>probe</title><img src="http://127.0.0.1:${controlPort}/%"><img src="http://127.0.0.1:${controlPort}/assets/%C0"><p>probe page</p>`,
      );
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const home = await mkdtemp(join(tmpdir(), 'portico-security-chromium-'));
    try {
      const load = await loadInChromium(home, `http://localhost:${(page.address() as AddressInfo).port}/`);
      expect(load).toMatchObject({ ok: true, status: 200 });
      expect((await api()).status).toBe(200);
      expect(alive(serve)).toBe(true);
    } finally {
      page.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('the last-resort policy', () => {
  let running: Running;
  let port: number;

  beforeAll(async () => {
    const child = spawn(process.execPath, [CRASH_CHILD]);
    running = watch(child);
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`child exited ${code}: ${running.stderr()}`)));
    });
    port = (JSON.parse(first) as { port: number }).port;
  });
  afterAll(() => {
    running?.child.kill('SIGKILL');
  });

  it('a throw inside the request handler answers that request 500, is logged with the request, and the process serves on', async () => {
    const reply = await request(port, { host: 'shop.localhost', path: '/throw-in-handler?x=1' });
    expect(reply.status).toBe(500);
    expect(running.stderr()).toMatch(/internal error on GET shop\.localhost\/throw-in-handler\?x=1.*injected throw in the request handler/);
    expect((await request(port, { host: 'shop.localhost', path: '/after' })).body).toBe('backend /after');
    expect(alive(running)).toBe(true);
  });

  it.each(['/throw-later', '/reject-later'])('an uncaught throw or rejection a request causes later (%s) is logged and the process serves on', async (path) => {
    expect((await request(port, { host: 'shop.localhost', path })).status).toBe(200);
    await vi.waitFor(() => expect(running.stderr()).toMatch(/internal error \((uncaughtException|unhandledRejection)\), still serving: Error: injected/));
    expect((await request(port, { host: 'shop.localhost', path: '/after' })).body).toBe('backend /after');
    expect(alive(running)).toBe(true);
  });
});
