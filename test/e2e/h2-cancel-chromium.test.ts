// Chromium over HTTP/2 to Portico: every way a browser gives up on a request (an aborted
// fetch, a closed EventSource, a closed page, a cancelled download) frees the request at
// the backend. Asserted on the backend: its response closes.
import type http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { CHROMIUM_PATH, chromiumMissing } from '../helpers/chromium.js';
import { startHttpsEngine, type HttpsEngine } from '../helpers/tls.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the HTTP/2 cancellation test: ${missing}`);

const HOST = 'cancel.localhost';

describe.skipIf(missing !== undefined)('Chromium over HTTP/2: a request the browser gives up frees the backend', { timeout: 60_000 }, () => {
  let dir: string;
  let backend: Backend;
  let proxy: HttpsEngine;
  let context: BrowserContext;
  let origin: string;
  const open = new Map<string, http.IncomingMessage>();
  const closed = new Set<string>();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'portico-h2-cancel-'));
    backend = await startBackend('hold', (req, res) => {
      req.resume();
      const url = req.url ?? '/';
      if (!url.startsWith('/hold')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>ok</title><p>ok</p>');
        return;
      }
      open.set(url, req);
      res.on('close', () => {
        open.delete(url);
        closed.add(url);
      });
      if (url.includes('download')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="big.bin"' });
        res.write(Buffer.alloc(64 * 1024));
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        res.write('data: hello\n\n');
      }
    });
    proxy = await startHttpsEngine(dir, [{ host: HOST, target: backend.url }]);
    origin = `https://${HOST}:${proxy.httpsPort}`;
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      ignoreHTTPSErrors: true, // trust itself is tested elsewhere; this is about HTTP/2
      acceptDownloads: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      env: { ...process.env, HOME: dir },
    });
  });

  afterAll(async () => {
    await context?.close();
    await proxy?.close();
    await backend?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function page(): Promise<Page> {
    const p = await context.newPage();
    await p.goto(`${origin}/`);
    expect(await p.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol")).toBe('h2');
    return p;
  }

  const heldAtBackend = (url: string) => vi.waitFor(() => expect(open.has(url)).toBe(true), { timeout: 5_000 });
  // The backend sees the close within a second of the browser giving up.
  const freedAtBackend = (url: string) => vi.waitFor(() => expect(closed.has(url)).toBe(true), { timeout: 1_000 });

  it('AbortController.abort() on a fetch', async () => {
    const p = await page();
    await p.evaluate(`{
      const controller = new AbortController();
      window.stopFetch = () => controller.abort();
      fetch('/hold/fetch', { signal: controller.signal }).then((r) => r.body.getReader().read()).catch(() => {});
    }`);
    await heldAtBackend('/hold/fetch');
    await p.evaluate('window.stopFetch()');
    await freedAtBackend('/hold/fetch');
    await p.close();
  });

  it('EventSource.close()', async () => {
    const p = await page();
    await p.evaluate(`new Promise((resolve) => {
      window.source = new EventSource('/hold/events');
      window.source.onmessage = () => resolve();
    })`);
    await heldAtBackend('/hold/events');
    await p.evaluate('window.source.close()');
    await freedAtBackend('/hold/events');
    await p.close();
  });

  it('closing the page', async () => {
    const p = await page();
    await p.evaluate("void fetch('/hold/page').then((r) => r.body.getReader().read())");
    await heldAtBackend('/hold/page');
    await p.close();
    await freedAtBackend('/hold/page');
  });

  it('cancelling a download', async () => {
    const p = await page();
    const download = p.waitForEvent('download');
    await p.evaluate(`{
      const a = document.createElement('a');
      a.href = '/hold/download';
      a.download = 'big.bin';
      document.body.append(a);
      a.click();
    }`);
    await heldAtBackend('/hold/download');
    await (await download).cancel();
    await freedAtBackend('/hold/download');
    await p.close();
  });
});
