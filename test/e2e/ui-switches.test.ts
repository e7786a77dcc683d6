// The per-route switches end to end: Debian's Chromium on `portico serve`'s UI, a real
// engine and a real backend. Compression switched on in the form makes real responses
// come back encoded and the card count the bytes saved; the cache gives a HIT and a hit
// ratio; purging from the UI makes the next request a MISS; Settings' defaults reach a
// route without its own switch; a pause in one window shows in another; a deleted
// run-only route comes back run-only. Screenshots go to test-results/ui/ (docs/screenshots/
// routes.png is readme-routes-switches.png).
import http from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { dismissToasts, openBrowser, ROOT, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';

const missing = uiTestsMissing();
if (missing) console.warn(`skipping the UI switches end-to-end test: ${missing}`);

const SHOTS = path.join(ROOT, 'test-results', 'ui');
const PAGE = Buffer.from('<li>a teapot, a kettle, a cup</li>\n'.repeat(400));

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it came over the wire (still encoded). */
  wire: Buffer;
}

function get(port: number, host: string, urlPath = '/page'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { host, 'accept-encoding': 'br, gzip' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, wire: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

describe.skipIf(missing !== undefined)('the per-route switches in the UI', { timeout: 60_000 }, () => {
  let backend: Backend;
  let serve: Serve;
  let browser: Browser;
  let backendHits = 0;
  const page = () => browser.page;
  const shot = (name: string) => page().screenshot({ path: path.join(SHOTS, `${name}.png`) });
  const send = (host: string, urlPath?: string) => get(serve.httpPort, host, urlPath);
  const card = (name: string) => page().getByRole('listitem', { name, exact: true });
  const command = async (name: string, body?: unknown) => {
    const token = new URL(serve.uiUrl).searchParams.get('token');
    const reply = await fetch(new URL(`/api/commands/${name}`, serve.uiUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return (await reply.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    backend = await startBackend('shop', (req, res) => {
      req.resume();
      backendHits++;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': PAGE.length, 'cache-control': 'max-age=300' });
      res.end(PAGE);
    });
    serve = await startServe(['--route', `run.localhost=${backend.url}`]);
    browser = await openBrowser();
    await page().goto(serve.uiUrl);
    await card('run.localhost').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await backend?.close();
  });

  it('adds a route with compression on: real responses come back encoded and the card shows the bytes saved', async () => {
    await page().getByRole('button', { name: 'Add route', exact: true }).click();
    const dialog = page().getByRole('dialog');
    await dialog.getByLabel('Host', { exact: true }).fill('shop.localhost');
    await dialog.getByLabel('Target', { exact: true }).fill(backend.url);
    // The schema's own words for a bad option, from the form's check.
    await dialog.getByLabel('Compression').selectOption('on');
    await dialog.getByLabel('Minimum size (bytes)').fill('');
    await dialog.getByLabel('Minimum size (bytes)').press('Enter');
    await dialog.getByText('Minimum size must be a number of bytes, such as 1024').waitFor();
    await dialog.getByLabel('Minimum size (bytes)').fill('1024');
    await shot('switches-form');
    await dialog.getByLabel('Minimum size (bytes)').press('Enter');
    await dialog.waitFor({ state: 'detached' });

    const reply = await send('shop.localhost');
    expect(reply.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(reply.wire).equals(PAGE)).toBe(true);
    const saved = PAGE.length - reply.wire.length;
    await card('shop.localhost')
      .getByText(/KiB saved \(−\d+%\)/)
      .waitFor();
    expect(saved).toBeGreaterThan(PAGE.length / 2);
  });

  it('switches the cache on in the edit form: the second request is a HIT and the card shows the hit ratio', async () => {
    await page().getByRole('button', { name: 'Edit shop.localhost' }).click();
    const dialog = page().getByRole('dialog');
    await dialog.getByLabel('Cache', { exact: true }).selectOption('on');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card('shop.localhost').getByText('no lookups yet').waitFor();

    const hitsBefore = backendHits;
    expect((await send('shop.localhost')).headers['x-cache']).toBe('MISS');
    const second = await send('shop.localhost');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.headers['content-encoding']).toBe('br'); // compressed on the way out of the cache too
    expect(backendHits).toBe(hitsBefore + 1);
    await card('shop.localhost')
      .getByText(`50% hits (1 of 2), ${(PAGE.length / 1024).toFixed(0)} KiB from cache`)
      .waitFor();
  });

  it('purges the route from its card, then one URL from the traffic detail: the next request is a MISS each time', async () => {
    await page().getByRole('button', { name: 'Purge the cache of shop.localhost' }).click();
    await page().getByText('Purged 1 stored response of shop.localhost').waitFor();
    expect((await send('shop.localhost')).headers['x-cache']).toBe('MISS');

    expect((await send('shop.localhost', '/other')).headers['x-cache']).toBe('MISS');
    expect((await send('shop.localhost', '/other')).headers['x-cache']).toBe('HIT');
    await page()
      .getByRole('tab', { name: /Traffic/ })
      .click();
    await page().getByRole('grid', { name: 'Traffic' }).getByRole('row').filter({ hasText: '/other' }).first().click();
    await page().getByRole('button', { name: 'Purge URL from cache' }).click();
    await page().getByText('Purged 1 stored response of /other').waitFor();
    expect((await send('shop.localhost', '/other')).headers['x-cache']).toBe('MISS');
    expect((await send('shop.localhost')).headers['x-cache']).toBe('HIT'); // the other URL stayed

    await page().getByRole('tab', { name: 'Routes' }).click();
    await page().getByRole('button', { name: 'Purge cache', exact: true }).click();
    await page().getByText('Purged 2 stored responses of every route').waitFor();
  });

  it('sets the defaults in Settings: a route without its own switch follows them', async () => {
    await command('routes.create', { id: 'plain', host: 'plain.localhost', target: backend.url });
    expect((await send('plain.localhost')).headers['content-encoding']).toBeUndefined();
    await page().getByRole('tab', { name: 'Settings' }).click();
    const section = page().getByRole('region', { name: 'Route defaults' });
    await section.getByLabel('Compression').selectOption('on');
    await section.getByRole('checkbox', { name: 'br' }).uncheck();
    await section.getByRole('button', { name: 'Save defaults' }).click();
    await page().getByText('Route defaults saved').waitFor();

    const reply = await send('plain.localhost');
    expect(reply.headers['content-encoding']).toBe('gzip'); // br is off in the defaults
    expect(zlib.gunzipSync(reply.wire).equals(PAGE)).toBe(true);
    expect((await send('shop.localhost')).headers['content-encoding']).toBe('br'); // its own switch wins
    await page().getByRole('tab', { name: 'Routes' }).click();
    await card('plain.localhost').getByText('(default)').waitFor();
    await card('plain.localhost')
      .getByText(/saved \(−\d+%\)/)
      .waitFor();
  });

  it('shows each target’s health on the card, with the last error of one that is down', async () => {
    await command('routes.create', { id: 'pool', host: 'api.shop.localhost', targets: [backend.url, 'http://127.0.0.1:9'], cache: true, compression: true });
    const targets = card('api.shop.localhost').getByRole('list', { name: 'Targets of api.shop.localhost' });
    await targets.getByRole('listitem').nth(1).waitFor();
    await send('api.shop.localhost');
    await send('api.shop.localhost', '/two');
    await targets.getByText(/Nothing is listening on 127\.0\.0\.1:9/).waitFor();
    await expect.poll(() => targets.getByRole('listitem').first().textContent()).toContain(': up');
    await shot('switches-routes');
  });

  it('shows a pause made in one window in another', async () => {
    const other = await browser.context.newPage();
    try {
      await other.goto(serve.uiUrl);
      await other.getByRole('tab', { name: /Traffic/ }).click();
      await other.getByRole('button', { name: 'Pause capture' }).waitFor();
      await page()
        .getByRole('tab', { name: /Traffic/ })
        .click();
      await page().getByRole('button', { name: 'Pause capture' }).click();
      await other.getByRole('button', { name: 'Resume capture' }).waitFor({ timeout: 2_000 });
      await page().getByRole('button', { name: 'Resume capture' }).click();
      await other.getByRole('button', { name: 'Pause capture' }).waitFor({ timeout: 2_000 });
    } finally {
      await other.close();
    }
  });

  it('deletes a run-only route and undoes it: back as run-only, never written to the config file', async () => {
    const status = (await command('status')) as { configFile: string };
    await page().getByRole('tab', { name: 'Routes' }).click();
    await page().getByRole('button', { name: 'Delete run.localhost' }).click();
    await page().getByText('Deleted run.localhost').waitFor();
    expect((await send('run.localhost')).status).toBe(404);
    await page().getByRole('button', { name: 'Undo' }).click();
    await card('run.localhost').getByText('this run only').waitFor();
    expect((await send('run.localhost')).status).toBe(200);
    expect(await readFile(status.configFile, 'utf8')).not.toContain('run.localhost');
  });

  it('closes the form with Escape and keeps the route as it was', async () => {
    await page().getByRole('button', { name: 'Edit shop.localhost' }).click();
    const dialog = page().getByRole('dialog');
    await dialog.getByLabel('Cache', { exact: true }).selectOption('off');
    await page().keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await send('shop.localhost')).headers['x-cache']).toBe('HIT');
  });

  it('takes the README screenshot of the routes, where cache HITs do not count as a target answering', async () => {
    const tab = page().getByRole('tab', { name: /Traffic/ });
    const seen = async () => Number((await tab.textContent())?.replace(/\D/g, ''));
    const before = await seen();
    await send('shop.localhost');
    await send('api.shop.localhost');
    await send('api.shop.localhost');
    await expect.poll(seen).toBeGreaterThanOrEqual(before + 3);
    await dismissToasts(page());
    await page().getByRole('tab', { name: 'Routes' }).click();
    await card('api.shop.localhost')
      .getByText(/% hits/)
      .waitFor();
    // HITs answered without asking a target: the one that is down stays down.
    expect(
      await card('api.shop.localhost')
        .getByText(/Nothing is listening on 127\.0\.0\.1:9/)
        .count(),
    ).toBeGreaterThan(0);
    await page().mouse.click(1200, 780); // no focus ring in the picture
    await shot('readme-routes-switches');
  });

  it('logged no console errors and no CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
