// A browser tab with an open WebSocket (an HMR socket) is closed: the backend sees a clean
// 1001, and Traffic records the WebSocket as closed by the client with that code, not failed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { CHROMIUM_PATH, chromiumMissing } from '../helpers/chromium.js';
import { closeAfter } from '../helpers/cleanup.js';
import { startService } from '../helpers/service.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the WebSocket close test: ${missing}`);
const close = closeAfter();

it.skipIf(missing !== undefined)('closing a tab with an open WebSocket is recorded as closed by the client, code 1001', { timeout: 60_000 }, async () => {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>hmr</title><script>window.ws = new WebSocket(`ws://${location.host}/_hmr`); ws.onopen = () => (document.title = "open");</script>');
  });
  const wss = new WebSocketServer({ server });
  const backendCloses: number[] = [];
  wss.on('connection', (socket) => socket.on('close', (code) => backendCloses.push(code)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close(server, (s) => new Promise((resolve) => {
    for (const client of wss.clients) client.terminate();
    s.close(() => resolve(undefined));
  }));
  const running = close(await startService({ routes: [{ host: 'hmr.localhost', target: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }] }));
  const dir = close(await mkdtemp(path.join(os.tmpdir(), 'portico-ws-close-')), (d) => rm(d, { recursive: true, force: true }));
  const context = close(
    await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      env: { ...process.env, HOME: dir },
    }),
  );
  const page = await context.newPage();
  await page.goto(`http://hmr.localhost:${running.port}/`);
  await page.waitForFunction('document.title === "open"');
  await page.close();

  await vi.waitFor(() => expect(backendCloses).toEqual([1001]), { timeout: 5_000 });
  await vi.waitFor(async () => {
    const exchanges = await running.service.call('traffic.list', undefined);
    const ws = exchanges.find((e) => e.kind === 'websocket');
    expect(ws).toMatchObject({ status: 101, state: 'done', marks: { closed: 'by the client, code 1001' } });
    expect(ws!.error).toBeUndefined();
  }, { timeout: 5_000 });
});
