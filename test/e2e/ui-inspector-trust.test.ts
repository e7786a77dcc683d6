// The inspector and the Certificates view as a new user meets them, in Chromium against a
// real `portico serve`: Copy as cURL reproduces the exchange (protocol, compression), a
// throttle's latency is its own timing phase, a replay is marked in the list, the doctor
// lists every problem it counts, and Trust says that running browsers need a restart.
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { connectH2 } from '../helpers/tls.js';
import { openBrowser, ROOT, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';

const run = promisify(execFile);

/** "121 ms" or "2.01 s" as shown in the Timing tab → milliseconds. */
function milliseconds(text: string | null): number {
  const m = /([\d.]+)\s*(ms|s)\b/.exec(text ?? '');
  if (!m) throw new Error(`no duration in "${text}"`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}
const missing = uiTestsMissing();
if (missing) console.warn(`skipping the inspector UI test: ${missing}`);

describe.skipIf(missing !== undefined)('the inspector and the Certificates view', { timeout: 60_000 }, () => {
  let backend: Backend;
  let serve: Serve;
  let browser: Browser;
  const page = () => browser.page;
  const grid = () => page().getByRole('grid', { name: 'Traffic' });
  const detail = () => page().getByRole('region', { name: 'Request details' });

  async function h2Get(urlPath: string, headers: Record<string, string> = {}): Promise<number> {
    const ca = await readFile(path.join(serve.dataDir, 'ca', 'root.pem'), 'utf8');
    const client = await connectH2(serve.httpsPort!, 'shop.localhost', ca);
    try {
      return (await client.request({ ':path': urlPath, ':authority': `shop.localhost:${serve.httpsPort}`, ...headers })).status;
    } finally {
      await client.close();
    }
  }

  beforeAll(async () => {
    backend = await startBackend('shop', (req, res) => {
      req.resume();
      // Streamed (chunked) and long enough to be worth compressing.
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${req.url}\n`.repeat(200)));
    });
    serve = await startServe();
    browser = await openBrowser({ width: 1400 });
    const token = new URL(serve.uiUrl).searchParams.get('token');
    const reply = await fetch(new URL('/api/routes', serve.uiUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ host: 'shop.localhost', target: backend.url, throttle: { latencyMs: 400 }, compression: true }),
    });
    expect(reply.status).toBeLessThan(300);
    await page().goto(serve.uiUrl);
    await page()
      .getByRole('tab', { name: /Traffic/ })
      .click();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await backend?.close();
  });

  it('Copy as cURL asks for HTTP/2 and a compressed answer when the browser did', async () => {
    expect(await h2Get('/curl-me', { 'accept-encoding': 'gzip, br' })).toBe(200);
    await grid().getByRole('row').filter({ hasText: '/curl-me' }).click();
    await detail().getByRole('button', { name: 'Copy as cURL' }).click();
    const copied = await page().evaluate('navigator.clipboard.readText()');
    expect(copied).toMatch(/^curl 'https:\/\/shop\.localhost:\d+\/curl-me' --http2 --compressed /);
  });

  it('shows a throttle’s added latency as its own phase, not as Connect', async () => {
    await detail().getByRole('tab', { name: 'Timing' }).click();
    const throttle = detail().locator('.timing-row').filter({ hasText: 'Throttle (added latency)' });
    await throttle.waitFor();
    const phase = async (label: string) => milliseconds(await detail().locator('.timing-row').filter({ hasText: label }).locator('.timing-ms').textContent());
    const held = await phase('Throttle (added latency)');
    expect(held).toBeGreaterThanOrEqual(400); // the route's latency, held before anything else
    // Connect is the backend's share alone now: no longer the throttle's 400 ms plus its own.
    expect(await phase('Connect')).toBeLessThan(held);
  });

  it('marks a resent exchange as a replay in the list', async () => {
    await detail().getByRole('button', { name: 'Edit and resend' }).click();
    const composer = page().getByRole('dialog', { name: 'Edit and resend' });
    await composer.getByRole('button', { name: 'Send' }).click();
    await composer.getByText('Answered 200.').waitFor();
    await composer.getByRole('button', { name: 'Close' }).click();
    const rows = grid().getByRole('row').filter({ hasText: '/curl-me' });
    await expect.poll(() => rows.count()).toBe(2);
    await detail().getByRole('button', { name: 'Close details' }).click(); // the Marks column shows with the detail closed
    await rows.filter({ hasText: /replay of/ }).waitFor();
  });

  it('the doctor lists as many problems as it counts', async () => {
    await page().getByRole('tab', { name: 'Certificates' }).click();
    await page().getByRole('button', { name: 'Run doctor' }).click();
    const heading = page().getByText(/^(\d+) problems? found:$|^No problems found\.$/);
    await heading.waitFor();
    const count = Number(/^\d+/.exec((await heading.textContent()) ?? '')?.[0] ?? 0);
    expect(count).toBeGreaterThan(0); // the sandbox's system store does not trust the root
    expect(await page().getByRole('list', { name: 'Problems' }).getByRole('listitem').count()).toBe(count);
  });

  it('after Trust, says a running browser keeps refusing until restarted, and how to test in a fresh profile', async (ctx) => {
    const nssdb = path.join(serve.dataDir, 'home', '.pki', 'nssdb');
    await mkdir(nssdb, { recursive: true });
    const made = await run('certutil', ['-N', '--empty-password', '-d', `sql:${nssdb}`]).catch(() => undefined);
    if (!made) return ctx.skip(); // no certutil (libnss3-tools) on this machine
    // The view looks for stores when it opens: leave it and come back.
    await page().getByRole('tab', { name: 'Routes' }).click();
    await page().getByRole('tab', { name: 'Certificates' }).click();
    const row = page().locator('tr[data-store="nss-chrome"]');
    await row.getByRole('button', { name: 'Trust', exact: true }).click();
    await row.getByRole('button', { name: 'Untrust' }).waitFor();
    await page()
      .getByText(/already running keeps rejecting Portico.s certificate until you quit and reopen it/)
      .waitFor();
    await page().getByText('chromium --user-data-dir="$(mktemp -d)" https://your-app.localhost/').waitFor();
  });

  it('a new tab without the token says how to get the address back, and its controls stay inert', async () => {
    const tab = await browser.context.newPage(); // sessionStorage is per tab: no token here
    try {
      await tab.goto(new URL('/', serve.uiUrl).href);
      await tab
        .getByRole('alert')
        .filter({ hasText: 'No access token' })
        .getByText(/Run `portico ui` in a terminal/)
        .waitFor();
      expect(await tab.locator('.nav').getAttribute('inert')).not.toBeNull();
      // Inert: no click or key reaches the page's controls until it is connected.
      const addRoute = tab.getByRole('button', { name: 'Add route', exact: true }).first();
      expect(await addRoute.evaluate((el: { closest(selector: string): unknown }) => el.closest('[inert]') !== null)).toBe(true);
    } finally {
      await tab.close();
    }
  });

  it('portico ui prints the running UI address with its token', async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'out/proxy-core/cli/main.js'), 'ui', '--data-dir', serve.dataDir]);
    expect(stdout.trim()).toBe(serve.uiUrl);
  });

  it('shows the headers as the client got them by default, and as the backend answered on a toggle', async () => {
    expect(await h2Get('/headers-seen', { 'accept-encoding': 'gzip' })).toBe(200);
    await page()
      .getByRole('tab', { name: /Traffic/ })
      .click();
    await grid().getByRole('row').filter({ hasText: '/headers-seen' }).first().click();
    await detail().getByRole('tab', { name: 'Headers' }).click();
    const names = async (region: string) =>
      (await detail().getByRole('region', { name: region }).locator('dt').allTextContents()).map((name) => name.toLowerCase());
    // To the browser over HTTP/2: Portico's compression header, no HTTP/1 hop-by-hop headers.
    const toClient = await names('Response headers (as sent to the client)');
    expect(toClient).toContain('content-encoding');
    expect(toClient).not.toContain('connection');
    expect(toClient).not.toContain('keep-alive');
    expect(toClient).not.toContain('transfer-encoding');
    await detail().getByRole('radio', { name: 'As the backend answered' }).check();
    const fromBackend = await names('Response headers (as the backend answered)');
    expect(fromBackend).not.toContain('content-encoding');
    expect(fromBackend).toContain('connection');
    // The request as it went on: Portico's forwarding headers are there.
    expect(await names('Request headers (as sent to the backend)')).toContain('x-forwarded-for');
  });

  it('logged no console errors and no CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
