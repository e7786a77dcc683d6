// The route form's balancing, health check, throttle, header, rewrite, redirect, cache dev
// mode, auth, firewall and sharing switches end to end: Debian's Chromium on `portico serve`'s UI, a real engine
// and real backends. Each test sets a switch in the UI, checks the config the engine now
// runs, sends real requests through the proxy and looks for the switch's mark in the
// card, the answer and the Traffic detail. Screenshots go to test-results/ui/
// (docs/screenshots/route-form-switches.png is readme-route-form.png).
import http from 'node:http';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route, Settings } from '../../proxy-core/contract/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { dismissToasts, openBrowser, ROOT, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';

const missing = uiTestsMissing();
if (missing) console.warn(`skipping the route form switches end-to-end test: ${missing}`);

const SHOTS = path.join(ROOT, 'test-results', 'ui');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(port: number, host: string, urlPath = '/', headers: http.OutgoingHttpHeaders = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { host, ...headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** A backend that says who it is and what path reached it, the way dev servers announce themselves. */
function namedBackend(name: string): Promise<Backend> {
  return startBackend(name, (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', 'x-powered-by': 'Express', 'x-path': req.url ?? '', 'x-backend': name });
    res.end(`${name} ${req.url}`);
  });
}

describe.skipIf(missing !== undefined)('the route form switches in the UI', { timeout: 60_000 }, () => {
  let one: Backend;
  let two: Backend;
  let serve: Serve;
  let browser: Browser;
  const page = () => browser.page;
  const shot = (name: string) => page().screenshot({ path: path.join(SHOTS, `${name}.png`) });
  const send = (host: string, urlPath?: string, headers?: http.OutgoingHttpHeaders) => get(serve.httpPort, host, urlPath, headers);
  const card = (name: string) => page().getByRole('listitem', { name, exact: true });
  const command = async <T = unknown>(name: string, body?: unknown): Promise<T> => {
    const token = new URL(serve.uiUrl).searchParams.get('token');
    const reply = await fetch(new URL(`/api/commands/${name}`, serve.uiUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return (await reply.json()) as T;
  };
  const route = async (host: string) => (await command<Route[]>('routes.list')).find((r) => r.host === host);
  const edit = async (name: string) => {
    await page().getByRole('tab', { name: 'Routes' }).click();
    await page()
      .getByRole('button', { name: `Edit ${name}` })
      .click();
    return page().getByRole('dialog');
  };
  const save = async () => {
    const dialog = page().getByRole('dialog');
    await dialog.getByRole('button', { name: /^(Save|Add route)$/ }).click();
    await dialog.waitFor({ state: 'detached' });
  };
  const filter = () => page().getByLabel('Filter by text in the URL, headers and marks');
  /** Opens the newest exchange whose row shows this text in Traffic, among those the filter lets through. */
  const openExchange = async (text: string, filterText = '') => {
    await page()
      .getByRole('tab', { name: /Traffic/ })
      .click();
    if ((await filter().inputValue()) !== filterText) {
      await filter().fill(filterText);
      await page().waitForTimeout(400); // the field applies what is typed after a 120 ms pause
    }
    await page().getByRole('grid', { name: 'Traffic' }).getByRole('row').filter({ hasText: text }).last().click();
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    [one, two] = await Promise.all([namedBackend('one'), namedBackend('two')]);
    serve = await startServe();
    browser = await openBrowser();
    page().setDefaultTimeout(15_000);
    await page().goto(serve.uiUrl);
    await page().getByRole('button', { name: 'Add route', exact: true }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await one?.close();
    await two?.close();
  });

  it('adds a route with two targets and least-connections: the config has it and the card says "least-connections · 2/2 up"', async () => {
    await page().getByRole('button', { name: 'Add route', exact: true }).click();
    const dialog = page().getByRole('dialog');
    await dialog.getByLabel('Host', { exact: true }).fill('pool.localhost');
    await dialog.getByLabel('Target', { exact: true }).fill(one.url);
    await dialog.getByRole('button', { name: '+ Another target' }).click();
    await dialog.getByRole('textbox', { name: 'Target 2' }).fill(two.url);
    await dialog.getByLabel('Load balancing').selectOption('least-connections');
    await save();

    expect((await route('pool.localhost'))?.balance).toBe('least-connections');
    const answers = new Set<string>();
    for (let i = 0; i < 4; i++) answers.add(String((await send('pool.localhost')).headers['x-backend']));
    expect(answers).toEqual(new Set(['one', 'two']));
    await card('pool.localhost').getByText('least-connections').waitFor();
    await card('pool.localhost').getByText('2/2 up').waitFor();
  });

  it('shows a stopped backend go down with its error, since when, and the route keep answering', async () => {
    const port = two.port;
    await two.close();
    // Every request is answered: the one that meets the dead target is retried on the other.
    for (let i = 0; i < 3; i++) expect((await send('pool.localhost')).headers['x-backend']).toBe('one');
    const targets = card('pool.localhost').getByRole('list', { name: 'Targets of pool.localhost' });
    const dead = targets.getByRole('listitem').filter({ hasText: `127.0.0.1:${port}` });
    await dead.getByText(`Nothing is listening on 127.0.0.1:${port}`).waitFor();
    await dead.getByText(/down since \d\d:\d\d:\d\d/).waitFor();
    expect(await dead.textContent()).toContain(': down');
    await card('pool.localhost').getByText('1/2 up').waitFor();
    // The retry left its mark on the exchange, and the free-text filter finds it.
    await openExchange('pool.localhost', 'retry');
    await page()
      .getByRole('list', { name: 'Marks' })
      .getByText(new RegExp(`127\\.0\\.0\\.1:${port}.*sent to ${one.url}`))
      .waitFor();
    two = await namedBackend('two'); // a fresh one for afterAll (another port)
  });

  it('checks each target at an interval, with the schema’s words for a bad path', async () => {
    const dialog = await edit('pool.localhost');
    await dialog.getByRole('checkbox', { name: /Check each target/ }).check();
    await dialog.getByLabel('Path', { exact: true }).fill('health');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Check path must start with "/" and contain no spaces').waitFor();
    await dialog.getByLabel('Path', { exact: true }).fill('/health');
    await dialog.getByLabel('Every (ms)').fill('500');
    await save();
    expect((await route('pool.localhost'))?.healthCheck).toEqual({ path: '/health', intervalMs: 500, timeoutMs: 2_000, expectStatus: '2xx' });
    await card('pool.localhost').getByText('checks /health', { exact: false }).first().waitFor();
  });

  it('picks "Slow 3G": the card says so and the exchange carries the throttle mark', async () => {
    await command('routes.create', { id: 'slow', host: 'slow.localhost', target: one.url });
    const dialog = await edit('slow.localhost');
    await dialog.getByLabel('Throttle').selectOption('slow-3g');
    await save();
    expect((await route('slow.localhost'))?.throttle).toBe('slow-3g');
    await card('slow.localhost').getByText('Slow 3G').waitFor();
    const started = Date.now();
    expect((await send('slow.localhost', '/slow')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900); // Slow 3G adds 2 s of latency
    await openExchange('/slow');
    await page()
      .getByRole('list', { name: 'Marks' })
      .getByText(/^slow-3g/)
      .waitFor();
  });

  it('sets header rules in rows: the response carries the new header and no longer names the backend', async () => {
    await command('routes.create', { id: 'hdr', host: 'headers.localhost', target: one.url });
    expect((await send('headers.localhost')).headers['x-powered-by']).toBe('Express');
    const dialog = await edit('headers.localhost');
    await dialog.getByLabel('Header rules').selectOption('own');
    await dialog.getByRole('checkbox', { name: /Hide the backend/ }).check();
    await dialog.getByRole('button', { name: '+ Header rule' }).click();
    // The new row's name field has the focus: the rule is typed without the mouse.
    await page().keyboard.type('bad name');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Header rule must be a header name').waitFor();
    await dialog.getByLabel('Rule 1 header name').fill('x-served-by');
    await dialog.getByLabel('Rule 1 value').fill('portico');
    await dialog.getByRole('button', { name: '+ Header rule' }).click();
    await dialog.getByLabel('Rule 2 applies to').selectOption('request');
    await dialog.getByLabel('Rule 2 header name').fill('x-from-portico');
    await dialog.getByLabel('Rule 2 value').fill('yes');
    await save();

    expect((await route('headers.localhost'))?.headers).toEqual({
      hideBackend: true,
      request: { set: { 'x-from-portico': 'yes' } },
      response: { set: { 'x-served-by': 'portico' } },
    });
    const reply = await send('headers.localhost');
    expect(reply.headers['x-served-by']).toBe('portico');
    expect(reply.headers['x-powered-by']).toBeUndefined();
    expect(one.requests.at(-1)?.headers['x-from-portico']).toBe('yes');
    await card('headers.localhost').getByText('hides backend · 2 rules').waitFor();
  });

  it('rewrites the path and redirects: the backend sees the new path, a redirect route answers 302', async () => {
    await command('routes.create', { id: 'rw', host: 'rewrite.localhost', target: one.url });
    let dialog = await edit('rewrite.localhost');
    await dialog.getByLabel('Rewrite path').selectOption('on');
    await dialog.getByLabel('Strip prefix').fill('/api');
    await dialog.getByRole('button', { name: '+ Regex rewrite' }).click();
    await dialog.getByLabel('Regex 1 match').fill('^/old/(.*)$');
    await dialog.getByLabel('Regex 1 replacement').fill('/new/$1');
    await dialog.getByLabel('Add prefix').fill('/v1');
    await save();
    expect((await send('rewrite.localhost', '/api/old/x?q=1')).headers['x-path']).toBe('/v1/new/x?q=1');
    await card('rewrite.localhost').getByText('strip /api · 1 regex · add /v1').waitFor();
    await openExchange('/api/old/x');
    await page().getByRole('list', { name: 'Marks' }).getByText('/v1/new/x?q=1').waitFor();

    await page().getByRole('tab', { name: 'Routes' }).click();
    await page().getByRole('button', { name: 'Add route', exact: true }).click();
    dialog = page().getByRole('dialog');
    await dialog.getByLabel('Host', { exact: true }).fill('old.localhost');
    await dialog.getByLabel('Redirect', { exact: true }).selectOption('on');
    await expect.poll(() => dialog.getByLabel('Target', { exact: true }).count()).toBe(0);
    await dialog.getByLabel('To', { exact: true }).fill('https://new.localhost');
    await dialog.getByRole('checkbox', { name: /Keep the rest of the path/ }).check();
    await save();
    const reply = await send('old.localhost', '/a?b=1');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('https://new.localhost/a?b=1');
    await card('old.localhost').getByText('302 → https://new.localhost…').waitFor();
  });

  it('turns on the cache’s dev mode: a response without caching headers is a HIT the second time', async () => {
    await command('routes.create', { id: 'dev', host: 'dev.localhost', target: one.url, cache: true });
    expect((await send('dev.localhost', '/plain')).headers['x-cache']).toBe('MISS');
    expect((await send('dev.localhost', '/plain')).headers['x-cache']).toBe('MISS');
    const dialog = await edit('dev.localhost');
    await dialog.getByRole('checkbox', { name: /Dev mode/ }).check();
    await dialog.getByLabel('Dev mode seconds').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Dev mode seconds must be a number of seconds').waitFor();
    await dialog.getByLabel('Dev mode seconds').fill('30');
    await save();
    expect((await route('dev.localhost'))?.cache).toEqual({ xCache: true, devSeconds: 30 });
    expect((await send('dev.localhost', '/plain')).headers['x-cache']).toBe('MISS');
    expect((await send('dev.localhost', '/plain')).headers['x-cache']).toBe('HIT');
    await card('dev.localhost').getByText('dev mode 30 s').waitFor();
  });

  it('sets the response cache’s memory, the listener limits and the default throttle in Settings', async () => {
    await page().getByRole('tab', { name: 'Settings' }).click();
    const cache = page().getByRole('region', { name: 'Response cache' });
    await cache.getByLabel('Cache memory (MiB)').fill('32');
    await cache.getByLabel('Largest stored body (MiB)').fill('2');
    await cache.getByRole('button', { name: 'Save cache memory' }).click();
    await page().getByText('Cache memory saved').waitFor();
    const limits = page().getByRole('region', { name: 'Listener limits' });
    await limits.getByLabel('Largest request head (bytes)').fill('100');
    await limits.getByRole('button', { name: 'Save listener limits' }).click();
    await limits.getByText('Largest request head (bytes) must be at least 1024').waitFor();
    await limits.getByLabel('Largest request head (bytes)').fill('32768');
    await limits.getByRole('button', { name: 'Save listener limits' }).click();
    await page().getByText('Listener limits saved: in force after a restart').waitFor();
    const defaults = page().getByRole('region', { name: 'Route defaults' });
    await defaults.getByLabel('Load balancing').selectOption('first-available');
    await defaults.getByLabel('Throttle').selectOption('fast-3g');
    await defaults.getByRole('button', { name: 'Save defaults' }).click();
    await page().getByText('Route defaults saved').waitFor();
    const settings = await command<Settings>('settings.get');
    expect(settings.cacheStore).toEqual({ maxBytes: 32 * 1024 * 1024, maxEntryBytes: 2 * 1024 * 1024 });
    expect(settings.firewall.maxHeaderBytes).toBe(32_768);
    expect(settings.defaults.balance).toBe('first-available');
    expect(settings.defaults.throttle).toBe('fast-3g');
    await page().getByRole('tab', { name: 'Routes' }).click();
    await card('headers.localhost').getByText('Fast 3G').waitFor();
    await card('headers.localhost').getByText('(default)').first().waitFor();
    await page().getByRole('tab', { name: 'Settings' }).click();
    await defaults.getByLabel('Throttle').selectOption('off');
    await defaults.getByRole('button', { name: 'Save defaults' }).click();
    await expect.poll(async () => (await command<Settings>('settings.get')).defaults.throttle).toBe(false);
  });

  it('sets a Basic-auth user from the UI: 401 without credentials, 200 with them, and no hash on screen', async () => {
    await command('routes.create', { id: 'locked', host: 'locked.localhost', target: one.url });
    const dialog = await edit('locked.localhost');
    await dialog.getByLabel('Basic auth').selectOption('on');
    await dialog.getByLabel('User', { exact: true }).fill('ada');
    await dialog.getByLabel('Password', { exact: true }).fill('s3cret pass');
    expect(await dialog.getByLabel('Password', { exact: true }).getAttribute('type')).toBe('password');
    await dialog.getByRole('button', { name: 'Show' }).click();
    expect(await dialog.getByLabel('Password', { exact: true }).getAttribute('type')).toBe('text');
    await dialog.getByLabel('Password', { exact: true }).press('Enter');
    await dialog.getByRole('list', { name: 'Users' }).getByText('ada').waitFor();
    expect(await dialog.textContent()).not.toContain('scrypt$');
    await save();

    const hash = (await route('locked.localhost'))?.auth?.basic.users['ada'];
    expect(hash).toMatch(/^scrypt\$/);
    expect((await send('locked.localhost')).status).toBe(401);
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    expect((await send('locked.localhost', '/', basic('ada', 'wrong'))).status).toBe(401);
    expect((await send('locked.localhost', '/', basic('ada', 's3cret pass'))).status).toBe(200);
    await card('locked.localhost').getByText('1 user').waitFor();
    expect(await page().content()).not.toContain('scrypt$');
    await openExchange('locked.localhost', 'auth: wrong password');
    await page().getByRole('list', { name: 'Marks' }).getByText('auth: wrong password').waitFor();

    const again = await edit('locked.localhost');
    await again.getByRole('button', { name: 'Delete user ada' }).click();
    await again.getByText('No users yet: nobody gets in.').waitFor();
    await save();
    expect((await send('locked.localhost', '/', basic('ada', 's3cret pass'))).status).toBe(401);
  });

  it('sets a firewall in the form: over the rate limit is 429, a denied path 403, both marked', async () => {
    await command('routes.create', { id: 'fw', host: 'fw.localhost', target: one.url });
    const dialog = await edit('fw.localhost');
    await dialog.getByLabel('Firewall', { exact: true }).selectOption('own');
    await dialog.getByLabel('Allowed clients').fill('127.0.0.1\n10.0.0.0/33');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/Allowed client must be an IP address or CIDR range/).waitFor();
    await dialog.getByLabel('Allowed clients').fill('127.0.0.0/8\n::1');
    await dialog.getByLabel('Rate limit (requests/s per client)').fill('1');
    await dialog.getByLabel('burst').fill('2');
    await dialog.getByLabel('Denied paths').fill('/admin\nre:\\.env$');
    await save();
    expect((await route('fw.localhost'))?.firewall).toEqual({
      allow: ['127.0.0.0/8', '::1'],
      rateLimit: { requestsPerSecond: 1, burst: 2 },
      deny: ['/admin', { regex: '\\.env$' }],
    });
    await card('fw.localhost').getByText('1 req/s · 2 ranges allowed · 2 paths denied').waitFor();

    expect((await send('fw.localhost', '/admin/x')).status).toBe(403);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send('fw.localhost', '/ok')).status);
    expect(statuses).toContain(429);
    await openExchange('/ok', 'firewall: rate limit');
    await page().getByRole('list', { name: 'Marks' }).getByText('firewall: rate limit').waitFor();
  });

  it('shares a route on the network: Settings shows its LAN address and QR code, and the link lets a device in', async () => {
    await command('routes.create', { id: 'phone', host: 'phone.localhost', target: one.url });
    const dialog = await edit('phone.localhost');
    await dialog.getByRole('checkbox', { name: /Share on my network/ }).check();
    await save();
    await card('phone.localhost').getByText('sharing is off in Settings').waitFor();
    await page().getByRole('tab', { name: 'Settings' }).click();
    const section = page().getByRole('region', { name: 'Sharing on your network' });
    await section.getByRole('checkbox', { name: /Serve the routes marked/ }).check();
    await section.getByLabel('LAN address').fill('127.0.0.2'); // loopback: no traffic leaves this machine
    await section.getByLabel('First port').fill('0');
    await section.getByRole('button', { name: 'Save sharing' }).click();
    const row = section.getByRole('listitem', { name: 'phone.localhost on the network' });
    await row.getByRole('img', { name: 'QR code of the link for phone.localhost' }).waitFor();
    const url = (await row.getByText(/^http:\/\/127\.0\.0\.2:\d+/).textContent())!;
    const status = await command<{ shares: { host: string; link: string }[] }>('lan.status');
    const link = status.shares.find((s) => s.host === 'phone.localhost')!.link;
    expect(link.startsWith(url)).toBe(true);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(403); // no token: not let in
    expect((await fetch(link, { redirect: 'manual' })).status).toBeLessThan(400);
    await page().getByRole('tab', { name: 'Routes' }).click();
    await card('phone.localhost').getByText(url).waitFor();
    await page().getByRole('tab', { name: 'Settings' }).click();
    await section.getByRole('checkbox', { name: /Serve the routes marked/ }).uncheck();
    await section.getByRole('button', { name: 'Save sharing' }).click();
    await page().getByText('LAN sharing is off').waitFor();
  });

  it('takes the README screenshot of the route form with its switches', async () => {
    await dismissToasts(page());
    const dialog = await edit('pool.localhost');
    await dialog.getByLabel('Throttle').selectOption('custom');
    await dialog.getByLabel('Compression').selectOption('on');
    await page().setViewportSize({ width: 1280, height: 1500 });
    await dialog.getByLabel('Host', { exact: true }).blur();
    await shot('readme-route-form');
    await page().keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page().setViewportSize({ width: 1280, height: 800 });
  });

  it('logged no console errors and no CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
