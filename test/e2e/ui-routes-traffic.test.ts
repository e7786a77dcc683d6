// The issue's UI test, end to end: Debian's Chromium on `portico serve`'s UI, a real engine
// and a real backend. Add a route through the form, send real requests, see the rows
// within a second, open one and read its headers and JSON body, filter, export HAR, switch
// the route off and get the 404 — with no console errors and no CSP violations.
// Screenshots of every view go to test-results/ui/ (artifacts, not asserted).
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';
import { openBrowser, ROOT, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';

const run = promisify(execFile);

const missing = uiTestsMissing();
if (missing) console.warn(`skipping the UI end-to-end test: ${missing}`);

const SHOTS = path.join(ROOT, 'test-results', 'ui');

/** A 1×1 PNG, for an image row in the README screenshot. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A few kinds of answers, so the screenshots show a realistic list. */
function showcase(url: string, res: import('node:http').ServerResponse): boolean {
  if (url.startsWith('/static/')) res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' }).end(PNG);
  else if (url === '/old-cart') res.writeHead(302, { location: '/cart' }).end();
  else if (url === '/api/checkout') res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"payment service unavailable"}');
  else if (url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Shop</title><h1>Shop</h1>');
  else if (url === '/assets/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end('console.log("shop");'.repeat(200));
  else return false;
  return true;
}

describe.skipIf(missing !== undefined)('the UI against portico serve', { timeout: 60_000 }, () => {
  let backend: Backend;
  let serve: Serve;
  let browser: Browser;
  const page = () => browser.page;
  const shot = (name: string) => page().screenshot({ path: path.join(SHOTS, `${name}.png`) });
  const get = (urlPath: string, host = 'shop.localhost') => request(serve.httpPort, { host, path: urlPath, headers: { accept: 'application/json', 'x-trace': 'ui-test' } });

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    backend = await startBackend('shop', (req, res) => {
      req.resume();
      req.on('end', () => {
        if (showcase(req.url ?? '', res)) return;
        if (req.url === '/page.html') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          return res.end('<!doctype html><html><body class="shop"><h1>Teapots</h1><script>const n = 42;</script></body></html>');
        }
        const body = JSON.stringify({ hello: 'world', path: req.url, items: [{ id: 1, name: 'teapot' }, { id: 2, name: 'kettle' }] });
        res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'shop' });
        res.end(body);
      });
    });
    serve = await startServe();
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await backend?.close();
  });

  it('opens on the routes view with the teaching empty state, and drops the token from the address bar', async () => {
    await page().goto(serve.uiUrl);
    await page().getByText('No routes yet — map shop.localhost to http://localhost:3000').waitFor();
    expect(page().url()).not.toContain('token=');
    await shot('routes-empty');
  });

  it('explains a bad host with the schema message, then adds a route through the form that works at once', async () => {
    await page().getByRole('button', { name: 'Add route', exact: true }).click();
    const dialog = page().getByRole('dialog');
    await dialog.getByLabel('Host', { exact: true }).fill('http://shop.localhost:3000');
    await dialog.getByLabel('Target', { exact: true }).fill('localhost:3000');
    await dialog.getByRole('button', { name: 'Add route' }).click();
    await dialog.getByText('Host must be a bare host name without a scheme or a port').waitFor();
    await dialog.getByText('write "http://localhost:3000"').waitFor();
    await shot('routes-form-errors');

    await dialog.getByLabel('Host', { exact: true }).fill('shop.localhost');
    await dialog.getByLabel('Path prefix').fill('');
    await dialog.getByLabel('Target', { exact: true }).fill(backend.url);
    await dialog.getByRole('button', { name: 'Add route' }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = page().getByRole('listitem', { name: 'shop.localhost' });
    await card.waitFor();
    await card.getByRole('link', { name: `http://shop.localhost:${serve.httpPort}/`, exact: true }).waitFor();
    if (serve.httpsPort) await card.getByRole('link', { name: `https://shop.localhost:${serve.httpsPort}/`, exact: true }).waitFor();
    const reply = await get('/api/items?page=1');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ hello: 'world' });
  });

  it('refuses a second route for the same host, in words about this route, beside the host', async () => {
    await page().getByRole('button', { name: 'Add route', exact: true }).click();
    const dialog = page().getByRole('dialog');
    await dialog.getByLabel('Host', { exact: true }).fill('shop.localhost');
    await dialog.getByLabel('Target', { exact: true }).fill(backend.url);
    await dialog.getByRole('button', { name: 'Add route' }).click();
    await dialog.getByText('shop.localhost already has a route for every path').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await shot('routes');
  });

  it('shows new requests in the traffic list within a second', async () => {
    await page().getByRole('tab', { name: /Traffic/ }).click();
    const grid = page().getByRole('grid', { name: 'Traffic' });
    await grid.waitFor();
    const sent = Date.now();
    await Promise.all([get('/api/items?page=2'), get('/api/users/7'), get('/health', 'nobody.localhost')]);
    await grid.getByRole('row').filter({ hasText: '/api/users/7' }).waitFor({ timeout: 1_000 });
    await grid.getByRole('row').filter({ hasText: '/health' }).waitFor({ timeout: 1_000 });
    expect(Date.now() - sent).toBeLessThan(1_000);
  });

  it('opens a row and shows its headers and its JSON body', async () => {
    const grid = page().getByRole('grid', { name: 'Traffic' });
    await grid.getByRole('row').filter({ hasText: '/api/items?page=2' }).click();
    const detail = page().getByRole('region', { name: 'Request details' });
    await detail.getByRole('tab', { name: 'Headers' }).click();
    const response = detail.getByRole('region', { name: 'Response headers' });
    await response.getByText('x-backend').waitFor();
    await response.getByText('application/json').waitFor();
    await detail.getByRole('region', { name: 'Request headers' }).getByText('ui-test').waitFor();
    await detail.getByRole('tab', { name: 'Body' }).click();
    const tree = detail.getByRole('tree', { name: 'JSON body' });
    await tree.getByText('"hello":').waitFor();
    await tree.getByText('"world"').waitFor();
    await tree.getByText('"teapot"').waitFor();
    await shot('traffic-detail');
  });

  it('moves the selection with the keyboard and opens it with Enter', async () => {
    const grid = page().getByRole('grid', { name: 'Traffic' });
    await grid.focus();
    await page().keyboard.press('ArrowDown');
    await page().keyboard.press('Enter');
    const selected = grid.locator('[role=row][aria-selected=true]');
    await expect.poll(() => selected.textContent()).toContain('/api/users/7');
    await page().keyboard.press('Escape');
  });

  it('filters by text, by errors only, and resets', async () => {
    const grid = page().getByRole('grid', { name: 'Traffic' });
    const rows = grid.locator('.trow');
    await page().getByLabel('Filter by text in the URL, headers and marks').fill('users');
    await expect.poll(() => rows.count()).toBe(1);
    await page().getByLabel('Filter by text in the URL, headers and marks').fill('');
    await page().getByLabel('Errors only').check();
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain('nobody.localhost');
    await page().getByLabel('Errors only').uncheck();
    await page().getByLabel('Status').selectOption('2');
    await expect.poll(() => rows.count()).toBe(3);
    await page().getByRole('button', { name: 'Reset filters' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    await shot('traffic');
  });

  it('exports the traffic as a HAR download', async () => {
    const [download] = await Promise.all([page().waitForEvent('download'), page().getByRole('button', { name: 'Export HAR', exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/^portico-.*\.har$/);
    const har = JSON.parse(await readFile((await download.path())!, 'utf8')) as { log: { entries: { request: { url: string } }[] } };
    expect(har.log.entries.map((e) => e.request.url)).toContain("http://shop.localhost/api/users/7");
  });

  it('switches the route off: requests get the 404 at once', async () => {
    await page().getByRole('tab', { name: 'Routes' }).click();
    await page().getByRole('switch', { name: 'Serve shop.localhost' }).click();
    await expect.poll(() => page().getByRole('switch', { name: 'Serve shop.localhost' }).getAttribute('aria-checked')).toBe('false');
    await expect.poll(async () => (await get('/api/items')).status, { timeout: 2_000 }).toBe(404);
    await page().getByRole('switch', { name: 'Serve shop.localhost' }).click();
    await expect.poll(async () => (await get('/api/items')).status, { timeout: 2_000 }).toBe(200);
  });

  it('deletes a route with undo', async () => {
    await page().getByRole('button', { name: 'Delete shop.localhost' }).click();
    await page().getByText('Deleted shop.localhost').waitFor();
    await expect.poll(async () => (await get('/')).status).toBe(404);
    await page().getByRole('button', { name: 'Undo' }).click();
    await page().getByRole('listitem', { name: 'shop.localhost' }).waitFor();
    await expect.poll(async () => (await get('/')).status).toBe(200);
  });

  it('trusts the root in a browser database from the Certificates view, and takes it out again', async (ctx) => {
    // The serve under test has HOME in its data dir: this NSS database is the only one it finds.
    const nssdb = path.join(serve.dataDir, 'home', '.pki', 'nssdb');
    await mkdir(nssdb, { recursive: true });
    const made = await run('certutil', ['-N', '--empty-password', '-d', `sql:${nssdb}`]).catch(() => undefined);
    if (!made) return ctx.skip(); // no certutil (libnss3-tools) on this machine
    const listed = async () => (await run('certutil', ['-L', '-d', `sql:${nssdb}`])).stdout.includes('Portico Development CA');

    await page().getByRole('tab', { name: 'Certificates' }).click();
    const row = page().locator('tr[data-store="nss-chrome"]');
    await row.getByText('not trusted').waitFor();
    await row.getByRole('button', { name: 'Trust', exact: true }).click();
    await row.getByRole('button', { name: 'Untrust' }).waitFor();
    expect(await listed()).toBe(true);
    await page().getByRole('button', { name: 'Run doctor' }).click();
    await page().getByText(/Chrome\/Chromium: trusts it/).waitFor();
    await row.getByRole('button', { name: 'Untrust' }).click();
    await row.getByRole('button', { name: 'Trust', exact: true }).waitFor();
    expect(await listed()).toBe(false);
  });

  it('shows the CA and the settings', async () => {
    await page().getByRole('tab', { name: 'Certificates' }).click();
    await page().getByText('SHA-256 fingerprint').waitFor();
    await page().getByText(/export NODE_EXTRA_CA_CERTS=/).waitFor();
    await shot('certificates');
    await page().getByRole('tab', { name: 'Settings' }).click();
    await page().getByText('Data directory').waitFor();
    await page().getByText(serve.dataDir, { exact: true }).waitFor();
    await shot('settings');
    await page().getByLabel('Dark').check();
    await page().getByRole('tab', { name: /Traffic/ }).click();
    await page().getByRole('grid', { name: 'Traffic' }).getByRole('row').filter({ hasText: '/api/users/7' }).click();
    await shot('traffic-dark');
    await page().getByRole('tab', { name: 'Routes' }).click();
    await shot('routes-dark');
  });

  it('takes the README screenshots', async () => {
    const token = new URL(serve.uiUrl).searchParams.get('token');
    const api = (route: object) =>
      fetch(new URL('/api/routes', serve.uiUrl), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(route) });
    await api({ host: 'api.shop.localhost', pathPrefix: '/v1', targets: [backend.url, backend.url.replace('127.0.0.1', 'localhost')] });
    await api({ host: '*.preview.localhost', target: 'http://127.0.0.1:9' });
    await page().getByRole('tab', { name: 'Settings' }).click();
    await page().getByLabel('Light').check();
    await page().getByRole('tab', { name: /Traffic/ }).click();
    await page().getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page().getByRole('grid', { name: 'Traffic' }).locator('.trow').count()).toBe(0);
    for (const [urlPath, host] of [
      ['/', 'shop.localhost'], ['/assets/app.js', 'shop.localhost'], ['/static/logo.png', 'shop.localhost'], ['/v1/products?category=tea', 'api.shop.localhost'],
      ['/v1/cart', 'api.shop.localhost'], ['/old-cart', 'shop.localhost'], ['/api/checkout', 'shop.localhost'], ['/', 'feature-x.preview.localhost'],
      ['/v1/products/42', 'api.shop.localhost'], ['/favicon.ico', 'nobody.localhost'],
    ] as const) {
      await get(urlPath, host);
    }
    await request(serve.httpPort, { host: 'api.shop.localhost', path: '/v1/cart', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"product":42,"qty":1}' });
    const grid = page().getByRole('grid', { name: 'Traffic' });
    await expect.poll(() => grid.locator('.trow').count()).toBe(11);
    await shot('readme-traffic');
    await grid.getByRole('row').filter({ hasText: '/v1/products?category=tea' }).click();
    await page().getByRole('region', { name: 'Request details' }).getByRole('tab', { name: 'Body' }).click();
    await page().getByRole('tree', { name: 'JSON body' }).waitFor();
    await shot('readme-traffic-detail');
    await page().getByRole('tab', { name: 'Routes' }).click();
    await page().getByRole('listitem', { name: '*.preview.localhost' }).getByText(/Nothing is listening/).waitFor();
    await shot('readme-routes');
  });

  it('highlights an HTML body', async () => {
    await get('/page.html');
    await page().getByRole('tab', { name: /Traffic/ }).click();
    const grid = page().getByRole('grid', { name: 'Traffic' });
    await grid.getByRole('row').filter({ hasText: '/page.html' }).click();
    const detail = page().getByRole('region', { name: 'Request details' });
    await detail.getByRole('tab', { name: 'Body' }).click();
    const code = detail.locator('pre.hljs[data-language="xml"]');
    await code.waitFor();
    expect(await code.locator('.hljs-tag').count()).toBeGreaterThan(3);
    expect(await code.textContent()).toContain('<h1>Teapots</h1>');
  });

  it('logged no console errors and no CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });

  // Last: it stops the server (and the failed reconnects log console errors of their own).
  it('says so when Portico goes away, and keeps retrying', async () => {
    await serve.close();
    await page().getByText('Disconnected from Portico — retrying…').waitFor({ timeout: 5_000 });
  });
});
